"""Runs the real ``datagym==0.7.2`` client, which pins very old dependencies, in a virtual environment of its own.

The environment is created once per machine in the user's cache (``$XDG_CACHE_HOME`` or ``~/.cache``, then
``encord-emulator/datagym-0.7.2-venv``), so every clone on the machine reuses it, and is marked ready only after
``import datagym`` worked, so an interrupted build is redone. ``cryptography==3.4.8`` is pinned because the client's
pyOpenSSL 19.1 fails against newer cryptography (research notes, datagym-protocol.md §1).

Scripts run in one long-lived interpreter of that environment (``import datagym`` and its old dependencies take a
second or more to load; a process per script paid it every time), each in a namespace of its own with its own client.
"""

from __future__ import annotations

import atexit
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


# The interpreter's loop: one JSON request a line ({"token", "url", "script"}), one JSON answer a line ({"result"} or
# {"error"}), the script's own output kept apart so that it cannot be taken for an answer.
WORKER = """
import contextlib, io, json, os, sys, traceback
answers = sys.stdout
for line in sys.stdin:
    request = json.loads(line)
    os.environ.update(DATAGYM_TOKEN=request["token"], DATAGYM_URL=request["url"])
    namespace, output = {}, io.StringIO()
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            exec(request["script"], namespace)
        answer = {"result": namespace["result"]}
    except BaseException:
        answer = {"error": output.getvalue() + traceback.format_exc()}
    answers.write(json.dumps(answer) + "\\n")
    answers.flush()
"""
_worker: list[subprocess.Popen] = []


def _interpreter() -> subprocess.Popen:
    if not _worker:
        _worker.append(subprocess.Popen([str(PYTHON), "-c", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, env={"PATH": "/usr/bin:/bin"}))
        atexit.register(_stop_interpreter)
    return _worker[0]


def _stop_interpreter() -> None:
    worker = _worker.pop()
    worker.stdin.close()
    worker.wait(timeout=30)


def run_client(base_url: str, token: str, script: str) -> dict:
    """Run ``script`` (which sets ``result``) with a datagym ``client`` bound to the emulator; return ``result``."""
    worker = _interpreter()
    worker.stdin.write(json.dumps({"token": token, "url": base_url, "script": PRELUDE + script}) + "\n")
    worker.stdin.flush()
    line = worker.stdout.readline()
    assert line, f"the datagym interpreter exited ({worker.wait()})"
    answer = json.loads(line)
    assert "error" not in answer, answer["error"]
    return answer["result"]
