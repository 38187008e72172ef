"""Injected faults: the errors a test asks the next matching SDK requests to get, so that every exception class of
the SDK can be reached (a rate limit, a duplicate key, an unknown error...) without the condition behind it.

A fault names an operation as COVERAGE.md does (``legacy dataset dataset.GET``, ``GET /v2/public/datasets/list``) or
``*`` for any, an error code of the SDK's table, and how many requests it answers; it runs after authentication, so
a forged request is still refused as such. Faults live in memory and go with a reset.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import asdict, dataclass

from emulator.core.errors import SDK_ERROR_STATUSES, InjectedFault, InvalidArgumentsError

ANY_OPERATION = "*"


@dataclass
class Fault:
    id: str
    operation: str
    error: str
    remaining: int
    message: str | None
    retry_after: int | None


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def inject(self, operations: set[str], operation: str, error: str, times: int, message: str | None,
               retry_after: int | None) -> dict:
        if operation != ANY_OPERATION and operation not in operations:
            raise InvalidArgumentsError(f"operation: {operation!r} is not an operation the emulator serves; use '*' "
                                        "or a wire name from COVERAGE.md, e.g. 'legacy dataset dataset.GET'.")
        if error not in SDK_ERROR_STATUSES:
            raise InvalidArgumentsError(f"error: {error!r} is not an error code of the SDK; expected one of "
                                        f"{', '.join(sorted(SDK_ERROR_STATUSES))}.")
        fault = Fault(str(uuid.uuid4()), operation, error, times, message, retry_after)
        with self._lock:
            self._faults.append(fault)
        return asdict(fault)

    def raise_injected(self, operation: str) -> None:
        """Answer this request with the first fault that matches it, if any (each fault for its number of times)."""
        with self._lock:
            fault = next((f for f in self._faults if f.operation in (operation, ANY_OPERATION)), None)
            if fault is None:
                return
            fault.remaining -= 1
            if fault.remaining == 0:
                self._faults.remove(fault)
        raise InjectedFault(fault.error, fault.message, fault.retry_after)

    def pending(self) -> list[dict]:
        with self._lock:
            return [asdict(f) for f in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
