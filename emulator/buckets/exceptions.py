"""The fake cloud buckets integrations read from: moto's S3, always through boto3.

Each error that the emulator's S3 port answers too carries ``s3_code``, the code S3 answers it with in its XML."""
from emulator.core.errors import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError


def shown(name: str) -> str:
    """A name as messages quote it: whole, or its first 64 characters (a refused name may be very long)."""
    return repr(name) if len(name) <= 64 else f"{name[:64]!r}…"


class ObjectNotFound(ResourceNotFoundError):
    def __init__(self, bucket: str, key: str):
        super().__init__(f"Object s3://{bucket}/{key} does not exist.")


class InvalidBucketName(InvalidArgumentsError):
    s3_code = "InvalidBucketName"

    def __init__(self, bucket: str, why: str):
        super().__init__(f"bucket: {shown(bucket)} is not a valid bucket name ({why}).")


class InvalidObjectKey(InvalidArgumentsError):
    def __init__(self, key: str, why: str, s3_code: str = "InvalidArgument"):
        super().__init__(f"key: {shown(key)} is not a valid object key ({why}).")
        self.s3_code = s3_code


class UnreadableHost(InvalidArgumentsError):
    s3_code = "InvalidURI"

    def __init__(self, host: str):
        super().__init__(f"Host: {shown(host)} is not a host name that a bucket's name can be read from.")


class MotoApiNotServed(AuthorisationError):
    s3_code = "AccessDenied"

    def __init__(self, path: str):
        super().__init__(
            f"{path}: moto's own control API is not served on the emulator's S3 port, since it would change the "
            "buckets behind the emulator's back (and their copies in the data directory). The emulator's control "
            "API does that on the emulator's port: POST /_emulator/reset empties the store and the buckets together."
        )


class S3WriteNeedsControlToken(AuthorisationError):
    s3_code = "AccessDenied"
    default_message = ("Writes to this emulator's S3 API require its control token: pass it as the access key id "
                       "(boto3: aws_access_key_id=<token>) or as 'Authorization: Bearer <token>'.")


class InvalidSignedUrl(AuthorisationError):
    pass
