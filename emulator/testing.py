"""The handle the pytest fixtures yield: one interface to an emulator, in-process or on a socket.

Every operation goes through the control API over ``requests`` (answered in-process by ``mock_encord``'s
interception, or by the threaded server), so both modes run the same code.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from emulator.buckets.models import s3_client


@dataclass(frozen=True)
class RegisteredUser:
    email: str
    private_key: str  # OpenSSH "BEGIN OPENSSH PRIVATE KEY" text, what EncordUserClient loads
    public_key: str  # "ssh-ed25519 AAAA…"
    public_key_hex: str


def new_ssh_key() -> tuple[str, str]:
    """A fresh Ed25519 key pair: (OpenSSH private key text, OpenSSH public key line)."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                serialization.NoEncryption()).decode("ascii")
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                           serialization.PublicFormat.OpenSSH).decode("ascii")
    return private, public


class ControlError(Exception):
    def __init__(self, status: int, code: str, message: str):
        self.status, self.code, self.message = status, code, message
        super().__init__(f"{status} {code}: {message}")


class EmulatorHandle:
    def __init__(self, url: str, s3_endpoint_url: str | None, backend):
        self.url = url.rstrip("/")
        self.s3_endpoint_url = s3_endpoint_url
        self.backend = backend
        self.control_token = backend.config.control_token  # sent on every control call, and as .s3's access key
        self._users: dict[str, RegisteredUser] = {}
        self._emails = (f"user{n}@example.com" for n in itertools.count(1))
        self._s3 = None

    # -- control API -------------------------------------------------------------------------------------------------

    def control(self, method: str, path: str, **kwargs) -> Any:
        if self.control_token:
            kwargs["headers"] = {"Authorization": f"Bearer {self.control_token}", **kwargs.get("headers", {})}
        reply = requests.request(method, f"{self.url}/_emulator/{path.lstrip('/')}", timeout=60, **kwargs)
        body = reply.json() if reply.content else None
        if reply.status_code >= 400:
            body = body or {}
            raise ControlError(reply.status_code, body.get("code", ""), body.get("message", reply.text))
        return body

    def health(self) -> dict:
        return self.control("GET", "health")

    def reset(self) -> None:
        self.control("POST", "reset")
        self._users.clear()

    def register_user(self, email: str | None = None) -> RegisteredUser:
        email = email or next(self._emails)
        private, public = new_ssh_key()
        created = self.control("POST", "users", json={"email": email, "public_key": public})
        user = RegisteredUser(email=email, private_key=private, public_key=public,
                              public_key_hex=created["public_key_hex"])
        self._users[email] = user
        return user

    def user_client(self, email: str | None = None):
        """A real ``EncordUserClient`` for a user (registered now if the handle does not know it yet)."""
        from encord.user_client import EncordUserClient

        user = self._users.get(email) if email else None
        if user is None:
            user = self.register_user(email)
        return EncordUserClient.create_with_ssh_private_key(ssh_private_key=user.private_key, domain=self.url)

    def add_integration(self, title: str, provider: str = "AWS", buckets: list[str] | None = None,
                        write: bool = False, users: list[str] | None = None) -> dict:
        body = {"title": title, "provider": provider, "buckets": buckets or [], "write": write}
        if users is not None:
            body["users"] = users
        return self.control("POST", "integrations", json=body)

    def share(self, resource_type: str, resource_id: str, email: str, role: str = "user") -> dict:
        return self.control("POST", "shares", json={"resource_type": resource_type, "resource_id": resource_id,
                                                     "email": email, "role": role})

    def register_data_rows(self, dataset_hash: str, rows: list[dict], integration_id: str | None = None) -> list:
        body: dict = {"rows": rows}
        if integration_id:
            body["integration_id"] = integration_id
        return self.control("POST", f"datasets/{dataset_hash}/data-rows", json=body)["data_rows"]

    # -- upload jobs ---------------------------------------------------------------------------------------------------

    def set_job_progression(self, progression: str, seconds: float | None = None) -> dict:
        """How upload jobs started from now on progress: "immediate", "time" (``seconds`` per unit) or "manual"."""
        body: dict = {"progression": progression}
        if seconds is not None:
            body["seconds"] = seconds
        return self.control("PUT", "upload-jobs/progression", json=body)

    def advance_job(self, job_id: str, units: int | None = None) -> dict:
        return self.control("POST", f"upload-jobs/{job_id}/advance", json={"units": units} if units else {})

    def cancel_job(self, job_id: str) -> dict:
        return self.control("POST", f"upload-jobs/{job_id}/cancel")

    def upload_job(self, job_id: str, wait: float = 0) -> dict:
        """The job as the control API shows it; ``wait`` holds until it ends (at most that many seconds)."""
        return self.control("GET", f"upload-jobs/{job_id}", params={"wait": wait} if wait else None)

    def upload(self, dataset_hash: str, integration_id: str, spec: dict | None = None, csv: str | None = None,
               ignore_errors: bool = False) -> dict:
        """Start an upload job the way the web app does (a JSON spec or CSV text); returns the job."""
        body: dict = {"integration_id": integration_id, "ignore_errors": ignore_errors}
        body.update({"spec": spec} if spec is not None else {"csv": csv})
        return self.control("POST", f"datasets/{dataset_hash}/upload-jobs", json=body)

    def seed(self, name: str, email: str | None = None) -> dict:
        """Create a documented scenario (e.g. "blueberries-and-cherries") owned by ``email`` (a new user if not
        given); returns its hashes and the owner's email, for ``user_client(email)``."""
        if email is None or email not in self._users:
            email = self.register_user(email).email
        return {**self.control("POST", f"seeds/{name}", json={"email": email}), "email": email}

    def create_project(self, title: str, dataset_hashes: list[str] | None = None, *, email: str,
                       ontology_hash: str | None = None, project_type: str = "manual_qa") -> dict:
        """A project owned by ``email``; the SDK makes workflow projects, so the default here is manual QA."""
        body: dict = {"email": email, "title": title, "dataset_hashes": dataset_hashes or [],
                      "project_type": project_type}
        if ontology_hash:
            body["ontology_hash"] = ontology_hash
        return self.control("POST", "projects", json=body)

    def create_workflow_template(self, title: str, stages: list[dict], *, email: str, description: str = "") -> dict:
        """A workflow template owned by ``email``, for ``create_project(..., workflow_template_hash=...)``: ``stages``
        in order, each ``{"uuid", "title", "type"}`` (ANNOTATION, REVIEW, AGENT, CONSENSUS_ANNOTATION,
        CONSENSUS_REVIEW, DONE); an AGENT stage's ``"pathways"``: ``[{"uuid", "name", "destination_uuid"}]``. Tasks
        start in the first stage; a stage other than an AGENT or DONE one passes them to the next. Returns
        ``template_hash`` and the stages as the SDK will see them."""
        return self.control("POST", "workflow-templates", json={"email": email, "title": title,
                                                                "description": description, "stages": stages})

    def set_task_status(self, project_hash: str, data_hash: str, status: str) -> dict:
        """Move a manual-QA task to an annotation task status (QUEUED, ASSIGNED, IN_REVIEW, RETURNED, COMPLETED)."""
        return self.control("PUT", f"projects/{project_hash}/tasks/{data_hash}",
                            json={"annotation_task_status": status})

    def add_time_spent(self, project_hash: str, email: str, data_hash: str, seconds: float,
                       started_at: str | None = None, stage_uuid: str | None = None) -> dict:
        """Time ``email`` spent on a data unit's task, as the web app's editor measures it: in the task's current
        stage unless ``stage_uuid`` names another, from ``started_at`` (ISO-8601; else ending now)."""
        body: dict = {"email": email, "data_hash": data_hash, "seconds": seconds}
        if started_at is not None:
            body["started_at"] = started_at
        if stage_uuid is not None:
            body["stage_uuid"] = stage_uuid
        return self.control("POST", f"projects/{project_hash}/time-spent", json=body)

    def export(self, project_hash: str, **options) -> Any:
        """Export a project's labels as the web app's "Export and save" does, and keep it as a label version: options
        ``format`` ("json" or "coco"), ``label_hashes``, ``signed_urls``, ``statuses``, ``object_feature_hashes``,
        ``classification_feature_hashes``, ``branch_name``, ``version_name``, ``user_email``. Returns the file."""
        return self.control("POST", f"projects/{project_hash}/exports", json=options)

    def label_versions(self, project_hash: str) -> list[dict]:
        """A project's exports (label versions), newest first."""
        return self.control("GET", f"projects/{project_hash}/exports")["label_versions"]

    def download_export(self, project_hash: str, export_hash: str) -> Any:
        """A label version's file, again."""
        return self.control("GET", f"projects/{project_hash}/exports/{export_hash}")

    def inject_fault(self, error: str | None = None, operation: str = "*", times: int = 1, message: str | None = None,
                     retry_after: int | None = None, *, connection: str | None = None,
                     delay_ms: int | None = None) -> dict:
        """The next ``times`` SDK requests of ``operation`` (a COVERAGE.md wire name, or ``*``) get ``error``, an error
        code of the SDK's table (``RATE_LIMIT_ERROR`` is HTTP 429 with ``Retry-After: retry_after``), or a
        ``connection`` fault (``"drop"``: closed unanswered; ``"timeout"``: held until the client gives up), after
        ``delay_ms`` if given (a delay alone: answered normally, late)."""
        body: dict = {"operation": operation, "times": times}
        for name, value in (("error", error), ("message", message), ("retry_after", retry_after),
                            ("connection", connection), ("delay_ms", delay_ms)):
            if value is not None:
                body[name] = value
        return self.control("POST", "faults", json=body)

    def clear_faults(self) -> None:
        self.control("DELETE", "faults")

    def requests(self, operation: str | None = None, status: int | None = None) -> list[dict]:
        """The journal of the last requests the emulator answered, oldest first: operation, user, status, error,
        duration and what was sent (``uid``/``payload`` of a legacy request, ``body``/``args`` of a v2 one)."""
        params = {name: value for name, value in (("operation", operation), ("status", status)) if value is not None}
        return self.control("GET", "requests", params=params)["requests"]

    def clear_requests(self) -> None:
        self.control("DELETE", "requests")

    def state(self, include_secrets: bool = False) -> dict:
        """The state document; bearer tokens only with ``include_secrets`` (and a control token configured)."""
        return self.control("GET", "state", params={"include_secrets": "true"} if include_secrets else None)

    def load_state(self, document: dict) -> dict:
        return self.control("PUT", "state", json=document)

    # -- DataGym ---------------------------------------------------------------------------------------------------

    @property
    def datagym(self) -> "DataGymControl":
        return DataGymControl(self)

    # -- buckets -----------------------------------------------------------------------------------------------------

    @property
    def s3(self):
        """A boto3 S3 client bound to the emulator's buckets."""
        if self._s3 is None:
            self._s3 = s3_client(self.s3_endpoint_url, self.control_token)
        return self._s3

    def put_object(self, bucket: str, key: str, data: bytes) -> dict:
        return self.control("PUT", f"buckets/{bucket}/{key}", data=data)


class DataGymControl:
    """What the DataGym client cannot do itself: tokens, projects and task states (the handle's ``.datagym``)."""

    def __init__(self, handle: EmulatorHandle):
        self._handle = handle

    @property
    def base_url(self) -> str:
        """The DataGym client's ``base_url`` for this emulator."""
        return self._handle.url + "/datagym/"

    def token(self, name: str = "tests") -> str:
        return self._handle.control("POST", "datagym/tokens", json={"name": name})["token"]

    def project(self, name: str, token: str, label_config: list, datasets: list[str] | None = None,
                media_type: str = "IMAGE") -> dict:
        return self._handle.control("POST", "datagym/projects", json={
            "name": name, "token": token, "media_type": media_type, "label_config": label_config,
            "datasets": datasets or []})

    def set_task_state(self, project_id: str, media_id: str, state: str) -> dict:
        return self._handle.control("POST", f"datagym/projects/{project_id}/tasks/{media_id}", json={"state": state})
