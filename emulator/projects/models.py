"""Projects: state and rules. A project brings datasets and an ontology together under a workflow."""

from __future__ import annotations

import copy
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
WORKFLOW_TEMPLATES = "workflow_template"

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
    """Where a task submitted or approved in a stage goes: the next stage of the workflow's list; from a final
    stage there is nowhere to go."""
    stages = require_workflow(project)["stages"]
    index = [s["uuid"] for s in stages].index(stage_uuid)
    if stages[index]["stageType"] == "DONE" or index + 1 == len(stages):
        raise exc.TaskInFinalStage(task_uuid, stages[index]["title"])
    return stages[index + 1]


def pathway_taken(stage: dict, pathway_uuid: str | None, pathway_name: str | None) -> dict:
    """The pathway of an agent stage a task proceeds down, named by its uuid or by its name."""
    pathway = next((p for p in stage["pathways"]
                    if p["uuid"] == pathway_uuid or (pathway_uuid is None and p["title"] == pathway_name)), None)
    if pathway is None:
        raise exc.PathwayNotFound(stage["title"], pathway_uuid or pathway_name, [p["title"] for p in stage["pathways"]])
    return pathway


# -- workflow templates: a graph of stages a project is created with ----------------------------------------------

STAGE_TYPES = ("ANNOTATION", "REVIEW", "AGENT", "CONSENSUS_ANNOTATION", "CONSENSUS_REVIEW", "DONE")
# A stage of these kinds passes its tasks on down its own pathways (agent) or nowhere (final), not to the next stage.
ROUTED_STAGES = ("AGENT", "DONE")


def check_stage_uuids_unique(stages: list[dict]) -> None:
    seen: set[str] = set()
    for stage in stages:
        for key in [stage["uuid"]] + [p["uuid"] for p in stage.get("pathways") or []]:
            if key in seen:
                raise exc.InvalidWorkflowGraph(f"uuid {key} is used twice; every stage and pathway has its own.")
            seen.add(key)


def check_tasks_start_in_a_working_stage(stages: list[dict]) -> None:
    """New tasks enter the first stage; it cannot be a final one."""
    if stages[0]["type"] == "DONE":
        raise exc.InvalidWorkflowGraph(f"stage {stages[0]['title']!r} is the first stage (where tasks start) and a "
                                       "final (DONE) stage.")


def check_every_stage_leads_somewhere(stages: list[dict]) -> None:
    """A stage other than an agent or final one passes its tasks to the next stage in the list, so the last stage
    is an agent or a final one; the graph has a final stage."""
    if stages[-1]["type"] not in ROUTED_STAGES:
        raise exc.InvalidWorkflowGraph(f"stage {stages[-1]['title']!r} is the last stage: its tasks have no next "
                                       "stage (the last stage is a DONE or AGENT stage).")
    if not any(s["type"] == "DONE" for s in stages):
        raise exc.InvalidWorkflowGraph("the workflow has no final (DONE) stage.")


def check_pathways(stages: list[dict]) -> None:
    """Agent stages, and only they, have pathways: at least one, each with its own name, each to another stage of
    the workflow."""
    by_uuid = {s["uuid"]: s for s in stages}
    for stage in stages:
        pathways = stage.get("pathways") or []
        if stage["type"] != "AGENT":
            if pathways:
                raise exc.InvalidWorkflowGraph(f"stage {stage['title']!r} is of type {stage['type']}; only AGENT "
                                               "stages have pathways.")
            continue
        if not pathways:
            raise exc.InvalidWorkflowGraph(f"agent stage {stage['title']!r} has no pathway for its tasks to take.")
        names = [p["name"] for p in pathways]
        if len(set(names)) != len(names):
            raise exc.InvalidWorkflowGraph(f"agent stage {stage['title']!r} has two pathways of one name.")
        for pathway in pathways:
            destination = by_uuid.get(pathway["destination_uuid"])
            if destination is None or destination is stage:
                raise exc.InvalidWorkflowGraph(f"pathway {pathway['name']!r} of agent stage {stage['title']!r} leads "
                                               f"to {pathway['destination_uuid']}, which is no other stage of the "
                                               "workflow.")


def workflow_graph(stages: list[dict]) -> list[dict]:
    """A template's stages as a project's workflow keeps them (what the SDK receives)."""
    for check in (check_stage_uuids_unique, check_tasks_start_in_a_working_stage, check_every_stage_leads_somewhere,
                  check_pathways):
        check(stages)
    return [{"uuid": s["uuid"], "stageType": s["type"], "title": s["title"],
             **({"pathways": [{"uuid": p["uuid"], "title": p["name"], "destinationUuid": p["destination_uuid"]}
                              for p in s["pathways"]]} if s["type"] == "AGENT" else {})}
            for s in stages]


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
    """A copy's workflow has the original's stages, in order, as stages of its own: new uuids, an agent stage's
    pathways leading to the copies of the stages they led to."""
    if project["workflow"] is None:
        return None
    stages = project["workflow"]["stages"]
    renamed = {stage["uuid"]: str(uuid.uuid4()) for stage in stages}

    def copied(stage: dict) -> dict:
        pathways = [{**p, "uuid": str(uuid.uuid4()), "destinationUuid": renamed[p["destinationUuid"]]}
                    for p in stage.get("pathways", [])]
        return {**stage, "uuid": renamed[stage["uuid"]], **({"pathways": pathways} if "pathways" in stage else {})}

    return {"stages": [copied(stage) for stage in stages]}


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
                       project_type: str = WORKFLOW, workflow_template_hash: str | None = None) -> dict:
        """Unknown datasets, ontology or workflow template are not found; without an ontology the project gets a new
        empty one. The SDK's create_project makes workflow projects (the template's workflow, else the default one);
        manual-QA ones come from the control API."""
        with self.store.transaction():
            workflow = (self.template_workflow(owner, workflow_template_hash) if workflow_template_hash
                        else default_workflow())
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
                "workflow": workflow if project_type == WORKFLOW else None,
                "members": new_members(owner),
            }
            self.store.put(PROJECTS, project["project_hash"], project)
        return project

    def create_workflow_template(self, owner: User, title: str, description: str, stages: list[dict]) -> dict:
        template = {"template_hash": str(uuid.uuid4()), "title": title, "description": description,
                    "created_at": timefmt.now_iso(), "creator_email": owner.email,
                    "stages": workflow_graph(stages), "members": new_members(owner)}
        self.store.put(WORKFLOW_TEMPLATES, template["template_hash"], template)
        return template

    def template_workflow(self, user: User, template_hash: str) -> dict:
        """A new project's workflow from a template its creator may use (another user's is not found)."""
        template = accessible(self.store, WORKFLOW_TEMPLATES, template_hash, user,
                              exc.WorkflowTemplateNotFound(template_hash))
        return {"stages": copy.deepcopy(template["stages"])}

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

    def administered_project(self, user: User, project_hash: str,
                             action: str = "change its collaborators, tags or status") -> dict:
        """Collaborators (users and groups), tags and the status of a project are changed by its admins only (and
        whatever else ``action`` names)."""
        project = self.get_project(user, project_hash)
        if role_of(user, project) != ADMIN:
            raise exc.NotProjectAdmin(project_hash, action)
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
