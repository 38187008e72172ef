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
    """What tests measured (``record_property("figure", text)``), shown at the end of the run, from xdist workers
    too, so CI's log carries the figures; tests themselves never assert a time."""
    figures = [value for report in terminalreporter.getreports("passed") + terminalreporter.getreports("failed")
               for name, value in report.user_properties if name == "figure"]
    if figures:
        terminalreporter.section("figures")
        for figure in figures:
            terminalreporter.write_line(figure)
