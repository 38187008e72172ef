from emulator.core.wire import RestRoute
from emulator.cvat import responses

routes = [
    RestRoute("POST", "/projects/cvat-import", responses.start_import, body_contract="cvat-import-request"),
    # The poll holds the request while the images are ingested, so it must not hold the store's lock meanwhile.
    RestRoute("GET", "/projects/cvat-import/<import_uuid>", responses.import_result, "cvat-import-result",
              transactional=False, body_contract="no-body"),
]
