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
import json
import threading
from collections import deque

from emulator.core import contracts, timefmt
from emulator.core.faults import CONNECTION_FAULT

OPERATION, USER, SENT, ERROR = "emulator.operation", "emulator.user", "emulator.sent", "emulator.error"


def note(notes: dict, **facts) -> None:
    """What the dispatcher learnt of the request it serves (``operation``, ``user``, ``sent``, ``error``), in the
    request's notes (the WSGI environ on the WSGI door), for the journal and the log, which read them once the
    request is answered."""
    for name, value in facts.items():
        notes[f"emulator.{name}"] = value


def sent_legacy(resource_id: str | None, raw_body: bytes) -> dict:
    """What a legacy request sent, as its notes keep it: its ResourceID header and its body as sent (read back as
    ``uid`` and ``payload`` when the journal is read)."""
    return {"resource_id": resource_id, "raw_body": raw_body}


def sent_v2(raw_body: bytes, args) -> dict:
    """What a v2 request sent: its body as sent (``body`` when read back) and its query arguments (a repeated one
    as a list)."""
    return {"raw_body": raw_body,
            "args_json": json.dumps({name: values[0] if len(values) == 1 else values
                                     for name, values in args.lists()})}


def _sent(entry: dict) -> dict:
    """The parsed form of what a request sent, from what its entry keeps. Entries keep the body as sent rather
    than its parsed form, so that they hold no object the garbage collector walks: a journal of the last thousand
    requests' parsed bodies, renewed on every request, made a full collection of the process (every object the SDK,
    boto3 and moto keep) fall due every few thousand calls, a fifth of the emulator's time per call."""
    if "args_json" in entry:
        raw = entry["raw_body"]
        return {"resource_id": None, "uid": None, "payload": None,
                "body": contracts.parse_json(raw) if raw else None, "args": json.loads(entry["args_json"])}
    if "raw_body" in entry:
        values = contracts.parse_json(entry["raw_body"])["values"]
        return {"resource_id": entry["resource_id"], "uid": values["uid"], "payload": values["payload"],
                "body": None, "args": None}
    return {"resource_id": None, "uid": None, "payload": None, "body": None, "args": None}


class RequestJournal:
    def __init__(self, size: int):
        self.size = size
        self._lock = threading.Lock()
        self._entries: deque[dict] = deque(maxlen=size)
        self._ids = itertools.count(1)

    def record(self, method: str, path: str, rule: str | None, notes: dict, status: int, duration_ms: float) -> None:
        """An answered request: its method, path, matched rule (None for no route) and notes; kept flat, in
        strings and numbers only (see ``_sent``)."""
        if self.size == 0:
            return
        user = notes.get(USER)
        code, _, message = notes.get(ERROR, "").partition(": ")
        entry = {
            "time": timefmt.now_iso(), "method": method, "path": path,
            "operation": notes.get(OPERATION) or (f"{method} {rule}" if rule else None),
            "user_email": user.email if user is not None else None,
            "user_hash": user.user_hash if user is not None else None,
            "status": None if CONNECTION_FAULT in notes else status,
            "error_code": code, "error_message": message,
            "duration_ms": round(duration_ms, 3),
            **notes.get(SENT, {}),
        }
        with self._lock:
            entry["id"] = next(self._ids)
            self._entries.append(entry)

    def entries(self, operation: str | None = None, status: int | None = None) -> list[dict]:
        """Oldest first, those of an operation or a status if asked."""
        with self._lock:
            entries = list(self._entries)
        return [_public(e) for e in entries
                if (operation is None or e["operation"] == operation) and (status is None or e["status"] == status)]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _public(entry: dict) -> dict:
    """An entry as GET /_emulator/requests shows it."""
    return {
        "id": entry["id"], "time": entry["time"], "method": entry["method"], "path": entry["path"],
        "operation": entry["operation"],
        "user": ({"email": entry["user_email"], "user_hash": entry["user_hash"]}
                 if entry["user_email"] is not None else None),
        "status": entry["status"],
        "error": {"code": entry["error_code"], "message": entry["error_message"]} if entry["error_code"] else None,
        "duration_ms": entry["duration_ms"],
        **_sent(entry),
    }
