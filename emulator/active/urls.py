from emulator.core.wire import RestRoute
from emulator.active import responses

PROJECT = "/active/<project_hash>"
COLLECTION = PROJECT + "/collections/<collection_uuid>"
PRESET = PROJECT + "/presets/<preset_uuid>"

routes = [
    RestRoute("GET", PROJECT + "/collections", responses.list_collections, "active-collections-page",
              body_contract="no-body"),
    RestRoute("POST", PROJECT + "/collections", responses.create_collection, "index-created-uuid",
              body_contract="active-collection-request"),
    RestRoute("PATCH", COLLECTION, responses.update_collection, body_contract="index-collection-patch"),
    RestRoute("DELETE", COLLECTION, responses.delete_collection, body_contract="no-body"),
    RestRoute("GET", COLLECTION + "/items", responses.collection_items, "active-collection-items-page",
              body_contract="no-body"),
    RestRoute("POST", COLLECTION + "/add-items", responses.add_items, "active-collection-items-failed",
              body_contract="active-collection-items-request"),
    RestRoute("POST", COLLECTION + "/remove-items", responses.remove_items, "active-collection-items-failed",
              body_contract="active-collection-items-request"),
    RestRoute("POST", COLLECTION + "/add-preset-items", responses.add_preset_items,
              body_contract="collection-preset-request"),
    RestRoute("POST", COLLECTION + "/remove-preset-items", responses.remove_preset_items,
              body_contract="collection-preset-request"),
    RestRoute("GET", PROJECT + "/presets", responses.list_presets, "active-presets-page", body_contract="no-body"),
    RestRoute("POST", PROJECT + "/presets", responses.create_preset, "index-created-uuid",
              body_contract="active-preset-request"),
    RestRoute("GET", PRESET + "/raw", responses.get_preset_filters, "active-filter-preset-definition",
              body_contract="no-body"),
    RestRoute("PATCH", PRESET, responses.update_preset, body_contract="active-preset-patch"),
    RestRoute("DELETE", PRESET, responses.delete_preset, body_contract="no-body"),
    RestRoute("POST", PROJECT + "/import", responses.import_project, body_contract="active-import-request"),
    RestRoute("POST", PROJECT + "/sync", responses.sync_project, body_contract="no-body"),
]
