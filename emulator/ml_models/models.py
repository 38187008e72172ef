"""ML models. The emulator trains and serves none and does not serve create_model, so no model exists: listings are
empty, a model named is unknown, and a project has none attached."""

from __future__ import annotations

from emulator.auth.models import User
from emulator.ml_models import exceptions as exc
from emulator.projects.models import ProjectBackend


class MlModelBackend:
    def __init__(self, projects: ProjectBackend):
        self.projects = projects

    def list_models(self, user: User) -> list[dict]:
        return []

    def training_data(self, user: User, model_uuid: str, training_uuid: str) -> list[dict]:
        raise exc.ModelNotFound(model_uuid)

    def project_model_attachments(self, user: User, project_hash: str) -> list[dict]:
        self.projects.get_project(user, project_hash)
        return []
