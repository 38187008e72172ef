"""What the control API does beyond delegating to one domain: readiness, sharing, registering data rows."""

from __future__ import annotations

from emulator import __version__
from emulator.auth.models import ADMIN, BEARER_TOKENS
from emulator.backend import EmulatorBackend
from emulator.control import access
from emulator.control import exceptions as exc
from emulator.core import contracts
from emulator.core.store import StateVersionError, check_state_document
from emulator.datasets.exceptions import DatasetNotFound
from emulator.datasets.models import DATASETS
from emulator.ontologies.exceptions import OntologyNotFound
from emulator.ontologies.models import ONTOLOGIES
from emulator.projects.exceptions import ProjectNotFound, WorkflowTemplateNotFound
from emulator.projects.models import PROJECTS, WORKFLOW_TEMPLATES
from emulator.storage.exceptions import FolderNotFound
from emulator.storage.models import FOLDERS
from emulator.ingestion.csv_spec import CsvSpecError, csv_to_spec
from emulator.ingestion.exceptions import UploadJobNotFound
from emulator.ingestion.spec import spec_from_files
from emulator.seeds import SEEDS

# Resources with members, by the name the control API uses for them (integrations share by email list instead).
SHAREABLE = {"dataset": (DATASETS, DatasetNotFound), "ontology": (ONTOLOGIES, OntologyNotFound),
             "project": (PROJECTS, ProjectNotFound), "storage_folder": (FOLDERS, FolderNotFound),
             "workflow_template": (WORKFLOW_TEMPLATES, WorkflowTemplateNotFound)}
SECRET_TABLES = (BEARER_TOKENS,)  # documents that authenticate against the API (users' public keys do not)


def health(backend: EmulatorBackend) -> tuple[bool, dict]:
    """Real readiness: the store is open and its last write was saved, and the buckets backend answers through
    boto3."""
    report: dict = {"version": __version__, "auth": "strict" if backend.config.strict_auth else "open"}
    store = backend.store
    report["store"] = {"open": not store.closed, "persistent": store.path is not None,
                       "data_dir": str(store.path) if store.path else None, "counts": store.counts(),
                       "write_error": store.write_error}
    try:
        report["buckets"] = {"up": True, "endpoint": backend.buckets.endpoint_url or "in-process",
                             "count": len(backend.buckets.bucket_names())}
    except Exception as e:  # any failure of the S3 backend means not ready; say why
        report["buckets"] = {"up": False, "endpoint": backend.buckets.endpoint_url or "in-process", "error": str(e)}
    ready = report["store"]["open"] and store.write_error is None and report["buckets"]["up"]
    report["status"] = "ok" if ready else "degraded"
    return ready, report


def exported_state(backend: EmulatorBackend, include_secrets: bool) -> dict:
    """The state document, without secrets that work against the API unless they are asked for (and a control
    token guards the export); imported without them, the state's users get new bearer tokens."""
    state = backend.store.export_state()
    if include_secrets:
        access.secrets_need_control_token(backend.config)
    else:
        for table in SECRET_TABLES:
            state["tables"].pop(table, None)
    return state


def share(backend: EmulatorBackend, resource_type: str, resource_id: str, email: str, role: str) -> dict:
    user = backend.users.user_by_email(email)
    if resource_type == "integration":
        backend.integrations.add_user(resource_id, email)
    elif resource_type in SHAREABLE:
        kind, not_found = SHAREABLE[resource_type]
        with backend.store.transaction() as tx:
            resource = tx.get(kind, resource_id)
            if resource is None:
                raise not_found(resource_id)
            keeps_an_admin(resource_type, resource_id, resource["members"], user.user_hash, email, role)
            resource["members"][user.user_hash] = role
            tx.put(kind, resource_id, resource)
            # A dataset's data is its backing folder's items: who may see the one may see the other.
            backing = resource.get("backing_folder_uuid") if kind == DATASETS else None
            folder = tx.get(FOLDERS, backing) if backing else None
            if folder is not None:
                folder["members"][user.user_hash] = role
                tx.put(FOLDERS, folder["uuid"], folder)
            if kind == PROJECTS:
                backend.ontologies.admit_project_member(resource["ontology_hash"], user)
    else:
        raise exc.UnknownResourceType(resource_type, [*SHAREABLE, "integration"])
    return {"resource_type": resource_type, "resource_id": resource_id, "email": email, "role": role}


def keeps_an_admin(resource_type: str, resource_id: str, members: dict[str, str], user_hash: str, email: str,
                   role: str) -> None:
    """A shared resource keeps at least one admin: its last one cannot be made a mere user (nobody could then
    administer it, nor upload to a dataset on its owner's behalf)."""
    admins = {h for h, r in members.items() if r == ADMIN}
    if role != ADMIN and admins == {user_hash}:
        raise exc.LastAdmin(resource_type, resource_id, email)


def register_data_rows(backend: EmulatorBackend, dataset_hash: str, rows: list[dict],
                       integration_id: str | None) -> list[dict]:
    """Add data rows to a dataset directly, with the metadata given (no media is read)."""
    integration = backend.integrations.get_integration(integration_id) if integration_id else None
    with backend.store.transaction() as tx:
        if tx.get(DATASETS, dataset_hash) is None:
            raise DatasetNotFound(dataset_hash)
        return backend.datasets.add_data_rows(dataset_hash, rows, integration)



def import_state(backend: EmulatorBackend, doc) -> None:
    """Replace the whole state with a document that means something: of this format, every document of every table
    as its contract says, every reference resolving. A refused document changes nothing."""
    try:
        tables = check_state_document(doc)
    except StateVersionError as e:
        raise exc.StateRefused(str(e)) from None
    problems = contracts.state_violations(tables)
    if problems:
        raise exc.StateRefused(f"The state document does not hold a state this emulator can serve: {problems[0]}"
                               + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    backend.store.import_state(doc)


def upload_job(backend: EmulatorBackend, job_id: str) -> dict:
    job = backend.upload_jobs.current(job_id)
    if job is None:
        raise UploadJobNotFound(job_id)
    return job


def start_upload_job(backend: EmulatorBackend, dataset_hash: str, body: dict) -> dict:
    """The web app's upload path: a JSON spec or a CSV file, on behalf of a user (the dataset's owner by default)."""
    dataset = backend.store.get(DATASETS, dataset_hash)
    if dataset is None:
        raise DatasetNotFound(dataset_hash)
    if "email" in body:
        user = backend.users.member_by_email(body["email"])
    else:
        owner = next(h for h, role in dataset["members"].items() if role == ADMIN)
        user = backend.users.user_by_hash(owner)
    if "csv" in body:
        try:
            spec = csv_to_spec(body["csv"])
        except CsvSpecError as e:
            raise exc.InvalidCsv(str(e)) from None
    else:
        spec = body["spec"]
    return backend.upload_jobs.start_dataset_job(user, dataset_hash, body["integration_id"], spec_from_files(spec),
                                                 ignore_errors=body.get("ignore_errors", False),
                                                 file_name=body.get("file_name"))


def seed(backend: EmulatorBackend, name: str, email: str) -> dict:
    """Create a documented scenario, owned by a registered user (its upload job runs to its end meanwhile)."""
    if name not in SEEDS:
        raise exc.UnknownSeed(name, SEEDS)
    return SEEDS[name](backend, backend.users.member_by_email(email))
