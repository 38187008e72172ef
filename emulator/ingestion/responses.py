"""Upload jobs on the wire: ``datasetdatalongpolling`` POST (start) and GET (long poll)."""

from __future__ import annotations

from emulator.core.errors import InvalidArgumentsError
from emulator.core.wire import LegacyRequest
from emulator.ingestion.models import DONE, counts, result_units
from emulator.ingestion.spec import ACTION_DESCRIPTIONS, spec_from_data_items, spec_from_files


def spec_from_payload(payload: dict):
    return spec_from_files(payload["files"]) if "files" in payload else spec_from_data_items(payload["dataItems"])


def job_result_wire(job: dict) -> dict:
    """DatasetDataLongPolling, every key the SDK requires."""
    landed, failed = result_units(job)
    c = counts(job)
    return {
        "status": job["status"],
        "dataHashesWithTitles": [{"dataHash": u["data_hash"], "title": u["data_title"],
                                  "backingItemUuid": u["item_uuid"]} for u in landed],
        "errors": job["errors"] + [u["error"] for u in failed],
        "dataUnitErrors": [{"objectUrls": [f["url"] for f in u["files"]], "error": u["error"],
                            "subtaskUuid": u["subtask_uuid"], "actionDescription": ACTION_DESCRIPTIONS[u["kind"]]}
                           for u in failed],
        "unitsPendingCount": c["pending"],
        "unitsDoneCount": c["done"],
        "unitsErrorCount": c["error"],
        "unitsCancelledCount": c["cancelled"],
    }


# The keys of the start payload as releases up to 0.1.137 send them (camel case since 0.1.138).
SNAKE_CASE_START_KEYS = {"integration_id": "integrationId", "ignore_errors": "ignoreErrors",
                         "folder_uuid": "folderUuid"}


def start_upload_job(ctx: LegacyRequest) -> dict:
    payload = {SNAKE_CASE_START_KEYS.get(key, key): value for key, value in ctx.payload.items()}
    if payload.get("folderUuid"):
        raise InvalidArgumentsError("folderUuid: uploading into a storage folder through a dataset is not supported "
                                    "by the emulator; upload to the dataset itself.")
    job = ctx.backend.upload_jobs.start_dataset_job(
        ctx.user, ctx.resource_id, payload.get("integrationId"), spec_from_payload(payload),
        ignore_errors=payload.get("ignoreErrors", False), file_name=payload.get("fileName"),
    )
    return {"process_hash": job["id"]}


def refuse_folder(payload: dict) -> None:
    if payload.get("folder_uuid"):
        raise InvalidArgumentsError("folder_uuid: uploading into a storage folder through a dataset is not supported "
                                    "by the emulator; upload to the dataset itself.")


def register_single_image(ctx: LegacyRequest) -> dict:
    """``singleimage`` POST (releases up to 0.1.137, Dataset.upload_image): the image uploaded to Encord storage
    becomes a data row of the dataset, as an upload job of that one image would make it, answered once the job
    ended; the row takes the data hash the signed URL named."""
    payload = ctx.payload
    refuse_folder(payload)
    spec = spec_from_data_items({"images": [{"objectUrl": payload["file_link"], "title": payload["title"]}]})
    job = ctx.backend.upload_jobs.run_dataset_job(ctx.user, ctx.resource_id, spec)
    return {"success": job["status"] == DONE}


def register_video(ctx: LegacyRequest) -> dict:
    """``video`` PUT (releases up to 0.1.137, Dataset.upload_video and upload_audio): the video (or audio file, when
    its signed URL was asked for one) uploaded to Encord storage becomes a data row, titled ``video_title`` when
    given, else by its file name."""
    payload = ctx.payload
    refuse_folder(payload)
    row = ctx.backend.upload_jobs.register_uploads(ctx.user, ctx.resource_id, "video", [payload["data_hash"]],
                                                   [payload["title"]], payload.get("video_title"))
    return {"data_hash": row["data_hash"], "title": row["data_title"], "file_link": row["file_link"],
            "backing_item_uuid": row["backing_item_uuid"]}


def register_images(ctx: LegacyRequest) -> dict:
    """``images`` PUT (releases up to 0.1.137, before an image group is made of them): the uploaded images, by the
    data hashes their signed URLs named, take the titles they are registered by."""
    ctx.backend.datasets.get_dataset(ctx.user, ctx.resource_id)
    ctx.backend.storage.title_uploads(ctx.user, {image["data_hash"]: image["title"] for image in ctx.payload})
    return {"success": True}


def create_image_group(ctx: LegacyRequest) -> list[dict]:
    """``imagegroup`` POST (releases up to 0.1.137, Dataset.create_image_group): the uploaded images, by their data
    hashes in the uid's order, become one image group (an image sequence with ``create_video``), titled
    ``image_group_title`` when given, else by its first image."""
    payload = ctx.payload
    refuse_folder(payload)
    kind = "image_sequence" if payload.get("create_video", True) else "image_group"
    row = ctx.backend.upload_jobs.register_uploads(ctx.user, ctx.resource_id, kind, ctx.uid, None,
                                                   payload.get("image_group_title"))
    return [{"data_hash": row["data_hash"], "title": row["data_title"], "file_link": row["file_link"] or ""}]


def create_dicom_series(ctx: LegacyRequest) -> dict:
    """``dicomseries`` POST (releases up to 0.1.137, Dataset.create_dicom_series): the uploaded DICOM files (id,
    uri and title each; read where their data hash's upload put them) become one DICOM series, titled ``title``
    when given, else by its first file."""
    payload = ctx.payload
    refuse_folder(payload)
    row = ctx.backend.upload_jobs.register_uploads(ctx.user, ctx.resource_id, "dicom_series",
                                                   [f["id"] for f in ctx.uid], [f["title"] for f in ctx.uid],
                                                   payload.get("title"))
    return {"data_hash": row["data_hash"], "title": row["data_title"]}


def poll_upload_job(ctx: LegacyRequest) -> dict:
    payload = ctx.payload
    job = ctx.backend.upload_jobs.wait(ctx.user, {"dataset_hash": ctx.resource_id}, payload["process_hash"],
                                       payload.get("timeout_seconds", 0))
    return job_result_wire(job)


def job_view(job: dict) -> dict:
    """The control API's view of a job: everything, including what the SDK's result has no field for (skipped
    units, warnings such as DICOM files without 3D tags)."""
    return {
        "id": job["id"],
        "dataset_hash": job["dataset_hash"],
        "folder_uuid": job["folder_uuid"],
        "status": job["status"],
        "ignore_errors": job["ignore_errors"],
        "progression": job["progression"],
        "counts": counts(job),
        "errors": job["errors"],
        "created_at": job["created_at"],
        "finished_at": job["finished_at"],
        "units": [{"kind": u["kind"], "title": u["title"], "object_urls": [f["url"] for f in u["files"]],
                   "state": u["state"], "error": u["error"], "skipped": u["skipped"], "warnings": u["warnings"],
                   "data_hash": u["data_hash"], "item_uuid": u["item_uuid"]} for u in job["units"]],
    }
