"""Index collections and filter presets on the wire (v2)."""

from __future__ import annotations

from emulator.core.wire import RestRequest
from emulator.storage.responses import item_wire


def collection_wire(collection: dict) -> dict:
    return {"uuid": collection["uuid"], "topLevelFolderUuid": collection["top_level_folder_uuid"],
            "name": collection["name"], "description": collection["description"],
            "createdAt": collection["created_at"], "lastEditedAt": collection["last_edited_at"]}


def preset_wire(preset: dict) -> dict:
    return {"uuid": preset["uuid"], "name": preset["name"], "description": preset["description"],
            "createdAt": preset["created_at"], "lastUpdatedAt": preset["last_updated_at"]}


def list_collections(ctx: RestRequest) -> dict:
    page = ctx.page(ctx.backend.index.collections(ctx.user, ctx.arg("topLevelFolderUuid"), ctx.arg_list("uuids")))
    page["results"] = [collection_wire(c) for c in page["results"]]
    return page


def create_collection(ctx: RestRequest) -> str:
    collection = ctx.backend.index.create_collection(ctx.user, ctx.arg("topLevelFolderUuid"), ctx.body["name"],
                                                     ctx.body.get("description") or "")
    return collection["uuid"]


def update_collection(ctx: RestRequest, collection_uuid: str) -> None:
    changes = {k: ctx.body[k] for k in ("name", "description") if ctx.body.get(k) is not None}
    ctx.backend.index.update_collection(ctx.user, collection_uuid, changes)


def delete_collection(ctx: RestRequest, collection_uuid: str) -> None:
    ctx.backend.index.delete_collection(ctx.user, collection_uuid)


def _client_metadata(ctx: RestRequest) -> str:
    """Client metadata comes with collection items only when asked."""
    return "inline" if ctx.flag("includeClientMetadata") else "omitted"


def accessible_items(ctx: RestRequest, collection_uuid: str) -> dict:
    items = [item for item, visible in ctx.backend.index.collection_items(ctx.user, collection_uuid) if visible]
    page = ctx.page(items)
    page["results"] = [item_wire(ctx, item, False, _client_metadata(ctx)) for item in page["results"]]
    return page


def all_items(ctx: RestRequest, collection_uuid: str) -> dict:
    """Items the user may not see are answered by their uuid alone (the SDK's StorageItemInaccessible)."""
    page = ctx.page(ctx.backend.index.collection_items(ctx.user, collection_uuid))
    page["results"] = [item_wire(ctx, item, False, _client_metadata(ctx)) if visible else {"uuid": item["uuid"]}
                       for item, visible in page["results"]]
    return page


def add_items(ctx: RestRequest, collection_uuid: str) -> dict:
    return {"failedItems": ctx.backend.index.add_items(ctx.user, collection_uuid, ctx.body["itemUuids"])}


def remove_items(ctx: RestRequest, collection_uuid: str) -> dict:
    return {"failedItems": ctx.backend.index.remove_items(ctx.user, collection_uuid, ctx.body["itemUuids"])}


def add_preset_items(ctx: RestRequest, collection_uuid: str) -> None:
    ctx.backend.index.add_preset_items(ctx.user, collection_uuid, ctx.body["presetUuid"])


def remove_preset_items(ctx: RestRequest, collection_uuid: str) -> None:
    ctx.backend.index.remove_preset_items(ctx.user, collection_uuid, ctx.body["presetUuid"])


def add_items_by_title(ctx: RestRequest, collection_uuid: str) -> dict:
    result = ctx.backend.index.add_items_by_title(ctx.user, collection_uuid, ctx.body["dataTitles"])
    return {"requested": result["requested"], "matchedTitles": result["matched_titles"],
            "itemsAdded": result["items_added"], "ambiguousTitles": result["ambiguous_titles"],
            "unmatchedTitles": result["unmatched_titles"], "failedItems": []}


def list_presets(ctx: RestRequest) -> dict:
    page = ctx.page(ctx.backend.index.presets(ctx.user, ctx.arg("topLevelFolderUuid"), ctx.arg_list("uuids")))
    page["results"] = [preset_wire(p) for p in page["results"]]
    return page


def create_preset(ctx: RestRequest) -> str:
    preset = ctx.backend.index.create_preset(ctx.user, ctx.arg("topLevelFolderUuid"), ctx.body["name"],
                                             ctx.body.get("description") or "", ctx.body["filterPresetJson"])
    return preset["uuid"]


def get_preset_filters(ctx: RestRequest, preset_uuid: str) -> dict:
    return ctx.backend.index.preset(ctx.user, preset_uuid)["filter_preset"]


def update_preset(ctx: RestRequest, preset_uuid: str) -> None:
    """The SDK sends an empty description when it is not asked to change it, so an empty one changes nothing."""
    changes = {k: ctx.body[w] for w, k in (("name", "name"), ("description", "description"),
                                           ("filterPreset", "filter_preset")) if ctx.body.get(w)}
    ctx.backend.index.update_preset(ctx.user, preset_uuid, changes)


def delete_preset(ctx: RestRequest, preset_uuid: str) -> None:
    ctx.backend.index.delete_preset(ctx.user, preset_uuid)
