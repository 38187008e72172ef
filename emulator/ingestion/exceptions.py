from emulator.core.errors import InvalidArgumentsError, ResourceNotFoundError


class UploadJobNotFound(ResourceNotFoundError):
    def __init__(self, job_id: str):
        super().__init__(f"Upload job {job_id} does not exist.")


class EmptyUploadSpec(InvalidArgumentsError):
    def __init__(self):
        super().__init__("The upload spec lists no files: add videos, images, image_groups, dicom_series, audio, "
                         "text, pdf or nifti.")


class UploadJobFinished(InvalidArgumentsError):
    def __init__(self, job_id: str, status: str):
        super().__init__(f"Upload job {job_id} has already ended with status {status}.")


class JobNotManual(InvalidArgumentsError):
    def __init__(self, job_id: str):
        super().__init__(f"Upload job {job_id} does not progress manually; set the progression to 'manual' "
                         "before starting a job to advance it by hand.")


class TooManyUploadJobUnits(InvalidArgumentsError):
    def __init__(self, count: int, maximum: int):
        super().__init__(f"The upload lists {count} data units; one upload job may register at most {maximum} "
                         "(max_upload_job_units): split it into several jobs.")


class RemoteUrlOutsideIntegration(InvalidArgumentsError):
    def __init__(self, remote_url: str, integration_title: str):
        super().__init__(f"remoteUrl: {remote_url} is not a bucket or folder of a bucket integration "
                         f"'{integration_title}' has access to.")


class CloudSyncNotFound(InvalidArgumentsError):
    def __init__(self, sync_uuid: str, folder_uuid: str):
        super().__init__(f"Cloud sync {sync_uuid} is not a sync of storage folder {folder_uuid}.")


class UploadedFileNotRegistered(InvalidArgumentsError):
    def __init__(self, reason: str):
        super().__init__(f"The uploaded file did not become a data row: {reason}")
