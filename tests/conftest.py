"""The suite runs every SDK test in both modes, as moto reruns its suite in server mode."""

import pytest

MODES = {"in-process": "encord_emulator", "server": "encord_server"}


@pytest.fixture(params=list(MODES))
def emulator(request):
    """An empty emulator, in-process (responses interception) or on a socket (threaded server)."""
    return request.getfixturevalue(MODES[request.param])


@pytest.fixture
def forger(monkeypatch):
    """A man in the middle between the SDK and the emulator (see tests/wire_tools.py)."""
    from wire_tools import Forger

    return Forger(monkeypatch)


def pytest_terminal_summary(terminalreporter):
    """What the fuzz test measured (its request counts), shown in every run, with or without -s or xdist."""
    for report in terminalreporter.getreports("passed") + terminalreporter.getreports("failed"):
        for name, value in report.user_properties:
            if name == "fuzz":
                terminalreporter.write_line(value)
