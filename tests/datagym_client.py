"""Runs the real ``datagym==0.7.2`` client, which pins very old dependencies, in a virtual environment of its own.

The environment is created once per machine in the user's cache (``$XDG_CACHE_HOME`` or ``~/.cache``, then
``encord-emulator/datagym-0.7.2-venv``), so every clone on the machine reuses it, and is marked ready only after
``import datagym`` worked, so an interrupted build is redone. ``cryptography==3.4.8`` is pinned because the client's
pyOpenSSL 19.1 fails against newer cryptography (research notes, datagym-protocol.md §1).
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "encord-emulator"
VENV = CACHE / "datagym-0.7.2-venv"
READY = VENV / "READY"
PYTHON = VENV / "bin" / "python"
CLIENT_REQUIREMENTS = ["datagym==0.7.2", "cryptography==3.4.8"]

PRELUDE = """
import json, os, sys
from datagym import Client
client = Client(api_key=os.environ["DATAGYM_TOKEN"], base_url=os.environ["DATAGYM_URL"])
def attempt(call):
    try:
        return {"value": call()}
    except Exception as e:
        return {"exception": type(e).__name__, "message": str(e)}
"""


def ensure_client_venv() -> Path:
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(VENV.parent / "datagym-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder at a time, whatever runs the suite
        if not READY.exists():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
            subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", *CLIENT_REQUIREMENTS], check=True,
                           timeout=1200)
            subprocess.run([str(PYTHON), "-c", "import datagym"], check=True)
            READY.touch()
    return PYTHON


def run_client(base_url: str, token: str, script: str) -> dict:
    """Run ``script`` (which sets ``result``) with a datagym ``client`` bound to the emulator; return ``result``."""
    code = PRELUDE + script + "\nprint('RESULT ' + json.dumps(result))\n"
    completed = subprocess.run([str(PYTHON), "-c", code], capture_output=True, text=True, timeout=300,
                               env={"DATAGYM_TOKEN": token, "DATAGYM_URL": base_url, "PATH": "/usr/bin:/bin"})
    lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT ")]
    assert completed.returncode == 0 and lines, completed.stdout + completed.stderr
    return json.loads(lines[-1][len("RESULT "):])
