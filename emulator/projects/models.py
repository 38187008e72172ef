"""Projects: state and rules. A project brings datasets and an ontology together under a workflow."""

from __future__ import annotations

import uuid

from emulator.auth.models import User, accessible, new_members, role_of
from emulator.core import filters, timefmt
from emulator.core.store import Store
from emulator.datasets.models import DatasetBackend
from emulator.ontologies.models import OntologyBackend
from emulator.projects import exceptions as exc

PROJECTS = "project"

# The default standard workflow of a new project.
DEFAULT_STAGES = (("ANNOTATION", "Annotate 1"), ("REVIEW", "Review 1"), ("DONE", "Complete"))


def default_workflow() -> dict:
    return {"stages": [{"uuid": str(uuid.uuid4()), "stageType": kind, "title": title}
                       for kind, title in DEFAULT_STAGES]}


def first_stage(project: dict) -> dict:
    return project["workflow"]["stages"][0]


def stage_of_type(project: dict, stage_type: str) -> dict:
    return next(s for s in project["workflow"]["stages"] if s["stageType"] == stage_type)


class ProjectBackend:
    def __init__(self, store: Store, datasets: DatasetBackend, ontologies: OntologyBackend):
        self.store = store
        self.datasets = datasets
        self.ontologies = ontologies

    def create_project(self, owner: User, title: str, description: str, dataset_hashes: list[str],
                       ontology_hash: str | None, project_hash: str | None = None) -> dict:
        """Unknown datasets or ontology are not found; without an ontology the project gets a new empty one."""
        with self.store.transaction():
            if project_hash and self.store.get(PROJECTS, project_hash) is not None:
                raise exc.ProjectExists(project_hash)
            for dataset_hash in dataset_hashes:
                self.datasets.get_dataset(owner, dataset_hash)
            if ontology_hash:
                self.ontologies.get_ontology(owner, ontology_hash)
            else:
                ontology_hash = self.ontologies.create_ontology(owner, f"{title} ontology", "", None)["ontology_hash"]
            now = timefmt.now_iso()
            project = {
                "project_hash": project_hash or str(uuid.uuid4()),
                "title": title,
                "description": description,
                "created_at": now,
                "last_edited_at": now,
                "creator_email": owner.email,
                "ontology_hash": ontology_hash,
                "dataset_hashes": list(dict.fromkeys(dataset_hashes)),
                "project_type": "workflow",
                "status": "notStarted",
                "workflow": default_workflow(),
                "members": new_members(owner),
            }
            self.store.put(PROJECTS, project["project_hash"], project)
        return project

    def get_project(self, user: User, project_hash: str) -> dict:
        return accessible(self.store, PROJECTS, project_hash, user, exc.ProjectNotFound(project_hash))

    def list_projects(self, user: User, f: filters.ListingFilters) -> list[dict]:
        matches = f.matcher()
        found = self.store.find(PROJECTS, lambda p: role_of(user, p) is not None and matches(p))
        return sorted(found, key=lambda p: p["created_at"])

    def project_datasets(self, user: User, project_hash: str) -> list[dict]:
        project = self.get_project(user, project_hash)
        return [self.datasets.get_dataset(user, h) for h in project["dataset_hashes"]]

    def add_datasets(self, user: User, project_hash: str, dataset_hashes: list[str]) -> dict:
        with self.store.transaction() as tx:
            project = self.get_project(user, project_hash)
            for dataset_hash in dataset_hashes:
                self.datasets.get_dataset(user, dataset_hash)
            project["dataset_hashes"] = list(dict.fromkeys(project["dataset_hashes"] + dataset_hashes))
            project["last_edited_at"] = timefmt.now_iso()
            tx.put(PROJECTS, project_hash, project)
        return project

    def remove_datasets(self, user: User, project_hash: str, dataset_hashes: list[str]) -> dict:
        with self.store.transaction() as tx:
            project = self.get_project(user, project_hash)
            for dataset_hash in dataset_hashes:
                if dataset_hash not in project["dataset_hashes"]:
                    raise exc.DatasetNotInProject(dataset_hash)
            project["dataset_hashes"] = [h for h in project["dataset_hashes"] if h not in dataset_hashes]
            project["last_edited_at"] = timefmt.now_iso()
            tx.put(PROJECTS, project_hash, project)
        return project
