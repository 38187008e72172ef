from emulator.core.wire import LegacyRoute, RestRoute
from emulator.storage import responses

FOLDER = "/storage/folders/<folder_uuid>"

routes = [
    RestRoute("POST", "/storage/folders", responses.create_folder, body_contract="storage-folder-request"),
    RestRoute("GET", "/storage/folders", responses.list_folders, "storage-folders-page", body_contract="no-body"),
    RestRoute("GET", FOLDER + "/folders", responses.list_subfolders, "storage-folders-page", body_contract="no-body"),
    RestRoute("GET", FOLDER, responses.get_folder, body_contract="no-body"),
    RestRoute("DELETE", FOLDER, responses.delete_folder, body_contract="no-body"),
    RestRoute("PATCH", FOLDER, responses.update_folder, body_contract="storage-folder-patch"),
    RestRoute("PATCH", FOLDER + "/items/<item_uuid>", responses.update_item, body_contract="storage-item-patch"),
    RestRoute("PATCH", "/storage/folders/patch-bulk", responses.update_folders, "storage-folders-page",
              body_contract="storage-folders-patch-bulk-request"),
    RestRoute("PATCH", "/storage/items/patch-bulk", responses.update_items, "storage-items-page",
              body_contract="storage-items-patch-bulk-request"),
    RestRoute("POST", FOLDER + "/items/move", responses.move_items, body_contract="storage-items-move-request"),
    RestRoute("POST", "/storage/folders/move", responses.move_folders, body_contract="storage-folders-move-request"),
    RestRoute("GET", FOLDER + "/folder-config", responses.get_folder_config, "storage-folder-config",
              body_contract="no-body"),
    RestRoute("POST", FOLDER + "/folder-config", responses.set_folder_config, body_contract="storage-folder-config"),
    RestRoute("GET", FOLDER + "/summary", responses.folder_summary, "storage-folder-summary", body_contract="no-body"),
    RestRoute("GET", FOLDER + "/items/<item_uuid>/summary", responses.item_summary, "storage-item-summary",
              body_contract="no-body"),
    RestRoute("POST", FOLDER + "/create-group-items", responses.create_data_groups, "created-uuids",
              body_contract="storage-data-groups-request"),
    RestRoute("GET", FOLDER + "/items/<item_uuid>/child-items", responses.child_items, "storage-items-page",
              body_contract="no-body"),
    RestRoute("POST", FOLDER + "/items/delete", responses.delete_items, "storage-items-deleted",
              body_contract="storage-items-delete-request"),
    RestRoute("POST", FOLDER + "/cloud-synced-folder-syncs", responses.start_cloud_sync, "index-created-uuid",
              body_contract="no-body"),
    # The poll holds the request while the sync's upload job runs, so it must not hold the store's lock meanwhile.
    RestRoute("GET", FOLDER + "/cloud-linked-folder-syncs/<sync_uuid>/long-polling", responses.poll_cloud_sync,
              transactional=False, body_contract="no-body"),
    RestRoute("GET", FOLDER + "/items", responses.list_items, "storage-items-page", body_contract="no-body"),
    RestRoute("GET", "/storage/search/items", responses.search_items, "storage-items-page", body_contract="no-body"),
    RestRoute("GET", "/storage/search/folders", responses.search_folders, "storage-folders-page",
              body_contract="no-body"),
    RestRoute("POST", "/storage/items/get-bulk", responses.get_items, "storage-items-page",
              body_contract="storage-items-get-bulk-request"),
    RestRoute("POST", "/storage/items/reencode", responses.re_encode_videos, body_contract="storage-reencode-request"),
    RestRoute("GET", "/storage/items/reencode/<process_hash>", responses.re_encoding_status,
              "storage-reencode-status", body_contract="no-body"),
    RestRoute("GET", "/storage/items/<item_uuid>", responses.get_item, body_contract="no-body"),
    LegacyRoute("dataset", "signedimagesurl", "GET", responses.signed_upload_urls_legacy, "signed-upload-urls-legacy",
                uid_contract="upload-file-names-uid", payload_contract="ignored-value"),
    RestRoute("GET", "/presigned-urls", responses.presigned_upload_urls, "upload-signed-urls-page",
              body_contract="no-body"),
    RestRoute("POST", FOLDER + "/upload-signed-urls", responses.folder_upload_signed_urls, "upload-signed-urls-page",
              body_contract="upload-signed-urls-request"),
    RestRoute("POST", FOLDER + "/data-upload-jobs", responses.start_folder_upload,
              body_contract="folder-upload-request"),
    # The poll holds the request while the job runs, so it must not hold the store's lock meanwhile.
    RestRoute("GET", FOLDER + "/data-upload-jobs/<job_id>", responses.poll_folder_upload, "folder-upload-result",
              transactional=False, body_contract="no-body"),
    RestRoute("POST", FOLDER + "/data-upload-jobs/<job_id>/cancel", responses.cancel_folder_upload,
              transactional=False, body_contract="no-body"),
    RestRoute("GET", FOLDER + "/groups", responses.list_groups, "entity-groups-page", body_contract="no-body"),
    RestRoute("POST", FOLDER + "/groups", responses.add_groups, body_contract="storage-folder-groups-request"),
    RestRoute("DELETE", FOLDER + "/groups", responses.remove_groups, body_contract="no-body"),
]

# (method, rule, view): unauthenticated, like the bucket blob the real service signs; the signature is the credential.
signed_routes = [
    ("GET", "/signed-item-metadata/<item_uuid>", responses.signed_item_metadata),
]
