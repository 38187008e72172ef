"""A project's collections and filter presets on the wire (v2 ``/active``)."""

from __future__ import annotations

from emulator.core.wire import RestRequest
from emulator.labels.models import LabelRowFilters
from emulator.labels.responses import metadata_wire


def collection_wire(collection: dict) -> dict:
    return {"collectionUuid": collection["uuid"], "name": collection["name"],
            "description": collection["description"], "createdAt": collection["created_at"],
            "lastEditedAt": collection["last_edited_at"], "projectUuid": collection["project_hash"],
            "collectionType": collection["collection_type"]}


def preset_wire(preset: dict) -> dict:
    return {"presetUuid": preset["uuid"], "name": preset["name"], "createdAt": preset["created_at"],
            "updatedAt": preset["updated_at"]}


def item_from_wire(item: dict) -> dict:
    """A ProjectDataCollectionItemRequest (a frame) or ProjectLabelCollectionItemRequest (an annotation on one)."""
    return {"data_hash": item["dataUuid"], "frame": item["frame"],
            **({"annotation_id": item["annotationId"]} if "annotationId" in item else {})}


def item_wire(item: dict) -> dict:
    return {"dataUuid": item["data_hash"], "frame": item["frame"],
            **({"annotationId": item["annotation_id"]} if "annotation_id" in item else {})}


def label_row_metadata_wire(ctx, view) -> dict:
    """The SDK's LabelRowMetadataDTO: a listing's label row metadata, and the audio fields the DTO requires."""
    audio = view.row.get("audio") or {}
    return {**metadata_wire(ctx, view, "main", {}), "audio_sample_rate": audio.get("sample_rate"),
            "audio_codec": audio.get("codec"), "audio_bit_depth": audio.get("bit_depth"),
            "audio_num_channels": audio.get("channels")}


def list_collections(ctx: RestRequest, project_hash: str) -> dict:
    page = ctx.page(ctx.backend.active.collections(ctx.user, project_hash, ctx.arg_list("uuids")))
    page["results"] = [collection_wire(c) for c in page["results"]]
    return page


def create_collection(ctx: RestRequest, project_hash: str) -> str:
    return ctx.backend.active.create_collection(ctx.user, project_hash, ctx.body["name"],
                                                ctx.body.get("description") or "",
                                                ctx.body["collectionType"])["uuid"]


def update_collection(ctx: RestRequest, project_hash: str, collection_uuid: str) -> None:
    changes = {k: ctx.body[k] for k in ("name", "description") if ctx.body.get(k) is not None}
    ctx.backend.active.update_collection(ctx.user, project_hash, collection_uuid, changes)


def delete_collection(ctx: RestRequest, project_hash: str, collection_uuid: str) -> None:
    ctx.backend.active.delete_collection(ctx.user, project_hash, collection_uuid)


def collection_items(ctx: RestRequest, project_hash: str, collection_uuid: str) -> dict:
    """Each data unit's label row metadata (its main branch) with the frames, or annotations, collected of it."""
    page = ctx.page(ctx.backend.active.collection_items(ctx.user, project_hash, collection_uuid,
                                                        ctx.flag("getLabels")))
    views = {view.row["data_hash"]: view for view in ctx.backend.labels.list_label_rows(
        ctx.user, project_hash, LabelRowFilters(data_hashes=tuple(h for h, _ in page["results"])),
        metadata_only=True)}
    page["results"] = [{"labelRowMetadata": label_row_metadata_wire(ctx, views[data_hash]),
                        "instances": [{"frame": i["frame"], **({"annotationId": i["annotation_id"]}
                                                               if "annotation_id" in i else {})}
                                      for i in instances]}
                       for data_hash, instances in page["results"]]
    return page


def add_items(ctx: RestRequest, project_hash: str, collection_uuid: str) -> dict:
    failed = ctx.backend.active.add_items(ctx.user, project_hash, collection_uuid,
                                          [item_from_wire(i) for i in ctx.body["items"]])
    return {"failedItems": [item_wire(i) for i in failed]}


def remove_items(ctx: RestRequest, project_hash: str, collection_uuid: str) -> dict:
    failed = ctx.backend.active.remove_items(ctx.user, project_hash, collection_uuid,
                                             [item_from_wire(i) for i in ctx.body["items"]])
    return {"failedItems": [item_wire(i) for i in failed]}


def add_preset_items(ctx: RestRequest, project_hash: str, collection_uuid: str) -> None:
    ctx.backend.active.add_preset_items(ctx.user, project_hash, collection_uuid, ctx.body["presetUuid"])


def remove_preset_items(ctx: RestRequest, project_hash: str, collection_uuid: str) -> None:
    ctx.backend.active.remove_preset_items(ctx.user, project_hash, collection_uuid, ctx.body["presetUuid"])


def list_presets(ctx: RestRequest, project_hash: str) -> dict:
    page = ctx.page(ctx.backend.active.presets(ctx.user, project_hash, ctx.arg_list("presetUuids")))
    page["results"] = [preset_wire(p) for p in page["results"]]
    return page


def create_preset(ctx: RestRequest, project_hash: str) -> str:
    return ctx.backend.active.create_preset(ctx.user, project_hash, ctx.body["name"],
                                            ctx.body["filterPresetJson"])["uuid"]


def get_preset_filters(ctx: RestRequest, project_hash: str, preset_uuid: str) -> dict:
    return ctx.backend.active.preset(ctx.user, project_hash, preset_uuid)["filter_preset"]


def update_preset(ctx: RestRequest, project_hash: str, preset_uuid: str) -> None:
    changes = {k: ctx.body[w] for w, k in (("name", "name"), ("filterPreset", "filter_preset"))
               if ctx.body.get(w) is not None}
    ctx.backend.active.update_preset(ctx.user, project_hash, preset_uuid, changes)


def delete_preset(ctx: RestRequest, project_hash: str, preset_uuid: str) -> None:
    ctx.backend.active.delete_preset(ctx.user, project_hash, preset_uuid)


def import_project(ctx: RestRequest, project_hash: str) -> None:
    ctx.backend.active.import_project(ctx.user, project_hash, ctx.body["projectMode"],
                                      ctx.body.get("videoSamplingRate"))


def sync_project(ctx: RestRequest, project_hash: str) -> None:
    ctx.backend.active.sync_project(ctx.user, project_hash)
