"""What a user's suite pays before its first SDK call: importing the package, importing mock_encord, the
``encord_emulator`` fixture's set-up and teardown (the first use in a process apart, then the median of the next
ones), and ``encord-emulator serve`` (on an empty data directory) until ``GET /_emulator/health`` answers.

    .venv/bin/python bench/fixture_cost.py [--uses 30]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time

from restart_time import ENV, ROOT, kill, start


def import_seconds(module: str) -> float:
    """Median of 3 fresh interpreters importing the module (the interpreter's own start not counted)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    return statistics.median(float(subprocess.run([sys.executable, "-c", code], env=ENV, cwd=ROOT, check=True,
                                                  capture_output=True, text=True).stdout) for _ in range(3))


def fixture_seconds(uses: int) -> tuple[float, float]:
    """The first set-up and teardown in a process, and the median of the next ones."""
    from emulator.config import EmulatorConfig
    from emulator.mock import mock_encord
    from emulator.testing import EmulatorHandle

    times = []
    for _ in range(uses + 1):
        started = time.perf_counter()
        with mock_encord(EmulatorConfig(validate_responses=True)) as mock:  # as the fixture configures it
            EmulatorHandle(mock.url, None, mock.backend)
        times.append(time.perf_counter() - started)
    return times[0], statistics.median(times[1:])


def serve_seconds() -> float:
    with tempfile.TemporaryDirectory() as scratch:
        process, _, seconds = start(scratch)
        kill(process)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uses", type=int, default=30)
    args = parser.parse_args()
    print(f"import emulator:                          {import_seconds('emulator') * 1000:7.1f} ms")
    print(f"import emulator.cli:                      {import_seconds('emulator.cli') * 1000:7.1f} ms")
    print(f"import emulator.mock (mock_encord):       {import_seconds('emulator.mock') * 1000:7.1f} ms")
    first, next_ones = fixture_seconds(args.uses)
    print(f"encord_emulator set-up + teardown, first: {first * 1000:7.1f} ms")
    print(f"encord_emulator set-up + teardown, next:  {next_ones * 1000:7.1f} ms (median of {args.uses})")
    print(f"encord-emulator serve until healthy:      {serve_seconds() * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
