"""How long ``encord-emulator serve --data-dir D`` takes to start again after ``kill -9``: from the process's start
until ``GET /_emulator/health`` answers ok, with D holding N documents (data rows and their backing items,
registered ten rows a transaction, so the journal holds a line per write as a crash leaves it) and N objects of
4 KiB in a bucket. Also what importing the command costs, alone and with what ``serve`` loads.

    .venv/bin/python bench/restart_time.py [--documents 1000,10000] [--restarts 3]
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from encord.orm.dataset import StorageLocation
from encord.user_client import EncordUserClient

from emulator.buckets.persistence import bucket_directory
from emulator.testing import new_ssh_key

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # the serve command of this checkout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data_dir: str) -> tuple[subprocess.Popen, str, float]:
    """``serve`` on free ports; returns once healthy, with the seconds that took."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "emulator.cli", "serve", "--port", str(port), "--data-dir",
                                data_dir, "--log-level", "WARNING"], env=ENV, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    while time.perf_counter() - started < 300:
        try:
            if requests.get(url + "/_emulator/health", timeout=5).status_code == 200:
                return process, url, time.perf_counter() - started
        except requests.ConnectionError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"serve exited with {process.returncode}")
        time.sleep(0.01)
    process.kill()
    raise SystemExit("serve did not become healthy in 300 s")


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()


def populate(data_dir: str, documents: int) -> None:
    """N objects as the S3 port's mirror writes them, then N documents through a server killed at the end."""
    directory = bucket_directory(data_dir)
    body = os.urandom(4096)
    for i in range(documents):
        directory.write_object("restart", f"{i}.png", body, "image/png", {})
    process, url, _ = start(data_dir)
    try:
        client = EncordUserClient.create_with_ssh_private_key(new_ssh_key()[0], domain=url)  # a new user
        dataset = client.create_dataset("restart", StorageLocation.AWS)
        session = requests.Session()
        for first in range(0, documents // 2, 10):  # a data row is two documents: the row and its backing item
            rows = [{"data_title": f"{i}.png", "data_type": "IMAGE", "file_link": f"s3://restart/{i}.png"}
                    for i in range(first, min(first + 10, documents // 2))]
            session.post(f"{url}/_emulator/datasets/{dataset.dataset_hash}/data-rows", json={"rows": rows},
                         timeout=60).raise_for_status()
    finally:
        kill(process)


def import_seconds(modules: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import {modules}"], check=True, env=ENV)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", default="1000,10000")
    parser.add_argument("--restarts", type=int, default=3)
    args = parser.parse_args()
    print(f"python -c 'import emulator.cli':                        {import_seconds('emulator.cli'):5.2f} s")
    print(f"python -c 'import emulator.cli, emulator.server, waitress': "
          f"{import_seconds('emulator.cli, emulator.server, waitress'):5.2f} s")
    for documents in (int(n) for n in args.documents.split(",")):
        with tempfile.TemporaryDirectory() as data_dir:
            populate(data_dir, documents)
            journal = (Path(data_dir) / "journal.jsonl").stat().st_size
            snapshot = Path(data_dir) / "state.json"
            snapshot_size = snapshot.stat().st_size if snapshot.exists() else 0
            times = []
            for _ in range(args.restarts):
                process, url, seconds = start(data_dir)
                health = requests.get(url + "/_emulator/health", timeout=5).json()
                kill(process)
                times.append(seconds)
            stored = sum(health["store"]["counts"].values())
            print(f"{stored:>6} documents, {documents:>6} objects (journal {journal / 1e6:.1f} MB, snapshot "
                  f"{snapshot_size / 1e6:.1f} MB): restart after kill -9 {statistics.median(times):6.2f} s "
                  f"(median of {len(times)}: {', '.join(f'{t:.2f}' for t in times)})")


if __name__ == "__main__":
    main()
