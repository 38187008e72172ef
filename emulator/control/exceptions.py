from emulator.core.errors import EmulatorError, InvalidArgumentsError


class UnknownResourceType(InvalidArgumentsError):
    def __init__(self, resource_type: str, known):
        super().__init__(f"resource_type: unknown resource type {resource_type!r}; expected one of {', '.join(known)}.")


class LastAdmin(InvalidArgumentsError):
    def __init__(self, resource_type: str, resource_id: str, email: str):
        super().__init__(f"role: {email} is the only admin of {resource_type} {resource_id}, which must keep one; "
                         "share it with another admin first.")


class StateRefused(InvalidArgumentsError):
    pass


class InvalidCsv(InvalidArgumentsError):
    pass


class UnknownSeed(InvalidArgumentsError):
    def __init__(self, name: str, known):
        super().__init__(f"seed: unknown seed {name!r}; available: {', '.join(known)}.")


class ControlTokenRequired(EmulatorError):
    code = "CONTROL_TOKEN_REQUIRED"
    http_status = 401


class ControlTokenNotConfigured(EmulatorError):
    code = "CONTROL_TOKEN_NOT_CONFIGURED"
    http_status = 403
