"""What ``EmulatorHandle.seed("blueberries-and-cherries")`` costs in-process: the first call in a process (which
generates the seed's images and videos) and a second call in a fresh emulator (media already made).

    .venv/bin/python bench/seed_time.py
"""

import time

from emulator.config import EmulatorConfig
from emulator.mock import mock_encord
from emulator.testing import EmulatorHandle


def seed_seconds() -> float:
    with mock_encord(EmulatorConfig()) as mock:
        handle = EmulatorHandle(mock.url, None, mock.backend)
        started = time.perf_counter()
        handle.seed("blueberries-and-cherries")
        return time.perf_counter() - started


if __name__ == "__main__":
    first, second = seed_seconds(), seed_seconds()
    print(f'seed("blueberries-and-cherries") in-process: first {first:.2f} s, second {second:.2f} s')
