"""DICOM de-identification on the wire: ``dicom-deidentification`` POST (start) and GET (long poll)."""

from __future__ import annotations

from emulator.core.errors import InvalidArgumentsError
from emulator.core.wire import LegacyRequest, RestRequest
from emulator.deidentification.exceptions import TaskFailedOnLegacyWire
from emulator.deidentification.models import DONE, SaveCondition

# The SDK's CamelStrEnum values, as the service's names.
PIXEL_MODES = {"redactNoText": "REDACT_NO_TEXT", "redactAllText": "REDACT_ALL_TEXT",
               "redactSensitiveText": "REDACT_SENSITIVE_TEXT"}
CONDITION_TYPES = {"in": "IN", "notSubstr": "NOT_SUBSTR"}


def start_deidentification(ctx: RestRequest) -> str:
    body = ctx.body
    task = ctx.backend.deidentification.start_task(
        ctx.user, body["integrationUuid"], body["dicomUrls"], body.get("redactDicomTags", True),
        PIXEL_MODES[body.get("redactPixelsMode", "redactNoText")],
        [SaveCondition(CONDITION_TYPES[c["conditionType"]], c["dicomTag"], c["value"])
         for c in body.get("saveConditions") or []],
        body.get("uploadDir"))
    return task["uuid"]


def saved_urls(task: dict) -> list[str]:
    return [f["saved_url"] for f in task["files"] if f["saved_url"]]


def deidentify_legacy(ctx: LegacyRequest) -> list[str]:
    """Releases up to 0.1.151 wait for the de-identified files in the one request."""
    payload = ctx.payload
    task = ctx.backend.deidentification.start_task(
        ctx.user, ctx.uid, payload["dicom_urls"], payload.get("redact_dicom_tags", True),
        payload.get("redact_pixels_mode", "REDACT_NO_TEXT"),
        [SaveCondition(c["condition_type"], c["dicom_tag"], c["value"]) for c in payload.get("save_conditions", [])],
        payload.get("upload_dir"))
    task = ctx.backend.deidentification.wait_until_ended(ctx.user, task["uuid"])
    if task["status"] != DONE:
        raise TaskFailedOnLegacyWire(task["error"])
    return saved_urls(task)


def poll_deidentification(ctx: RestRequest, task_uuid: str) -> dict:
    timeout = ctx.arg("timeoutSeconds", "0")
    if not timeout.isdigit():
        raise InvalidArgumentsError(f"timeoutSeconds: {timeout!r} is not a whole number of seconds")
    task = ctx.backend.deidentification.wait(ctx.user, task_uuid, int(timeout))
    return {"status": task["status"],
            "urls": saved_urls(task) if task["status"] == DONE else None}
