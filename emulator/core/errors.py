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
    code = "FILE_SIZE_NOT_SUPPORTED_ERROR"
    http_status = 413
    default_message = "Request payload is too large and exceeds the maximum allowed size."
