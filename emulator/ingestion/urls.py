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
    # These four (releases up to 0.1.137) answer once what they register is a data row: as singleimage POST.
    LegacyRoute("dataset", "video", "PUT", responses.register_video, "video-registered", transactional=False,
                uid_contract="ignored-value", payload_contract="video-registration-payload"),
    LegacyRoute("dataset", "images", "PUT", responses.register_images, "images-registered",
                uid_contract="ignored-value", payload_contract="images-registration-payload"),
    LegacyRoute("dataset", "imagegroup", "POST", responses.create_image_group, "image-groups-created",
                transactional=False, uid_contract="upload-data-hashes-uid", payload_contract="image-group-payload"),
    LegacyRoute("dataset", "dicomseries", "POST", responses.create_dicom_series, "dicom-series-created",
                transactional=False, uid_contract="dicom-series-files-uid", payload_contract="dicom-series-payload"),
]
