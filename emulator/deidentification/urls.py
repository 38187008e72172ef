from emulator.core.wire import USER_SCOPE, LegacyRoute, RestRoute
from emulator.deidentification import responses

routes = [
    RestRoute("POST", "/dicom-deidentification", responses.start_deidentification, "dicom-deidentification-started",
              body_contract="dicom-deidentification-start"),
    # The poll holds the request while the task runs, so it must not hold the store's lock meanwhile.
    RestRoute("GET", "/dicom-deidentification/<task_uuid>", responses.poll_deidentification,
              "dicom-deidentification-result", transactional=False, body_contract="no-body"),
    LegacyRoute(USER_SCOPE, "dicomdeidentifytask", "POST", responses.deidentify_legacy,
                "dicom-deidentification-urls", transactional=False, uid_contract="hash-uid",
                payload_contract="dicom-deidentification-legacy-payload"),
]
