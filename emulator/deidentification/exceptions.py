from emulator.core.errors import InvalidArgumentsError, ResourceNotFoundError


class DeidentificationTaskNotFound(ResourceNotFoundError):
    def __init__(self, task_uuid: str):
        super().__init__(f"DICOM de-identification task {task_uuid} does not exist.")


class NoDicomUrls(InvalidArgumentsError):
    def __init__(self):
        super().__init__("dicomUrls: list at least one DICOM file to de-identify.")


class UnreadableUrl(InvalidArgumentsError):
    def __init__(self, reason: str):
        super().__init__(f"dicomUrls: {reason}")


class BucketNotInIntegration(InvalidArgumentsError):
    def __init__(self, url: str, integration_title: str, bucket: str):
        super().__init__(f"{url}: the integration '{integration_title}' has no access to bucket '{bucket}'.")


class UploadDirOutsideIntegration(InvalidArgumentsError):
    def __init__(self, upload_dir: str, integration_title: str):
        super().__init__(f"uploadDir: {upload_dir} is not a directory of a bucket integration '{integration_title}' "
                         "has access to.")


class ReadOnlyIntegration(InvalidArgumentsError):
    def __init__(self, integration_title: str):
        super().__init__(f"De-identified DICOM files are written to the bucket; integration '{integration_title}' "
                         "is read-only.")


class PixelTextRedactionNotEmulated(InvalidArgumentsError):
    def __init__(self, mode: str):
        super().__init__(f"redactPixelsMode: {mode} needs the text burnt into the pixels read (OCR), which the "
                         "emulator does not do; use REDACT_NO_TEXT.")


class UnknownDicomTag(InvalidArgumentsError):
    def __init__(self, tag: str):
        super().__init__(f"saveConditions: {tag!r} is not a DICOM tag: write its keyword (PatientID) or its number "
                         "(x00100020).")


class TaskFailedOnLegacyWire(InvalidArgumentsError):
    """What releases up to 0.1.151 read when a file of the task could not be de-identified."""
