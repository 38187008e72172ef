"""The suite runs every SDK test in both modes, as moto reruns its suite in server mode."""

from collections import Counter

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


def pytest_configure(config):
    config.addinivalue_line("markers", "long: a test of many seconds; its file is started before the others, so that "
                                       "the workers finish together")


def pytest_collection_modifyitems(items):
    """The order pytest-xdist's ``--dist loadfile --no-loadscope-reorder`` hands the files out in: first the files
    with a long test, then the others, most tests first. xdist's own reorder (most tests first) left a file of one
    long test (the kill -9 campaign, the front doors) to the end, one worker running it while the other idled."""
    files = Counter(item.nodeid.split("::")[0] for item in items)
    long_files = {item.nodeid.split("::")[0] for item in items if item.get_closest_marker("long")}

    def order(item):
        file = item.nodeid.split("::")[0]
        return file not in long_files, -files[file], file

    items.sort(key=order)
