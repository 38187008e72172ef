"""The request journal: the last N requests the emulator answered, with what was sent, so that a test can assert
what the SDK sent (as moto's recorder and the Firebase emulator's request log let one do).

Each entry has the operation (the wire name COVERAGE.md uses; for a route outside the SDK's API, such as DataGym's
or a signed media link, its method and rule), the authenticated user, the HTTP status (``None`` when an injected
connection fault left the request unanswered), the error code and message, the duration, and what was sent, parsed:
a legacy request's ``resource_id`` (its ResourceID header), ``uid`` and ``payload``; a v2 request's ``body`` and
query ``args`` (a repeated argument as a list). No other header is kept: they carry the credentials. The control
API's own requests are not journalled, so a test reading the journal sees only its client's requests. The journal
lives in memory, holds the last ``request_journal_size`` requests (0 turns it off) and goes with a reset.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque

from emulator.core import timefmt
from emulator.core.faults import CONNECTION_FAULT

OPERATION, USER, SENT, ERROR = "emulator.operation", "emulator.user", "emulator.sent", "emulator.error"
NOTHING_SENT = {"resource_id": None, "uid": None, "payload": None, "body": None, "args": None}


def note(notes: dict, **facts) -> None:
    """What the dispatcher learnt of the request it serves (``operation``, ``user``, ``sent``, ``error``), in the
    request's notes (the WSGI environ on the WSGI door), for the journal and the log, which read them once the
    request is answered."""
    for name, value in facts.items():
        notes[f"emulator.{name}"] = value


def sent_args(args) -> dict:
    return {name: values[0] if len(values) == 1 else values for name, values in args.lists()}


class RequestJournal:
    def __init__(self, size: int):
        self.size = size
        self._lock = threading.Lock()
        self._entries: deque[dict] = deque(maxlen=size)
        self._ids = itertools.count(1)

    def record(self, method: str, path: str, rule: str | None, notes: dict, status: int, duration_ms: float) -> None:
        """An answered request: its method, path, matched rule (None for no route) and notes."""
        if self.size == 0:
            return
        user = notes.get(USER)
        code, _, message = notes.get(ERROR, "").partition(": ")
        entry = {
            "time": timefmt.now_iso(), "method": method, "path": path,
            "operation": notes.get(OPERATION) or (f"{method} {rule}" if rule else None),
            "user": {"email": user.email, "user_hash": user.user_hash} if user is not None else None,
            "status": None if CONNECTION_FAULT in notes else status,
            "error": {"code": code, "message": message} if code else None,
            "duration_ms": round(duration_ms, 3),
            **NOTHING_SENT, **notes.get(SENT, {}),
        }
        with self._lock:
            self._entries.append({"id": next(self._ids), **entry})

    def entries(self, operation: str | None = None, status: int | None = None) -> list[dict]:
        """Oldest first, those of an operation or a status if asked."""
        with self._lock:
            entries = list(self._entries)
        return [e for e in entries
                if (operation is None or e["operation"] == operation) and (status is None or e["status"] == status)]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
