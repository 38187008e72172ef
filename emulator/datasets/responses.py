"""Dataset requests on the wire: parse what the SDK sends, call the models, shape what it parses."""

from __future__ import annotations

from flask import current_app, jsonify, request

from emulator.core import timefmt
from emulator.core.wire import LegacyRequest, RestRequest
from emulator.core.filters import ListingFilters
from emulator.datasets.models import DataRowFilters, client_metadata_path
from emulator.organisation.responses import group_grant_handlers

DATA_ROW_KEYS = (
    "data_hash", "data_title", "data_type", "created_at", "last_edited_at", "width", "height", "file_link",
    "file_size", "file_type", "storage_location", "frames_per_second", "duration", "backing_item_uuid",
)


def signed_client_metadata(dataset_hash: str, data_hash: str):
    """What ``client_metadata_signed_url`` points at: the client metadata as a JSON document."""
    backend = current_app.extensions["encord_emulator"]
    backend.media_signer.verify(client_metadata_path(dataset_hash, data_hash), request.args)
    return jsonify(backend.datasets.data_row(dataset_hash, data_hash).get("client_metadata") or {})


def data_row_wire(row: dict, fetch_client_metadata: bool) -> dict:
    wire = {key: row.get(key) for key in DATA_ROW_KEYS}
    if fetch_client_metadata:
        wire["client_metadata"] = row.get("client_metadata") or {}
    if row.get("images_data") is not None:
        wire["images_data"] = row["images_data"]
        wire["is_optimised_image_group"] = bool(row.get("is_optimised_image_group"))
    return wire


def _access_settings(payload: dict | None) -> dict:
    settings = (payload or {}).get("dataset_access_settings") or {}
    return {"fetch_client_metadata": bool(settings.get("fetch_client_metadata")),
            "fetch_rows": settings.get("fetch_rows", True) is not False}


# -- v2 ------------------------------------------------------------------------------------------------------------------

def create_dataset(ctx: RestRequest) -> dict:
    dataset = ctx.backend.datasets.create_dataset(
        ctx.user,
        title=ctx.body["title"],
        description=ctx.body.get("description") or "",
        create_backing_folder=ctx.body.get("createBackingFolder", True),
    )
    return {"datasetUuid": dataset["dataset_hash"], "backingFolderUuid": dataset["backing_folder_uuid"]}


def list_datasets(ctx: RestRequest) -> dict:
    ctx.flag("includeOrgAccess")
    found = ctx.backend.datasets.list_datasets(ctx.user, ListingFilters.from_query(ctx.args, "description"))
    return {
        "result": [
            {
                "datasetUuid": d["dataset_hash"],
                "title": d["title"],
                "description": d["description"],
                "createdAt": d["created_at"],
                "lastEditedAt": d["last_edited_at"],
                "userRole": role,
                "storageLocation": ctx.backend.datasets.dataset_storage_location(d)[0],
                "backingFolderUuid": d["backing_folder_uuid"],
            }
            for d, role in found
        ]
    }


# -- legacy --------------------------------------------------------------------------------------------------------------

# What the service put in place of the creator's user hash (its withdrawal from the API, which SDKs still read).
WITHDRAWN_USER_HASH = "fields withdrawn for compliance reasons"
DATASET_USER_ROLES = {"admin": 0, "user": 1}
DATASET_ROLE_NAMES = {code: name for name, code in DATASET_USER_ROLES.items()}


def create_dataset_legacy(ctx: LegacyRequest) -> dict:
    """create_dataset before it moved to /v2/public: the storage location the release names (OTC's code is
    S3_COMPATIBLE's) is echoed, as later releases echo it themselves; the dataset reports the storage of its data,
    as any other."""
    payload = ctx.payload
    dataset = ctx.backend.datasets.create_dataset(
        ctx.user, title=payload["title"], description=payload.get("description") or "",
        create_backing_folder=payload.get("create_backing_folder", True),
    )
    return {"title": dataset["title"], "type": payload["type"], "dataset_hash": dataset["dataset_hash"],
            "user_hash": WITHDRAWN_USER_HASH, "backing_folder_uuid": dataset["backing_folder_uuid"]}


def list_datasets_legacy(ctx: LegacyRequest) -> list[dict]:
    found = ctx.backend.datasets.list_datasets(ctx.user, ListingFilters.from_legacy(ctx.payload))
    return [
        {"user_role": DATASET_USER_ROLES[role],
         "dataset": {"dataset_hash": d["dataset_hash"], "user_hash": WITHDRAWN_USER_HASH, "title": d["title"],
                     "description": d["description"], "type": ctx.backend.datasets.dataset_storage_location(d)[0],
                     "created_at": timefmt.legacy(d["created_at"]),
                     "last_edited_at": timefmt.legacy(d["last_edited_at"]),
                     "backing_folder_uuid": d["backing_folder_uuid"]}}
        for d, role in found
    ]


# S3-compatible storage was OTC's until 0.1.122 renamed it: releases up to 0.1.121 read only OTC's name.
LAST_RELEASE_NAMING_OTC = (0, 1, 121)


def dataset_type_wire(storage_type: str, release: tuple[int, ...] | None) -> str:
    if storage_type == "S3_COMPATIBLE_STR" and release is not None and release <= LAST_RELEASE_NAMING_OTC:
        return "OTC_STR"
    return storage_type


def get_dataset(ctx: LegacyRequest) -> dict:
    datasets = ctx.backend.datasets
    dataset = datasets.get_dataset(ctx.user, ctx.resource_id)
    settings = _access_settings(ctx.payload)
    wire = {
        "dataset_hash": dataset["dataset_hash"],
        "title": dataset["title"],
        "description": dataset["description"],
        "dataset_type": dataset_type_wire(datasets.dataset_storage_location(dataset)[1], ctx.sdk_release),
        "backing_folder_uuid": dataset["backing_folder_uuid"],
    }
    if settings["fetch_rows"]:
        rows = datasets.data_rows(dataset["dataset_hash"], DataRowFilters())
        wire["data_rows"] = [data_row_wire(r, settings["fetch_client_metadata"]) for r in rows]
    return wire


def list_data_rows(ctx: LegacyRequest) -> list[dict]:
    datasets = ctx.backend.datasets
    dataset = datasets.get_dataset(ctx.user, ctx.resource_id)
    payload = ctx.payload or {}
    rows = datasets.data_rows(
        dataset["dataset_hash"],
        DataRowFilters(
            title_eq=payload.get("title_eq"), title_like=payload.get("title_like"),
            created_before=payload.get("created_before"), created_after=payload.get("created_after"),
            data_types=tuple(payload["data_types"]) if payload.get("data_types") is not None else None,
            data_hashes=tuple(payload["data_hashes"]) if payload.get("data_hashes") is not None else None,
        ),
    )
    fetch_client_metadata = _access_settings(payload)["fetch_client_metadata"]
    return [data_row_wire(r, fetch_client_metadata) for r in rows]


def get_data_row(ctx: LegacyRequest) -> dict:
    """DataRow.refetch_data: the row, with its client metadata and a signed link to its media when asked for."""
    datasets = ctx.backend.datasets
    dataset = datasets.get_dataset(ctx.user, ctx.resource_id)
    additional = (ctx.payload or {}).get("additional_data") or {}
    row = datasets.data_row(dataset["dataset_hash"], ctx.uid)
    wire = data_row_wire(row, bool(additional.get("client_metadata")))
    if additional.get("signed_url"):
        wire["signed_url"] = ctx.backend.media_signer.sign_object_url(row["file_link"])
    return wire


def save_data_row(ctx: LegacyRequest) -> dict:
    """DataRow.save: the fields the SDK marked dirty; it checks that exactly those come back as updated."""
    [row] = ctx.backend.datasets.edit_data_rows(ctx.user, ctx.resource_id, {ctx.uid: ctx.payload})
    return {"updated_fields": sorted(ctx.payload), "data_row": data_row_wire(row, "client_metadata" in ctx.payload)}


def add_users(ctx: LegacyRequest) -> list[dict]:
    added = ctx.backend.datasets.add_users(ctx.user, ctx.resource_id, ctx.payload["user_emails"],
                                           DATASET_ROLE_NAMES[ctx.payload["user_role"]])
    return [{"user_email": email, "user_role": DATASET_USER_ROLES[role], "dataset_hash": ctx.resource_id}
            for email, role in added]


def list_users(ctx: RestRequest, dataset_hash: str) -> dict:
    members = ctx.backend.datasets.list_users(ctx.user, dataset_hash)
    return ctx.page([{"datasetUuid": dataset_hash, "userEmail": email, "userRole": DATASET_USER_ROLES[role]}
                     for email, role in members])


def remove_users(ctx: RestRequest, dataset_hash: str) -> None:
    ctx.backend.datasets.remove_users(ctx.user, dataset_hash, ctx.body["userEmails"])


def link_items(ctx: LegacyRequest) -> list[dict]:
    rows = ctx.backend.datasets.link_items(ctx.user, ctx.resource_id, ctx.payload["item_uuids"],
                                           ctx.payload.get("duplicates_behavior", "SKIP"))
    return [data_row_wire(r, False) for r in rows]


def re_encode_data(ctx: LegacyRequest) -> int:
    return ctx.backend.datasets.re_encode_data(ctx.user, ctx.resource_id, ctx.payload["data_hash"])["job_id"]


def re_encode_data_status(ctx: LegacyRequest) -> dict:
    """ReEncodeVideoTask: each video re-encoded where it is kept (a signed link only in Encord storage)."""
    task, rows = ctx.backend.datasets.re_encoding_task(ctx.user, ctx.resource_id, ctx.uid)
    signer = ctx.backend.media_signer
    return {"status": task["status"],
            "result": [{"data_hash": r["data_hash"], "bucket_path": r["file_link"],
                        "signed_url": signer.sign_object_url(r["file_link"]) if r["storage_type"] == "CORD_STORAGE"
                        else None} for r in rows]}


def rename_data(ctx: LegacyRequest) -> dict:
    """Dataset.update_data_item: new titles, by data hash."""
    ctx.backend.datasets.edit_data_rows(ctx.user, ctx.resource_id,
                                        {entry["video_hash"]: {"data_title": entry["title"]} for entry in ctx.payload})
    return {"success": True}


def delete_data(ctx: LegacyRequest) -> bool:
    """Dataset.delete_data: the data hashes to remove from the dataset (a list; one hash from older callers)."""
    data_hashes = ctx.uid if isinstance(ctx.uid, list) else [ctx.uid]
    ctx.backend.labels.delete_data(ctx.user, ctx.resource_id, data_hashes)
    return True


list_groups, add_groups, remove_groups = group_grant_handlers(lambda backend: backend.datasets.group_grants,
                                                               DATASET_USER_ROLES)
