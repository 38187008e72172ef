from emulator.core.wire import RestRoute
from emulator.storage import responses

FOLDER = "/storage/folders/<folder_uuid>"

routes = [
    RestRoute("POST", "/storage/folders", responses.create_folder),
    RestRoute("GET", FOLDER, responses.get_folder),
    RestRoute("GET", FOLDER + "/items", responses.list_items, "storage-items-page"),
    RestRoute("POST", FOLDER + "/data-upload-jobs", responses.start_folder_upload),
    # The poll holds the request while the job runs, so it must not hold the store's lock meanwhile.
    RestRoute("GET", FOLDER + "/data-upload-jobs/<job_id>", responses.poll_folder_upload, "folder-upload-result",
              transactional=False),
    RestRoute("POST", FOLDER + "/data-upload-jobs/<job_id>/cancel", responses.cancel_folder_upload,
              transactional=False),
]

# (method, rule, view): unauthenticated, like the bucket blob the real service signs; the signature is the credential.
signed_routes = [
    ("GET", "/signed-item-metadata/<item_uuid>", responses.signed_item_metadata),
]
