"""The control API on the wire: JSON in, JSON out, errors as ``{"code", "message"}`` with an HTTP status."""

from __future__ import annotations

import json

from flask import Response, current_app, request

from emulator.analytics import responses as analytics_responses
from emulator.backend import EmulatorBackend
from emulator.control import access
from emulator.control import models
from emulator.core import contracts
from emulator.core.errors import InvalidArgumentsError
from emulator.core.faults import ANY_OPERATION
from emulator.ingestion.models import Progression
from emulator.ingestion.responses import job_view


def _backend() -> EmulatorBackend:
    return current_app.extensions["encord_emulator"]


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _body(contract: str) -> dict:
    return contracts.json_body(request.get_data(), contract)


def health() -> Response:
    ready, report = models.health(_backend())
    return _json(report, 200 if ready else 503)


def reset() -> Response:
    _backend().reset()
    return _json({"reset": True})


def create_user() -> Response:
    body = _body("control-user-request")
    access.strict_registration_needs_control_token(_backend().config)
    user = _backend().users.register_user(body["email"], body["public_key"])
    return _json({"user_hash": user.user_hash, "email": user.email, "public_key_hex": user.public_key_hex}, 201)


def list_users() -> Response:
    return _json({"users": [{"user_hash": u.user_hash, "email": u.email, "public_key_hex": u.public_key_hex}
                            for u in _backend().users.users()]})


def create_integration() -> Response:
    body = _body("control-integration-request")
    backend = _backend()
    for email in body.get("users", []):
        backend.users.user_by_email(email)
    integration = backend.integrations.create_integration(
        title=body["title"], provider=body["provider"], buckets=body["buckets"],
        write=body.get("write", False), users=body.get("users", []),
    )
    return _json({"id": integration["id"], "title": integration["title"], "provider": integration["provider"]}, 201)


def put_object(bucket: str, key: str) -> Response:
    return _json(_backend().buckets.put_object(bucket, key, request.get_data(), request.content_type or None), 201)


def share() -> Response:
    body = _body("control-share-request")
    return _json(models.share(_backend(), body["resource_type"], body["resource_id"], body["email"],
                              body.get("role", "user")), 201)


def register_data_rows(dataset_hash: str) -> Response:
    body = _body("control-data-rows-request")
    rows = models.register_data_rows(_backend(), dataset_hash, body["rows"], body.get("integration_id"))
    return _json({"data_rows": [{"data_hash": r["data_hash"], "data_title": r["data_title"],
                                 "backing_item_uuid": r["backing_item_uuid"]} for r in rows]}, 201)


def inject_fault() -> Response:
    body = _body("control-fault-request")
    fault = _backend().faults.inject(current_app.extensions["encord_emulator_routes"].wires(),
                                     body.get("operation", ANY_OPERATION), body.get("error"), body.get("connection"),
                                     body.get("delay_ms", 0), body.get("times", 1), body.get("message"),
                                     body.get("retry_after"))
    return _json(fault, 201)


def list_faults() -> Response:
    return _json({"faults": _backend().faults.pending()})


def clear_faults() -> Response:
    _backend().faults.clear()
    return _json({"faults": []})


def list_requests() -> Response:
    """``?operation=`` (a wire name) and ``?status=`` (an HTTP status) keep only the requests that match."""
    status = request.args.get("status")
    if status is not None and not status.isdigit():
        raise InvalidArgumentsError(f"status: {status!r} is not an HTTP status")
    return _json({"requests": _backend().request_journal.entries(request.args.get("operation"),
                                                                 int(status) if status is not None else None)})


def clear_requests() -> Response:
    _backend().request_journal.clear()
    return _json({"requests": []})


def get_state() -> Response:
    include_secrets = request.args.get("include_secrets", "false")
    if include_secrets not in ("true", "false"):
        raise InvalidArgumentsError(f"include_secrets: {include_secrets!r} is neither 'true' nor 'false'")
    return _json(models.exported_state(_backend(), include_secrets == "true"))


def put_state() -> Response:
    raw = request.get_data()
    models.import_state(_backend(), contracts.parse_json(raw) if raw else None)
    return _json({"imported": True, "counts": _backend().store.counts()})



def set_upload_progression() -> Response:
    body = _body("control-upload-progression-request")
    progression = Progression(body["progression"], body.get("seconds", 0.0))
    _backend().upload_jobs.set_progression(progression)
    return _json(progression.to_doc())


def list_upload_jobs() -> Response:
    return _json({"upload_jobs": [job_view(j) for j in _backend().upload_jobs.list_jobs()]})


def get_upload_job(job_id: str) -> Response:
    """``?wait=N`` holds the request until the job ends or N seconds pass (at most 60)."""
    try:
        wait = float(request.args.get("wait", 0))
    except ValueError:
        raise InvalidArgumentsError(f"wait: {request.args['wait']!r} is not a number of seconds") from None
    _backend().upload_jobs.wait_until_ended(job_id, wait)
    return _json(job_view(models.upload_job(_backend(), job_id)))


def advance_upload_job(job_id: str) -> Response:
    body = _body("control-upload-advance-request")
    return _json(job_view(_backend().upload_jobs.advance(job_id, (body or {}).get("units"))))


def cancel_upload_job(job_id: str) -> Response:
    _backend().upload_jobs.cancel(job_id)
    return _json(job_view(models.upload_job(_backend(), job_id)))


def start_upload_job(dataset_hash: str) -> Response:
    body = _body("control-upload-request")
    job = models.start_upload_job(_backend(), dataset_hash, body)
    return _json(job_view(job), 201)


def seed(name: str) -> Response:
    body = _body("control-seed-request")
    return _json(models.seed(_backend(), name, body["email"]), 201)


def create_project() -> Response:
    body = _body("control-project-request")
    backend = _backend()
    project = backend.projects.create_project(
        backend.users.member_by_email(body["email"]), body["title"], body.get("description", ""),
        body.get("dataset_hashes", []), body.get("ontology_hash"), project_type=body["project_type"])
    return _json({k: project[k] for k in ("project_hash", "project_type", "title", "ontology_hash")}, 201)


def create_workflow_template() -> Response:
    body = _body("control-workflow-template-request")
    backend = _backend()
    template = backend.projects.create_workflow_template(
        backend.users.member_by_email(body["email"]), body["title"], body.get("description", ""), body["stages"])
    return _json({"template_hash": template["template_hash"], "title": template["title"],
                  "stages": template["stages"]}, 201)


def set_task_status(project_hash: str, data_hash: str) -> Response:
    status = _body("control-task-status-request")["annotation_task_status"]
    task = _backend().labels.set_annotation_task_status(project_hash, data_hash, status)
    return _json({"project_hash": project_hash, "data_hash": data_hash, "annotation_task_status": task["status"]})


def add_time_spent(project_hash: str) -> Response:
    body = _body("control-time-spent-request")
    started_at = analytics_responses.timestamp_value("started_at", body["started_at"]) if "started_at" in body else None
    entry = _backend().analytics.add_time_spent(project_hash, body["email"], body["data_hash"], body["seconds"],
                                                started_at, body.get("stage_uuid"))
    return _json(entry, 201)
