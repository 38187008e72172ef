"""Storage folders, their items and folder upload jobs on the wire (v2)."""

from __future__ import annotations

import json

from flask import current_app, jsonify, request

from emulator.core.errors import InvalidArgumentsError
from emulator.core.wire import LegacyRequest, RestRequest
from emulator.ingestion.models import counts, result_units
from emulator.ingestion.spec import ACTION_DESCRIPTIONS, spec_from_data_items, spec_from_files
from emulator.organisation.responses import group_grant_handlers
from emulator.storage.exceptions import UnknownItemType
from emulator.storage.models import (ITEM_TYPES, FolderFilters, ItemFilters, client_metadata_string,
                                     item_metadata_path)

MAX_HOLD_QUERY = "timeoutSeconds"


def folder_wire(ctx, folder: dict) -> dict:
    return {"uuid": folder["uuid"], "parent": folder["parent"], "name": folder["name"],
            "description": folder["description"], "clientMetadata": folder["client_metadata"],
            "owner": folder["owner"], "createdAt": folder["created_at"], "lastEditedAt": folder["last_edited_at"],
            "userRole": "admin", "syncedDatasetHash": folder.get("synced_dataset_hash"),
            "pathToRoot": ctx.backend.storage.path_to_root(folder),
            "folderType": "cloudLinked" if folder.get("cloud_link") else "generic",
            "integrationHash": folder["cloud_link"]["integration_id"] if folder.get("cloud_link") else None,
            "remoteUrl": folder["cloud_link"]["remote_url"] if folder.get("cloud_link") else None}


def signed_item_metadata(item_uuid: str):
    """What ``clientMetadataSignedUrl`` points at: the item's client metadata as a JSON document."""
    backend = current_app.extensions["encord_emulator"]
    backend.media_signer.verify(item_metadata_path(item_uuid), request.args)
    return jsonify(backend.storage.item(item_uuid)["client_metadata"])


def item_wire(ctx, item: dict, sign_urls: bool, client_metadata: str) -> dict:
    """A StorageItem; ``client_metadata`` is inline, omitted, or a signed link (what the SDK's flags ask)."""
    dicom = item.get("dicom") or {}
    audio = item.get("audio") or {}
    signer = ctx.backend.media_signer
    wire = {"uuid": item["uuid"], "parent": item["parent"], "itemType": item["item_type"], "name": item["name"],
            # Left empty (JSON null, as text: the SDK's StorageItem requires a string) unless sent inline.
            "description": item.get("description", ""), "clientMetadata": client_metadata_string(item) if client_metadata == "inline" else "null",
            "owner": item["owner"],
            "createdAt": item["created_at"], "lastEditedAt": item["last_edited_at"], "isTombstone": item.get("is_tombstone", False),
            "isPlaceholder": False,
            "backedDataUnitsCount": ctx.backend.datasets.backed_data_units_count(item["uuid"]), "storageLocation": item["storage_location"],
            "integrationHash": item["integration_hash"], "url": item["url"],
            "signedUrl": signer.sign_object_url(item["url"]) if sign_urls else None,
            "fileSize": item["file_size"], "mimeType": item["mime_type"], "duration": item["duration"],
            "fps": item["fps"], "height": item["height"], "width": item["width"],
            "dicomInstanceUid": None, "dicomStudyUid": dicom.get("study_uid"),
            "dicomSeriesUid": dicom.get("series_uid"), "frameCount": item["frame_count"],
            "audioSampleRate": audio.get("sample_rate"), "audioBitDepth": audio.get("bit_depth"),
            "audioCodec": audio.get("codec"), "audioNumChannels": audio.get("channels")}
    if client_metadata == "signed":
        wire["clientMetadataSignedUrl"] = signer.sign(item_metadata_path(item["uuid"]))
    return wire


def create_folder(ctx: RestRequest) -> dict:
    body, cloud = ctx.body, ctx.body.get("cloudSyncedFolderParams")
    if cloud is not None:
        folder = ctx.backend.upload_jobs.create_cloud_synced_folder(
            ctx.user, body["name"], body.get("description") or "", body.get("parent"), body.get("clientMetadata"),
            cloud["integrationUuid"], cloud["remoteUrl"])
    else:
        folder = ctx.backend.storage.create_folder(ctx.user, body["name"], body.get("description") or "",
                                                   body.get("parent"), body.get("clientMetadata"))
    return folder_wire(ctx, folder)


def get_folder(ctx: RestRequest, folder_uuid: str) -> dict:
    return folder_wire(ctx, ctx.backend.storage.get_folder(ctx.user, folder_uuid))


def _list_folders(ctx: RestRequest, parent: str | None, recursive: bool = False) -> dict:
    if ctx.flag("includeOrgAccess"):
        raise InvalidArgumentsError("includeOrgAccess: organisation-wide access is not emulated")
    if ctx.arg_list("organisationTagNamesAllof"):
        raise InvalidArgumentsError("organisationTagNamesAllof: organisation tags are not emulated")
    synced = ctx.arg("datasetSynced")
    f = FolderFilters(search=ctx.arg("search") or None,
                      dataset_synced=ctx.flag("datasetSynced") if synced is not None else None,
                      recursive=recursive or ctx.flag("isRecursive"), order=ctx.arg("order", "name"),
                      desc=ctx.flag("desc"))
    page = ctx.page(ctx.backend.storage.folders(ctx.user, parent, f))
    page["results"] = [folder_wire(ctx, folder) for folder in page["results"]]
    return page


def list_folders(ctx: RestRequest) -> dict:
    return _list_folders(ctx, None)


def list_subfolders(ctx: RestRequest, folder_uuid: str) -> dict:
    return _list_folders(ctx, folder_uuid)


def _list_items(ctx: RestRequest, folder_uuid: str | None) -> dict:
    if ctx.flag("includeOrgAccess"):
        raise InvalidArgumentsError("includeOrgAccess: organisation-wide access is not emulated")
    in_dataset = ctx.arg("isInDataset")
    f = ItemFilters(search=ctx.arg("search") or None, item_types=tuple(ctx.arg_list("itemTypes")),
                    in_dataset=ctx.flag("isInDataset") if in_dataset is not None else None,
                    recursive=ctx.flag("isRecursive"), order=ctx.arg("order", "name"), desc=ctx.flag("desc"))
    if not ctx.flag("includeClientMetadata", True):
        client_metadata = "omitted"
    else:
        client_metadata = "signed" if ctx.flag("clientMetadataAsSignedUrl") else "inline"
    page = ctx.page(ctx.backend.storage.items(ctx.user, folder_uuid, f))
    page["results"] = [item_wire(ctx, i, ctx.flag("signUrls"), client_metadata) for i in page["results"]]
    return page


def list_items(ctx: RestRequest, folder_uuid: str) -> dict:
    return _list_items(ctx, folder_uuid)


def search_items(ctx: RestRequest) -> dict:
    return _list_items(ctx, None)


def search_folders(ctx: RestRequest) -> dict:
    return _list_folders(ctx, None, recursive=True)


def update_folder(ctx: RestRequest, folder_uuid: str) -> dict:
    return folder_wire(ctx, ctx.backend.storage.update_folder(ctx.user, folder_uuid, folder_changes(ctx.body)))


def folder_changes(patch: dict) -> dict:
    changes = {k: patch[w] for w, k in (("name", "name"), ("description", "description")) if w in patch}
    if "clientMetadata" in patch:
        changes["client_metadata"] = json.dumps(patch["clientMetadata"])
    return changes


def item_changes(patch: dict) -> dict:
    return {k: patch[w] for w, k in (("name", "name"), ("description", "description"),
                                     ("clientMetadata", "client_metadata")) if w in patch}


def update_item(ctx: RestRequest, folder_uuid: str, item_uuid: str) -> dict:
    item = ctx.backend.storage.update_item(ctx.user, folder_uuid, item_uuid, item_changes(ctx.body))
    return item_wire(ctx, item, False, "inline")


def update_folders(ctx: RestRequest) -> dict:
    folders = ctx.backend.storage.update_folders(
        ctx.user, {u: folder_changes(patch) for u, patch in ctx.body["folderPatches"].items()})
    return {"results": [folder_wire(ctx, folder) for folder in folders], "nextPageToken": None}


def update_items(ctx: RestRequest) -> dict:
    items = ctx.backend.storage.update_items(
        ctx.user, {u: item_changes(patch) for u, patch in ctx.body["itemPatches"].items()})
    return {"results": [item_wire(ctx, item, False, "inline") for item in items], "nextPageToken": None}


def move_items(ctx: RestRequest, folder_uuid: str) -> None:
    ctx.backend.storage.move_items(ctx.user, folder_uuid, ctx.body["itemUuids"], ctx.body["newParentUuid"],
                                   ctx.body.get("allowSyncedDatasetMove", False))


def move_folders(ctx: RestRequest) -> None:
    ctx.backend.storage.move_folders(ctx.user, ctx.body["folderUuids"], ctx.body.get("newParentUuid"))


SUMMARY_COUNTS = {"videos": "video", "images": "image", "imageGroups": "imageGroup",
                  "imageSequences": "imageSequence", "dicomFiles": "dicomFile", "dicomSeries": "dicomSeries",
                  "niftis": "nifti", "audios": "audio", "pdfs": "pdf", "plainTexts": "plainText"}


def folder_summary(ctx: RestRequest, folder_uuid: str) -> dict:
    summary = ctx.backend.storage.folder_summary(ctx.user, folder_uuid)
    return {"files": summary["files"], "folders": summary["folders"],
            **{w: summary["by_type"][t] for w, t in SUMMARY_COUNTS.items()}, "tombstones": summary["tombstones"],
            "uploadJobs": ctx.backend.upload_jobs.folder_jobs_count(folder_uuid),
            "totalSize": summary["total_size"]}


def item_summary(ctx: RestRequest, folder_uuid: str, item_uuid: str) -> dict:
    """Images are not items of groups here (groups hold their images inline), so no item is a frame of a group."""
    item = ctx.backend.storage.folder_item(ctx.user, folder_uuid, item_uuid)
    used_in, accessible = ctx.backend.datasets.item_uses(ctx.user, item_uuid)
    return {"frameInGroups": 0, "accessibleGroupItems": [], "usedInDatasets": used_in,
            "accessibleDatasets": [{"datasetHash": use["dataset"]["dataset_hash"],
                                    "backingFolderUuid": use["dataset"]["backing_folder_uuid"],
                                    "title": use["dataset"]["title"],
                                    "dataHashes": [r["data_hash"] for r in use["data_units"]],
                                    "dataUnitsCreatedAt": min(r["created_at"] for r in use["data_units"])}
                                   for use in accessible],
            "groupLayout": data_group_wire(item) if ctx.flag("includeGroupLayout") else None}


def data_group_wire(item: dict) -> dict | None:
    """A data group's layout as its creator sent it (DataGroupShortInfo): contents by key, tree, settings, timeline;
    a grid's or carousel's contents are keyed by their position."""
    group = item.get("data_group")
    if group is None:
        return None
    return {"layoutContents": {key: {"uuid": u} for key, u in group["layout_contents"].items()},
            "layout": group["layout"], "layoutSettings": group["settings"] or {}, "timeline": group["timeline"]}


def data_groups_asked(body: list[dict]) -> list[dict]:
    """The data groups a create-group-items call asks for, in the storage backend's words."""
    return [{"name": g.get("name"), "client_metadata": g.get("clientMetadata"),
             "data_group": {"layout_type": g["layoutType"], "layout_contents": layout_contents(g["layoutContents"]),
                            "layout": g.get("layout"), "timeline": g.get("timeline", []),
                            "settings": g.get("settings")}} for g in body]


def layout_contents(contents: list[str] | dict[str, str]) -> dict[str, str]:
    return dict(contents) if isinstance(contents, dict) else {str(i): u for i, u in enumerate(contents)}


def create_data_groups(ctx: RestRequest, folder_uuid: str) -> list[str]:
    groups = ctx.backend.storage.create_data_groups(ctx.user, folder_uuid, data_groups_asked(ctx.body))
    return [g["uuid"] for g in groups]


def create_data_group(ctx: RestRequest, folder_uuid: str) -> str:
    """0.1.180's one data group a call (create-group-item): the same creation as create-group-items."""
    group, = ctx.backend.storage.create_data_groups(ctx.user, folder_uuid, data_groups_asked([ctx.body["params"]]))
    return group["uuid"]


def child_items(ctx: RestRequest, folder_uuid: str, item_uuid: str) -> dict:
    items = ctx.backend.storage.child_items(ctx.user, folder_uuid, item_uuid)
    page = ctx.page(items)
    page["results"] = [item_wire(ctx, i, ctx.flag("signUrls"), "inline") for i in page["results"]]
    return page


def get_folder_config(ctx: RestRequest, folder_uuid: str) -> dict:
    return {"metadataIngestion": None, **ctx.backend.storage.folder_config(ctx.user, folder_uuid)}


def set_folder_config(ctx: RestRequest, folder_uuid: str) -> None:
    ctx.backend.storage.set_folder_config(ctx.user, folder_uuid, ctx.body)


def re_encode_videos(ctx: RestRequest) -> str:
    body = ctx.body
    return ctx.backend.storage.re_encode_videos(ctx.user, body["storageItems"], body["processTitle"],
                                                body["forceFullReencoding"])["process_hash"]


def re_encoding_status(ctx: RestRequest, process_hash: str) -> dict:
    """The process's status; it names no result of its own (the videos are as they were)."""
    return {"status": ctx.backend.storage.re_encoding(ctx.user, process_hash)["status"], "result": None}


def delete_folder(ctx: RestRequest, folder_uuid: str) -> None:
    ctx.backend.storage.delete_folder(ctx.user, folder_uuid)


def delete_items(ctx: RestRequest, folder_uuid: str) -> dict:
    removed = ctx.backend.storage.delete_items(ctx.user, folder_uuid, ctx.body["childUuids"],
                                               ctx.backend.datasets.backed_data_units_count)
    return {"removedItemsCount": removed, "removedFoldersCount": 0}


def get_items(ctx: RestRequest) -> dict:
    items = ctx.backend.storage.get_items(ctx.user, ctx.body["itemUuids"])
    return {"results": [item_wire(ctx, i, ctx.body.get("signUrls", False), "inline") for i in items],
            "nextPageToken": None}


def get_item(ctx: RestRequest, item_uuid: str) -> dict:
    return item_wire(ctx, ctx.backend.storage.get_item(ctx.user, item_uuid), ctx.flag("signUrl"), "inline")


def upload_signed_urls_wire(ctx: RestRequest, uploads: list[dict]) -> dict:
    """A page of UploadSignedUrl: each a place in Encord storage and the signed URL that PUTs its bytes."""
    return {"results": [{"itemUuid": u["item_uuid"], "objectKey": u["url"],
                         "signedUrl": ctx.backend.media_signer.sign_object_upload(u["url"]), "uploadHeaders": {}}
                        for u in uploads], "nextPageToken": None}


def presigned_upload_urls(ctx: RestRequest) -> dict:
    """``GET /presigned-urls?count=…&uploadItemType=…``: signed upload URLs into Encord storage (for datasets)."""
    count, item_type_ = ctx.arg("count", ""), ctx.arg("uploadItemType", "")
    if not count.isdigit():
        raise InvalidArgumentsError(f"count: expected a whole number, got {count!r}")
    if item_type_ not in ITEM_TYPES:
        raise UnknownItemType(item_type_, ITEM_TYPES, "uploadItemType")
    return upload_signed_urls_wire(ctx, ctx.backend.storage.reserve_uploads(ctx.user, int(count), None))


def folder_upload_signed_urls(ctx: RestRequest, folder_uuid: str) -> dict:
    return upload_signed_urls_wire(ctx, ctx.backend.storage.reserve_uploads(ctx.user, ctx.body["count"], folder_uuid))


def signed_upload_urls_legacy(ctx: LegacyRequest) -> list[dict]:
    """``signedimagesurl`` GET (releases up to 0.1.165; for any type of file in 0.1.165): a signed upload URL into
    Encord storage for each file name of the uid, in its order."""
    return legacy_signed_urls_wire(ctx, ctx.uid, "images")


def signed_dicom_upload_urls_legacy(ctx: LegacyRequest) -> list[dict]:
    """``signeddicomsurl`` GET (releases up to 0.1.164): as ``signedimagesurl``, for DICOM files."""
    return legacy_signed_urls_wire(ctx, ctx.uid, "dicom")


def signed_video_upload_url_legacy(ctx: LegacyRequest) -> dict:
    """``signedvideourl`` GET (releases up to 0.1.164): one video's signed upload URL."""
    return legacy_signed_urls_wire(ctx, [ctx.uid], "video")[0]


def signed_audio_upload_url_legacy(ctx: LegacyRequest) -> dict:
    """``signedaudiourl`` GET (EncordClientDataset.upload_audio, releases up to 0.1.135): one audio file's signed
    upload URL."""
    return legacy_signed_urls_wire(ctx, [ctx.uid], "audio")[0]


def legacy_signed_urls_wire(ctx: LegacyRequest, titles: list[str], media: str) -> list[dict]:
    """SignedImageURL and its kin: the data hash is the one the file's data row will have."""
    ctx.backend.datasets.get_dataset(ctx.user, ctx.resource_id)
    uploads = ctx.backend.storage.reserve_uploads(ctx.user, len(titles), None, legacy_media=media)
    return [{"signed_url": ctx.backend.media_signer.sign_object_upload(u["url"]), "data_hash": u["data_hash"],
             "title": title, "file_link": u["url"]} for title, u in zip(titles, uploads)]


def start_folder_upload(ctx: RestRequest, folder_uuid: str) -> str:
    body = ctx.body
    if body.get("externalFiles") is not None:
        spec = spec_from_files(body["externalFiles"])
    elif body.get("dataItems") is not None:
        spec = spec_from_data_items(body["dataItems"])
    else:
        raise InvalidArgumentsError("externalFiles or dataItems: the upload job lists no files.")
    job = ctx.backend.upload_jobs.start_folder_job(ctx.user, folder_uuid, body.get("integrationHash"), spec,
                                                   ignore_errors=body.get("ignoreErrors", False),
                                                   file_name=body.get("fileName"))
    return job["id"]


def hold_seconds(ctx: RestRequest) -> float:
    try:
        return float(ctx.arg(MAX_HOLD_QUERY, "0"))
    except ValueError:
        raise InvalidArgumentsError(f"{MAX_HOLD_QUERY}: {ctx.arg(MAX_HOLD_QUERY)!r} is not a number") from None


def start_cloud_sync(ctx: RestRequest, folder_uuid: str) -> str:
    return ctx.backend.upload_jobs.start_cloud_sync(ctx.user, folder_uuid)["uuid"]


def poll_cloud_sync(ctx: RestRequest, folder_uuid: str, sync_uuid: str) -> dict:
    sync, job = ctx.backend.upload_jobs.wait_for_cloud_sync(ctx.user, folder_uuid, sync_uuid, hold_seconds(ctx))
    status = job["status"] if job else "DONE"
    c = counts(job) if job else {"pending": 0, "done": 0, "error": 0, "cancelled": 0}
    return {"status": status.lower(), "scanPagesProcessingPending": 0, "scanPagesProcessingDone": 1,
            "scanPagesProcessingError": 0, "scanPagesProcessingCancelled": 0,
            "uploadJobsPending": int(status == "PENDING"), "uploadJobsDone": int(bool(job) and status == "DONE"),
            "uploadJobsError": int(status == "ERROR"), "uploadJobsUnitsPending": c["pending"],
            "uploadJobsUnitsDone": c["done"], "uploadJobsUnitsError": c["error"],
            "uploadJobsUnitsCancelled": c["cancelled"]}


def poll_folder_upload(ctx: RestRequest, folder_uuid: str, job_id: str) -> dict:
    job = ctx.backend.upload_jobs.wait(ctx.user, {"folder_uuid": folder_uuid}, job_id, hold_seconds(ctx))
    landed, failed = result_units(job)
    c = counts(job)
    return {"status": job["status"],
            "itemsWithNames": [{"itemUuid": u["item_uuid"], "name": u["data_title"]} for u in landed],
            "errors": job["errors"] + [u["error"] for u in failed],
            "unitErrors": [{"objectUrls": [f["url"] for f in u["files"]], "error": u["error"],
                            "subtaskUuid": u["subtask_uuid"], "actionDescription": ACTION_DESCRIPTIONS[u["kind"]]}
                           for u in failed],
            "unitsPendingCount": c["pending"], "unitsDoneCount": c["done"], "unitsErrorCount": c["error"],
            "unitsCancelledCount": c["cancelled"]}


def cancel_folder_upload(ctx: RestRequest, folder_uuid: str, job_id: str) -> dict:
    ctx.backend.upload_jobs.job(ctx.user, {"folder_uuid": folder_uuid}, job_id)
    ctx.backend.upload_jobs.cancel(job_id)
    return {"unitsCancelledCount": counts(ctx.backend.upload_jobs.current(job_id))["cancelled"]}


# StorageUserRole is a string enum: the roles' own names.
list_groups, add_groups, remove_groups = group_grant_handlers(lambda backend: backend.storage.group_grants,
                                                               {"admin": "admin", "user": "user"})
