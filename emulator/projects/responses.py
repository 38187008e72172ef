"""Projects on the wire."""

from __future__ import annotations

from emulator.auth.models import role_of
from emulator.core.wire import LegacyRequest, RestRequest
from emulator.core import timefmt
from emulator.core.filters import ListingFilters
from emulator.datasets.responses import dataset_type_wire
from emulator.labels.models import LabelRowFilters
from emulator.labels.responses import label_rows_metadata
from emulator.projects.models import ProjectCopyOptions
from emulator.ontologies.responses import legacy_ontology_wire
from emulator.organisation.responses import group_grant_handlers, tag_wire

PROJECT_ROLES = {"admin": 0, "annotator": 1, "reviewer": 2, "annotator_reviewer": 3, "team_manager": 4, "viewer": 5}
USER_ROLES = {**PROJECT_ROLES, "user": 4}
ROLE_NAMES = {number: name for name, number in PROJECT_ROLES.items()}


def project_wire(ctx, project: dict) -> dict:
    """ProjectDTO: every required key, and the workflow's stages."""
    ontology = ctx.backend.projects.project_ontology(ctx.user, project["project_hash"], project["ontology_hash"])
    return {
        "projectHash": project["project_hash"], "projectType": project["project_type"],
        "status": project["status"], "title": project["title"], "description": project["description"],
        "createdAt": project["created_at"], "creatorEmail": project["creator_email"],
        "lastEditedAt": project["last_edited_at"], "ontologyHash": project["ontology_hash"],
        "editorOntology": ontology["editor"], "userRole": USER_ROLES.get(role_of(ctx.user, project)),
        **({"workflow": project["workflow"]} if project["workflow"] is not None else {}),
    }


def create_project(ctx: LegacyRequest) -> str:
    payload = ctx.payload
    project = ctx.backend.projects.create_project(
        ctx.user, payload["title"], payload.get("description") or "", payload["dataset_hashes"],
        payload.get("ontology_hash"), workflow_template_hash=payload.get("workflow_template_id"),
    )
    return project["project_hash"]


def get_project(ctx: RestRequest, project_hash: str) -> dict:
    return project_wire(ctx, ctx.backend.projects.get_project(ctx.user, project_hash))


def list_projects(ctx: RestRequest) -> dict:
    ctx.flag("includeOrgAccess")
    found = ctx.backend.projects.list_projects(ctx.user, ListingFilters.from_query(ctx.args, "desc"))
    return ctx.page([project_wire(ctx, p) for p in found])


def _optional_tuple(values: list | None) -> tuple | None:
    return None if values is None else tuple(values)


def copy_project(ctx: LegacyRequest) -> str:
    """The SDK sends the options it offers as CopyProjectPayload: what to copy, how (a new dataset when
    create_new_dataset) and the copy's title and description."""
    copied = ctx.payload.get("copy_project_options") or []
    labels = ctx.payload.get("copy_labels_options") or {}
    metadata = ctx.payload.get("project_copy_metadata") or {}
    options = ProjectCopyOptions(
        title=metadata.get("project_title"), description=metadata.get("project_description"),
        copied=frozenset(copied), clone_datasets=bool(labels.get("create_new_dataset")),
        dataset_title=metadata.get("dataset_title"), dataset_description=metadata.get("dataset_description"),
        data_hashes_by_dataset=tuple((h, tuple(data)) for h, data in (labels.get("datasets_to_data_hashes_map")
                                                                      or {}).items()),
        label_hashes=_optional_tuple(labels.get("accepted_label_hashes")),
        label_review_states=_optional_tuple(labels.get("accepted_label_statuses")),
    )
    return ctx.backend.labels.copy_project(ctx.user, ctx.resource_id, options)["project_hash"]


def list_project_datasets(ctx: RestRequest, project_hash: str) -> dict:
    datasets = ctx.backend.projects.project_datasets(ctx.user, project_hash)
    return {"results": [{"datasetHash": d["dataset_hash"], "title": d["title"], "description": d["description"]}
                        for d in datasets]}


def add_datasets(ctx: LegacyRequest) -> bool:
    ctx.backend.projects.add_datasets(ctx.user, ctx.resource_id, ctx.payload["dataset_hashes"])
    return True


def remove_datasets(ctx: LegacyRequest) -> bool:
    hashes = ctx.uid if isinstance(ctx.uid, list) else [ctx.uid]
    ctx.backend.projects.remove_datasets(ctx.user, ctx.resource_id, hashes)
    return True


# -- legacy: get_projects (deprecated, in every release), and what releases before the move to /v2/public sent ----------

def list_projects_legacy(ctx: LegacyRequest) -> list[dict]:
    found = ctx.backend.projects.list_projects(ctx.user, ListingFilters.from_legacy(ctx.payload))
    return [{"user_role": USER_ROLES[role_of(ctx.user, p)],
             "project": {"project_hash": p["project_hash"], "title": p["title"], "description": p["description"],
                         "created_at": timefmt.legacy(p["created_at"]),
                         "last_edited_at": timefmt.legacy(p["last_edited_at"]), "ontology_hash": p["ontology_hash"]}}
            for p in found]


def get_project_ontology(ctx: LegacyRequest) -> dict:
    return legacy_ontology_wire(ctx.backend.projects.project_ontology(ctx.user, ctx.resource_id, ctx.uid))


def get_project_legacy(ctx: LegacyRequest) -> dict:
    """orm.project.Project: what ``Project.get_project()`` reads in every release, and ``get_project`` itself in
    releases before 0.1.118 (later ones read /v2/public/projects). Label rows only when asked for."""
    project = ctx.backend.projects.get_project(ctx.user, ctx.resource_id)
    ontology = ctx.backend.projects.project_ontology(ctx.user, project["project_hash"], project["ontology_hash"])
    datasets = ctx.backend.projects.project_datasets(ctx.user, project["project_hash"])
    payload = ctx.payload or {}
    rows = (label_rows_metadata(ctx, project["project_hash"], LabelRowFilters(), {})
            if payload.get("include_labels_metadata", True) else [])
    return {
        "project_hash": project["project_hash"], "title": project["title"], "description": project["description"],
        "created_at": timefmt.legacy(project["created_at"]),
        "last_edited_at": timefmt.legacy(project["last_edited_at"]),
        "editor_ontology": ontology["editor"], "ontology_hash": project["ontology_hash"],
        "datasets": [{"dataset_hash": d["dataset_hash"], "title": d["title"], "description": d["description"],
                      "dataset_type": dataset_type_wire(ctx.backend.datasets.dataset_storage_location(d)[1],
                                                        ctx.sdk_release)} for d in datasets],
        "label_rows": rows, "source_projects": [],
    }


def set_project_ontology(ctx: LegacyRequest) -> bool:
    """add_object / add_classification send the whole project ontology back in its legacy form."""
    ctx.backend.projects.set_ontology_structure(ctx.user, ctx.resource_id, ctx.payload["editor"])
    return True


def add_users(ctx: LegacyRequest) -> list[dict]:
    added = ctx.backend.projects.add_users(ctx.user, ctx.resource_id, ctx.payload["user_emails"],
                                           ROLE_NAMES[ctx.payload["user_role"]])
    return [{"user_email": email, "user_role": USER_ROLES[role], "project_hash": ctx.resource_id}
            for email, role in added]


def list_users(ctx: RestRequest, project_hash: str) -> dict:
    members = ctx.backend.projects.list_users(ctx.user, project_hash)
    return ctx.page([{"userEmail": email, "userRole": USER_ROLES[role]} for email, role in members])


def remove_users(ctx: RestRequest, project_hash: str) -> None:
    ctx.backend.projects.remove_users(ctx.user, project_hash, ctx.body["userEmails"])


def set_status(ctx: RestRequest, project_hash: str) -> None:
    ctx.backend.projects.set_status(ctx.user, project_hash, ctx.body["status"])


def list_tags(ctx: RestRequest, project_hash: str) -> dict:
    return ctx.page([tag_wire(t) for t in ctx.backend.projects.organisation_tags(ctx.user, project_hash)])


def attach_tag(ctx: RestRequest, project_hash: str, tag_uuid: str) -> None:
    ctx.backend.projects.attach_tag(ctx.user, project_hash, tag_uuid)


def detach_tag(ctx: RestRequest, project_hash: str, tag_uuid: str) -> None:
    ctx.backend.projects.detach_tag(ctx.user, project_hash, tag_uuid)


list_groups, add_groups, remove_groups = group_grant_handlers(lambda backend: backend.projects.group_grants,
                                                               PROJECT_ROLES)
