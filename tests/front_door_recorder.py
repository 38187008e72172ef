"""A pytest plugin for tests/test_front_doors.py: records every answer mock_encord gives, per test, through the door
``FRONT_DOOR`` names (``direct``: as mock_encord answers; ``wsgi``: the direct door turned away, so that every
request goes through the WSGI app as the server's do), into the JSON file ``FRONT_DOOR_RECORD``."""

import json
import os

from emulator import app, mock

DOOR, RECORD = os.environ["FRONT_DOOR"], os.environ["FRONT_DOOR_RECORD"]
exchanges: list[dict] = []
current = {"test": None}


def pytest_configure(config):
    if DOOR == "wsgi":
        config.add_cleanup(_patch(app.DirectDoor, "answer", lambda self, *args: None))
    config.add_cleanup(_patch(mock._Active, "_forward", _recording(mock._Active._forward)))


def pytest_runtest_setup(item):
    current["test"] = item.nodeid


def pytest_sessionfinish(session):
    with open(RECORD, "w", encoding="utf-8") as f:
        json.dump(exchanges, f)


def _patch(owner, name, value):
    original = getattr(owner, name)
    setattr(owner, name, value)
    return lambda: setattr(owner, name, original)


def _recording(forward):
    def recorded(self, prepared, prefix):
        entry = {"test": current["test"], "method": prepared.method, "url": prepared.url}
        exchanges.append(entry)
        try:
            status, headers, body = forward(self, prepared, prefix)
        except mock._ConnectionFault as fault:
            entry["fault"] = fault.kind
            raise
        finally:
            journal = self.backend.request_journal.entries()
            entry["operation"] = journal[-1]["operation"] if journal else None
        kept = {k: v for k, v in headers.items() if k.lower() in ("content-type", "retry-after")}
        # Media bytes are the tests' own, encoded afresh each run (a signed link's object): only JSON is compared.
        json_body = any(k.lower() == "content-type" and v.startswith("application/json") for k, v in kept.items())
        entry.update(status=status, headers=kept, body=body.decode("utf-8", "replace") if json_body else "")
        return status, headers, body

    return recorded
