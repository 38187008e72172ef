from emulator.core.wire import RestRoute
from emulator.index import responses

COLLECTION = "/index/collections/<collection_uuid>"
PRESET = "/index/presets/<preset_uuid>"

routes = [
    RestRoute("GET", "/index/collections", responses.list_collections, "index-collections-page",
              body_contract="no-body"),
    RestRoute("POST", "/index/collections", responses.create_collection, "index-created-uuid",
              body_contract="index-collection-request"),
    RestRoute("PATCH", COLLECTION, responses.update_collection, body_contract="index-collection-patch"),
    RestRoute("DELETE", COLLECTION, responses.delete_collection, body_contract="no-body"),
    RestRoute("GET", COLLECTION + "/accessible-items", responses.accessible_items, "storage-items-page",
              body_contract="no-body"),
    RestRoute("GET", COLLECTION + "/all-items", responses.all_items, "index-collection-all-items-page",
              body_contract="no-body"),
    RestRoute("POST", COLLECTION + "/add-items", responses.add_items, "index-collection-items-failed",
              body_contract="index-collection-items-request"),
    RestRoute("POST", COLLECTION + "/remove-items", responses.remove_items, "index-collection-items-failed",
              body_contract="index-collection-items-request"),
    RestRoute("POST", COLLECTION + "/add-data-title-items", responses.add_items_by_title,
              "index-collection-titles-added", body_contract="index-collection-titles-request"),
    RestRoute("POST", COLLECTION + "/add-preset-items", responses.add_preset_items,
              body_contract="collection-preset-request"),
    RestRoute("POST", COLLECTION + "/remove-preset-items", responses.remove_preset_items,
              body_contract="collection-preset-request"),
    RestRoute("GET", "/index/presets", responses.list_presets, "index-presets-page", body_contract="no-body"),
    RestRoute("POST", "/index/presets", responses.create_preset, "index-created-uuid",
              body_contract="index-preset-request"),
    RestRoute("GET", PRESET, responses.get_preset_filters, "index-filter-preset-definition", body_contract="no-body"),
    RestRoute("PATCH", PRESET, responses.update_preset, body_contract="index-preset-patch"),
    RestRoute("DELETE", PRESET, responses.delete_preset, body_contract="no-body"),
]
