"""Errors the emulator answers with, in the platform's own terms.

Every error carries the legacy RPC code the SDK maps to an exception class (``["CODE"]`` in a legacy envelope) and
the HTTP status the v2 REST API uses for the same condition, so one ``raise`` serves both wire families.
Domain packages subclass these in their own ``exceptions.py`` with the messages the service gives.
"""

from __future__ import annotations

from typing import Any


class EmulatorError(Exception):
    code = "UNKNOWN_ERROR"
    http_status = 500
    default_message = "The emulator could not process the request."

    def __init__(self, message: str | None = None, payload: Any = None):
        self.message = message or self.default_message
        self.payload = payload
        super().__init__(self.message)

    def legacy_payload(self) -> Any:
        """What goes in the legacy envelope's ``payload``: structured data where the SDK expects it, else the text."""
        return self.payload if self.payload is not None else self.message


class InvalidArgumentsError(EmulatorError):
    code = "INVALID_ARGUMENTS_ERROR"
    http_status = 400
    default_message = "Some of the arguments to the SDK function were invalid."


class AuthenticationError(EmulatorError):
    code = "AUTHENTICATION_ERROR"
    http_status = 401
    default_message = "You are not authenticated to access the Encord platform."


class SshKeyNotFoundError(EmulatorError):
    code = "SSH_KEY_NOT_FOUND_ERROR"
    http_status = 401
    default_message = "Your used SSH key does not exist. Please add this SSH key to your user profile."


class AuthorisationError(EmulatorError):
    code = "AUTHORISATION_ERROR"
    http_status = 403
    default_message = "You are not authorised to access this asset."


class ResourceNotFoundError(EmulatorError):
    code = "RESOURCE_NOT_FOUND_ERROR"
    http_status = 404
    default_message = "The requested resource was not found in the database."


class MethodNotAllowedError(EmulatorError):
    code = "METHOD_NOT_ALLOWED_ERROR"
    http_status = 405
    default_message = "The requested method is not allowed."


class ResourceExistsError(EmulatorError):
    code = "RESOURCE_EXISTS_ERROR"
    http_status = 409
    default_message = "The resource already exists."


class WrongProjectTypeError(EmulatorError):
    code = "WRONG_PROJECT_TYPE_ERROR"
    http_status = 400
    default_message = "Operation is not supported by the project type"


class PayloadTooLargeError(EmulatorError):
    """A body larger than the emulator takes, refused before it is read (as the service's payload limit trips while
    the body is still being read); the SDK reads a 413 before any envelope and shows its ``message``."""

    code = "PAYLOAD_TOO_LARGE"
    http_status = 413

    def __init__(self, limit: int):
        super().__init__(f"The request body is larger than the {limit:,} bytes this emulator takes (its "
                         "max_request_bytes, set with --max-request-bytes).")


class MultiLabelLimitError(EmulatorError):
    """The service's limit on label rows per request; the SDK reads the limit from the payload."""

    code = "MULTI_LABEL_LIMIT_ERROR"
    http_status = 400
    maximum = 1000

    def __init__(self, message: str | None = None):
        super().__init__(message, payload={"maximum_labels_allowed": self.maximum})


# Every error code the SDK maps to an exception class of its own (encord/http/error_utils.py), with the HTTP status
# both wire families answer it with: the classes' own, and those of codes the emulator never raises by itself (the
# SDK reads 429 and 413 before any envelope: a rate limit is answered as the service's limiter answers it, and
# PAYLOAD_TOO_LARGE names that HTTP-level refusal). Faults may use any of them.
SDK_ERROR_STATUSES = {
    **{error.code: error.http_status for error in (
        EmulatorError, InvalidArgumentsError, AuthenticationError, SshKeyNotFoundError, AuthorisationError,
        ResourceNotFoundError, MethodNotAllowedError, ResourceExistsError, WrongProjectTypeError, MultiLabelLimitError,
        PayloadTooLargeError)},
    "DUPLICATE_SSH_KEY_ERROR": 400, "CORRUPTED_LABEL_ERROR": 400, "ANSWER_DICTIONARY_ERROR": 400,
    "FEATURE_DOES_NOT_EXIST_ERROR": 400, "OPERATION_NOT_ALLOWED": 400, "RATE_LIMIT_ERROR": 429,
    "FILE_TYPE_NOT_SUPPORTED_ERROR": 400, "FILE_SIZE_NOT_SUPPORTED_ERROR": 400,
    "UPLOAD_OPERATION_NOT_SUPPORTED_ERROR": 400, "DETECTION_RANGE_INVALID_ERROR": 400,
    "INVALID_DATE_FORMAT_ERROR": 400, "MODEL_WEIGHTS_INCONSISTENT_ERROR": 400,
    "MODEL_FEATURES_INCONSISTENT_ERROR": 400,
}


class InjectedFault(EmulatorError):
    """An error a test asked for (``POST /_emulator/faults``), answered as the service answers that code."""

    def __init__(self, code: str, message: str | None, retry_after: int | None):
        self.code = code
        self.http_status = SDK_ERROR_STATUSES[code]
        self.retry_after = retry_after
        payload = MultiLabelLimitError().payload if code == MultiLabelLimitError.code else None
        super().__init__(message or f"Injected fault: {code}.", payload)
