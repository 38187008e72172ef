"""Projects: state and rules. A project brings datasets and an ontology together under a workflow."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from emulator.auth.models import ADMIN, MEMBER, GroupGrants, User, UserBackend, accessible, new_members, role_of
from emulator.core import filters, timefmt
from emulator.core.store import Store
from emulator.datasets.models import DataRowFilters, DatasetBackend
from emulator.ontologies.exceptions import OntologyNotFound
from emulator.ontologies.models import ONTOLOGIES, OntologyBackend
from emulator.organisation.models import OrganisationBackend
from emulator.projects import exceptions as exc

PROJECTS = "project"

# A workflow project moves tasks through stages; a manual-QA project (the older kind) has tasks with a status only.
WORKFLOW = "workflow"
MANUAL_QA = "manual_qa"
PROJECT_TYPES = (WORKFLOW, MANUAL_QA)

# The default standard workflow of a new project.
DEFAULT_STAGES = (("ANNOTATION", "Annotate 1"), ("REVIEW", "Review 1"), ("DONE", "Complete"))


def default_workflow() -> dict:
    return {"stages": [{"uuid": str(uuid.uuid4()), "stageType": kind, "title": title}
                       for kind, title in DEFAULT_STAGES]}


def require_workflow(project: dict) -> dict:
    """Stages, tasks and priorities exist in workflow projects only; a manual-QA project refuses them."""
    if project["project_type"] != WORKFLOW:
        raise exc.NotAWorkflowProject(project["project_hash"])
    return project["workflow"]


def first_stage(project: dict) -> dict:
    return require_workflow(project)["stages"][0]


def stage_by_uuid(project: dict, stage_uuid: str) -> dict:
    """A stage of the project's workflow; a stage of another project's is not found in this one."""
    stage = next((s for s in require_workflow(project)["stages"] if s["uuid"] == stage_uuid), None)
    if stage is None:
        raise exc.StageNotFound(stage_uuid)
    return stage


def stage_of_type(project: dict, stage_type: str) -> dict:
    return next(s for s in require_workflow(project)["stages"] if s["stageType"] == stage_type)


def stage_after(project: dict, stage_uuid: str, task_uuid: str) -> dict:
    """Where a task submitted or approved in a stage goes; from the final stage there is nowhere to go."""
    stages = require_workflow(project)["stages"]
    index = [s["uuid"] for s in stages].index(stage_uuid)
    if index + 1 == len(stages):
        raise exc.TaskInFinalStage(task_uuid, stages[index]["title"])
    return stages[index + 1]


# What a copy of a project may take along besides its ontology and workflow (the SDK's ProjectCopyOptions).
COPY_COLLABORATORS, COPY_DATASETS, COPY_MODELS, COPY_LABELS = "collaborators", "datasets", "models", "labels"


@dataclass(frozen=True)
class ProjectCopyOptions:
    """What ``copy_project`` asks for: the copy's title and description (the original's when None), what it takes
    along, and, when its datasets are cloned into a new one, that dataset's title, description and data units (per
    original dataset; every data unit of the datasets not listed). The labels copied are the main-branch label rows
    listed (all when None), of their labels those in the review states listed (all when None)."""

    title: str | None = None
    description: str | None = None
    copied: frozenset[str] = frozenset()
    clone_datasets: bool = False
    dataset_title: str | None = None
    dataset_description: str | None = None
    data_hashes_by_dataset: tuple[tuple[str, tuple[str, ...]], ...] = ()
    label_hashes: tuple[str, ...] | None = None
    label_review_states: tuple[str, ...] | None = None


def check_copy_options(project: dict, options: ProjectCopyOptions) -> None:
    """Labels go along with the data units they label only; data units are chosen from the project's datasets."""
    if COPY_LABELS in options.copied and not (options.clone_datasets or COPY_DATASETS in options.copied):
        raise exc.LabelsCopiedWithoutDatasets()
    for dataset_hash, _ in options.data_hashes_by_dataset:
        if dataset_hash not in project["dataset_hashes"]:
            raise exc.DataHashesOfAnotherDataset(dataset_hash)


def copied_workflow(project: dict) -> dict | None:
    """A copy's workflow has the original's stages, in order, as stages of its own."""
    if project["workflow"] is None:
        return None
    return {"stages": [{**stage, "uuid": str(uuid.uuid4())} for stage in project["workflow"]["stages"]]}


class ProjectGroupGrants(GroupGrants):
    """A project's groups, whose members may read the ontology it labels with, as its users may."""

    def __init__(self, *args, ontologies: OntologyBackend):
        super().__init__(*args)
        self.ontologies = ontologies

    def add(self, user: User, key: str, group_hashes: list[str], role: str) -> None:
        with self.store.transaction():
            super().add(user, key, group_hashes, role)
            self.ontologies.group_grants.grant(self.store.get(PROJECTS, key)["ontology_hash"], group_hashes, MEMBER)


class ProjectBackend:
    def __init__(self, store: Store, users: UserBackend, datasets: DatasetBackend, ontologies: OntologyBackend,
                 organisation: OrganisationBackend):
        self.store = store
        self.users = users
        self.datasets = datasets
        self.ontologies = ontologies
        self.organisation = organisation
        self.group_grants = ProjectGroupGrants(store, PROJECTS, organisation, self.get_project,
                                               self.administered_project, ontologies=ontologies)

    def create_project(self, owner: User, title: str, description: str, dataset_hashes: list[str],
                       ontology_hash: str | None, project_hash: str | None = None,
                       project_type: str = WORKFLOW) -> dict:
        """Unknown datasets or ontology are not found; without an ontology the project gets a new empty one.
        The SDK's create_project makes workflow projects (the default workflow); manual-QA ones come from the
        control API."""
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
                "project_type": project_type,
                "status": "notStarted",
                "workflow": default_workflow() if project_type == WORKFLOW else None,
                "members": new_members(owner),
            }
            self.store.put(PROJECTS, project["project_hash"], project)
        return project

    def get_project(self, user: User, project_hash: str) -> dict:
        return accessible(self.store, PROJECTS, project_hash, user, exc.ProjectNotFound(project_hash))

    def creator_email(self, project_hash: str) -> str:
        """Who made a project (the control API acts for them when it is not told who acts)."""
        project = self.store.get(PROJECTS, project_hash)
        if project is None:
            raise exc.ProjectNotFound(project_hash)
        return project["creator_email"]

    def list_projects(self, user: User, f: filters.ListingFilters) -> list[dict]:
        matches = f.matcher()
        found = self.store.find(PROJECTS, lambda p: role_of(user, p) is not None and matches(p))
        return sorted(found, key=lambda p: p["created_at"])

    def project_ontology(self, user: User, project_hash: str, ontology_hash: str) -> dict:
        """A project's ontology, read in the project's scope (its members may read the ontology it labels with)."""
        project = self.get_project(user, project_hash)
        if ontology_hash != project["ontology_hash"]:
            raise OntologyNotFound(ontology_hash)
        return self.store.get(ONTOLOGIES, ontology_hash)

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

    def administered_project(self, user: User, project_hash: str) -> dict:
        """Collaborators (users and groups), tags and the status of a project are changed by its admins only."""
        project = self.get_project(user, project_hash)
        if role_of(user, project) != ADMIN:
            raise exc.NotProjectAdmin(project_hash)
        return project

    def set_status(self, user: User, project_hash: str, status: str) -> None:
        with self.store.transaction() as tx:
            project = self.administered_project(user, project_hash)
            project["status"] = status
            project["last_edited_at"] = timefmt.now_iso()
            tx.put(PROJECTS, project_hash, project)

    def copy_project(self, user: User, project_hash: str,
                     options: ProjectCopyOptions) -> tuple[dict, dict, dict[str, str]]:
        """A new project of the same ontology, type and workflow, made by an admin of the original; with its
        collaborators (in their roles) and its datasets (attached, or cloned into a new dataset) when asked.
        Models are not emulated: a copy has none to take. Returns the original, the copy and each original data
        hash the copy holds with its data hash in the copy."""
        with self.store.transaction() as tx:
            original = self.get_project(user, project_hash)
            if role_of(user, original) != ADMIN:
                raise exc.NotAllowedToCopyProject(project_hash)
            check_copy_options(original, options)
            if options.clone_datasets:
                chosen = dict(options.data_hashes_by_dataset)
                dataset, copies = self.datasets.clone_data_rows(
                    user, options.dataset_title or f"{original['title']} dataset", options.dataset_description or "",
                    {h: list(chosen[h]) if h in chosen else None for h in original["dataset_hashes"]})
                dataset_hashes = [dataset["dataset_hash"]]
            elif COPY_DATASETS in options.copied:
                dataset_hashes = original["dataset_hashes"]
                copies = {r["data_hash"]: r["data_hash"] for h in dataset_hashes
                          for r in self.datasets.data_rows(h, DataRowFilters())}
            else:
                dataset_hashes, copies = [], {}
            copy = self.create_project(user, options.title or original["title"],
                                       original["description"] if options.description is None else options.description,
                                       dataset_hashes, original["ontology_hash"],
                                       project_type=original["project_type"])
            copy["workflow"] = copied_workflow(original)
            if COPY_COLLABORATORS in options.copied:
                copy["members"] = {**original["members"], **copy["members"]}
            tx.put(PROJECTS, copy["project_hash"], copy)
        return original, copy, copies

    def set_ontology_structure(self, user: User, project_hash: str, editor: dict) -> dict:
        """The legacy project update (add_object, add_classification): a project's admins save a new structure for
        the ontology it labels with."""
        with self.store.transaction() as tx:
            project = self.get_project(user, project_hash)
            if role_of(user, project) != ADMIN:
                raise exc.NotAllowedToEditOntology(project_hash)
            self.ontologies.set_editor(project["ontology_hash"], editor)
            project["last_edited_at"] = timefmt.now_iso()
            tx.put(PROJECTS, project_hash, project)
        return project

    def organisation_tags(self, user: User, project_hash: str) -> list[dict]:
        """The organisation's tags attached to a project (a deleted tag is detached)."""
        return self.organisation.existing_tags(self.get_project(user, project_hash).get("organisation_tags", []))

    def attach_tag(self, user: User, project_hash: str, tag_uuid: str) -> None:
        """An admin attaches a tag of the organisation; attaching one already attached changes nothing."""
        with self.store.transaction() as tx:
            project = self.administered_project(user, project_hash)
            self.organisation.get_tag(user, tag_uuid)
            project["organisation_tags"] = list(dict.fromkeys(project.get("organisation_tags", []) + [tag_uuid]))
            tx.put(PROJECTS, project_hash, project)

    def detach_tag(self, user: User, project_hash: str, tag_uuid: str) -> None:
        """An admin detaches a tag of the organisation; detaching one not attached changes nothing."""
        with self.store.transaction() as tx:
            project = self.administered_project(user, project_hash)
            self.organisation.get_tag(user, tag_uuid)
            project["organisation_tags"] = [t for t in project.get("organisation_tags", []) if t != tag_uuid]
            tx.put(PROJECTS, project_hash, project)

    def add_users(self, user: User, project_hash: str, emails: list[str], role: str) -> list[tuple[str, str]]:
        """Every email must be a registered user; one already in the project keeps the role it has."""
        with self.store.transaction() as tx:
            project = self.administered_project(user, project_hash)
            added = [self.users.user_by_email(email) for email in emails]
            for member in added:
                project["members"].setdefault(member.user_hash, role)
                self.ontologies.admit_project_member(project["ontology_hash"], member)
            tx.put(PROJECTS, project_hash, project)
        return [(member.email, project["members"][member.user_hash]) for member in added]

    def list_users(self, user: User, project_hash: str) -> list[tuple[str, str]]:
        members = self.get_project(user, project_hash)["members"]
        return [(self.users.user_by_hash(h).email, role) for h, role in members.items()]

    def remove_users(self, user: User, project_hash: str, emails: list[str]) -> None:
        """Emails without access to the project are ignored."""
        with self.store.transaction() as tx:
            project = self.administered_project(user, project_hash)
            removed = {u.user_hash for u in self.users.users() if u.email in emails}
            project["members"] = {h: r for h, r in project["members"].items() if h not in removed}
            tx.put(PROJECTS, project_hash, project)
