"""The ``encord`` releases the emulator supports, each in a virtual environment of its own, as a team pins one.

An environment holds only that release and what it depends on, as pip resolves them for it. It is built once per
machine in the user's cache (``$XDG_CACHE_HOME`` or ``~/.cache``, then ``encord-emulator/encord-<release>-venv``)
and marked ready only after ``import encord`` worked there, so an interrupted build is redone and every clone and
every run reuses it. The scenario runs with that environment's Python: its own packages come first, so the release
is the SDK it imports; the emulator (this checkout) and what the emulator needs (moto, Flask, PyAV…, from the
suite's own environment) come after them, as a user's test suite would have both installed.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

SUPPORTED = ["0.1.110", "0.1.121", "0.1.135", "0.1.150", "0.1.165", "0.1.180", "0.1.195", "0.1.211"]
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "encord-emulator"
TESTS = Path(__file__).resolve().parents[1]
CHECKOUT = TESTS.parent
HERE = Path(__file__).resolve().parent

# Appends, after the release's own packages: the checkout (the emulator), tests/ (media_factory) and the suite's
# environment (the emulator's dependencies). A package the release brings wins over the suite's copy.
LAUNCHER = """
import runpy, sys
sys.path.extend({paths!r})
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def release_venv(release: str) -> Path:
    """The Python of ``release``'s environment, built now if this machine has none ready."""
    venv = CACHE / f"encord-{release}-venv"
    python = venv / "bin" / "python"
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"encord-{release}-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder at a time, whatever runs the suite
        if not (venv / "READY").exists():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                            f"encord=={release}"], check=True, timeout=1200)
            subprocess.run([str(python), "-c", "import encord"], check=True)
            (venv / "READY").touch()
    return python


def run_in_release(release: str, script: str, *args: str) -> dict:
    """Run ``tests/sdk_matrix/<script>`` with ``release``'s Python; the JSON it printed on its ``SCENARIO`` line."""
    paths = [str(CHECKOUT), str(TESTS), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    completed = subprocess.run(
        [str(release_venv(release)), "-c", LAUNCHER.format(paths=paths), str(HERE / script), *args],
        capture_output=True, text=True, timeout=600, cwd=CHECKOUT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(Path.home()), "PYTHONNOUSERSITE": "1"})
    lines = [line for line in completed.stdout.splitlines() if line.startswith("SCENARIO ")]
    assert completed.returncode == 0 and lines, (
        f"encord {release}: {script} {' '.join(args)} did not finish\n{completed.stdout[-4000:]}"
        f"{completed.stderr[-8000:]}")
    return json.loads(lines[-1][len("SCENARIO "):])
