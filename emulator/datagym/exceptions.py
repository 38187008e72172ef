"""DataGym errors: the server's ErrorTO (key, params, msg, code, details), with the number of params the client's
message templates need for the keys it knows."""


class DataGymError(Exception):
    code = 500
    key = "ex_system"

    def __init__(self, msg: str, params: list | None = None, details: list | None = None):
        self.msg, self.params, self.details = msg, params or [], details or []
        super().__init__(msg)

    def error_to(self) -> dict:
        return {"key": self.key, "params": self.params, "msg": self.msg, "code": self.code, "details": self.details}


class ContractViolation(DataGymError):
    """The emulator was about to answer something its own contract forbids (a bug in the emulator)."""


class Unauthorized(DataGymError):
    code, key = 401, "ex_unauthorized"

    def __init__(self):
        super().__init__("Unauthorized: the request carries no API token (?token=…).")


class Forbidden(DataGymError):
    code, key = 403, "ex_forbidden"

    def __init__(self):
        super().__init__("Forbidden. Insufficient permissions.")


class NotFound(DataGymError):
    code, key = 404, "ex_notfound"

    def __init__(self, what: str, criteria: str, value: str):
        super().__init__(f"{what} with {criteria} {value} not found", [what, criteria, value])


class RouteNotFound(NotFound):
    def __init__(self, method: str, path: str):
        super().__init__("Route", method, path)


class AlreadyExists(DataGymError):
    code, key = 412, "ex_alreadyexists"

    def __init__(self, what: str, criteria: str, value: str):
        super().__init__(f"{what} with {criteria} {value} already exists.", [what, criteria, value])


class AlreadyContains(DataGymError):
    code, key = 412, "ex_already_contains"

    def __init__(self, container: str, item: str):
        super().__init__(f"{container} already contains {item}.", [container, item])


class ValidationError(DataGymError):
    """The server's ValidationException (bean validation, an unreadable body, a missing header), a detail per
    violation."""

    code, key = 400, "ex_validation"

    def __init__(self, *details: str, detail_key: str = "ex_val_invalid"):
        super().__init__("Validation failed",
                         details=[{"name": detail, "key": detail_key, "params": []} for detail in details])


class MethodNotAllowed(ValidationError):
    """The server's exception converter turns Spring's 405 into a ValidationException, a 400 the client can read."""

    def __init__(self, method: str):
        super().__init__(f"Request method '{method}' not supported")


class PayloadTooLarge(DataGymError):
    code, key = 413, "ex_payload_too_large"


class GenericError(DataGymError):
    """The server's GenericException: HTTP 500, key ex_gen_<name>."""

    def __init__(self, name: str, params: list, msg: str):
        self.key = f"ex_gen_{name}"
        super().__init__(msg, params)


class TaskNotFound(GenericError):
    def __init__(self):
        super().__init__("json_upload_not_found_task", [],
                         "The internal_image_ID you entered does not correspond to an image in your tasks")


class WrongEntryId(GenericError):
    def __init__(self, key: str):
        super().__init__("wrong_entry_id", [key], f"The key {key}, does not match any entry in your label configuration")


class EntryTypeNotFound(GenericError):
    """An entry type the server does not know, or coordinates its type cannot take; the param names the type."""

    def __init__(self, type_name: str, msg: str):
        super().__init__("entry_type_not_found", [type_name], msg)


class EntryValueInvalid(GenericError):
    """A polygon, line or point coordinate other than x and y."""

    def __init__(self, type_name: str):
        super().__init__("entry_value_validation", [type_name],
                         f"Validation of entry value of type {type_name} failed.")


class ImportUnreadable(GenericError):
    def __init__(self, why: str):
        super().__init__("error_messages", [why], why)
