"""Project analytics."""
from emulator.core.errors import InvalidArgumentsError


class MissingArgument(InvalidArgumentsError):
    def __init__(self, name: str):
        super().__init__(f"{name}: required.")


class NotATimestamp(InvalidArgumentsError):
    def __init__(self, name: str, value: str):
        super().__init__(f"{name}: {value!r} is not an ISO-8601 timestamp.")


class EmptyTimeRange(InvalidArgumentsError):
    def __init__(self, after: str, before: str):
        super().__init__(f"before: {before} is not after {after}; the time range is empty.")


class UnknownTaskActionType(InvalidArgumentsError):
    def __init__(self, value: str, known: tuple[str, ...]):
        super().__init__(f"eventTypes: {value!r} is not a task action type; expected one of {', '.join(known)}.")


class UnknownGroupBy(InvalidArgumentsError):
    def __init__(self, value: str, known: tuple[str, ...]):
        super().__init__(f"groupBy: {value!r} is not a grouping; expected one of {', '.join(known)}.")


class NotPositiveTime(InvalidArgumentsError):
    def __init__(self, seconds: float):
        super().__init__(f"seconds: time spent must be more than 0, got {seconds}.")
