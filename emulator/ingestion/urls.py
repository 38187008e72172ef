from emulator.core.wire import LegacyRoute
from emulator.ingestion import responses

routes = [
    LegacyRoute("dataset", "datasetdatalongpolling", "POST", responses.start_upload_job, "upload-job-started",
                uid_contract="ignored-value", payload_contract="upload-start-payload"),
    # The poll holds the request while the job runs, so it must not hold the store's lock meanwhile.
    LegacyRoute("dataset", "datasetdatalongpolling", "GET", responses.poll_upload_job, "upload-job-result",
                transactional=False,
                uid_contract="ignored-value", payload_contract="upload-poll-payload"),
    # Awaits the upload job it starts, so it must not hold the store's lock meanwhile.
    LegacyRoute("dataset", "singleimage", "POST", responses.register_single_image, "single-image-registered",
                transactional=False, uid_contract="ignored-value", payload_contract="single-image-payload"),
]
