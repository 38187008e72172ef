from emulator.core.errors import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError


class ObjectNotFound(ResourceNotFoundError):
    def __init__(self, bucket: str, key: str):
        super().__init__(f"Object s3://{bucket}/{key} does not exist.")


class InvalidBucketName(InvalidArgumentsError):
    def __init__(self, bucket: str, why: str):
        super().__init__(f"bucket: {bucket!r} is not a valid bucket name ({why}).")


class InvalidSignedUrl(AuthorisationError):
    pass
