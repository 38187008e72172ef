"""What a sandbox shared by many clients, and killed at any moment, keeps: every acknowledged write.

The campaigns record their figures (how long they ran, the restart times), shown in the run's summary so CI's log
carries them (tests/conftest.py); nothing here asserts a time.
"""

import hashlib
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from encord.exceptions import RequestException
from encord.http.constants import RequestsSettings
from encord.objects import Object, OntologyStructure, Shape
from encord.objects.coordinates import BoundingBoxCoordinates
from encord.orm.dataset import StorageLocation
from encord.user_client import EncordUserClient

from emulator import EmulatorConfig, ThreadedEncordServer
from emulator.buckets.models import BucketBackend, s3_client
from emulator.buckets.persistence import bucket_directory
from emulator.core.store import Store, check_state_document
from emulator.testing import EmulatorHandle, new_ssh_key

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 8
SAVES_PER_CLIENT = 200
OWN_ROWS = 25  # per client, each saved SAVES_PER_CLIENT // OWN_ROWS - 1 times; the rest go to the shared rows
SHARED_ROWS = 5
SHARED_SAVES_PER_CLIENT = SAVES_PER_CLIENT - OWN_ROWS * (SAVES_PER_CLIENT // OWN_ROWS - 1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_all(targets: list) -> None:
    """Run each callable in its own thread; re-raise the first failure."""
    errors = []

    def guarded(target):
        try:
            target()
        except BaseException as e:  # noqa: BLE001  (re-raised by the caller's thread)
            errors.append(e)

    threads = [threading.Thread(target=guarded, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(thread.is_alive() for thread in threads), "a client did not finish in 600 s"
    if errors:
        raise errors[0]


def image_rows(titles) -> list[dict]:
    """Image data rows to register through the control API (no media is read), one per title."""
    return [{"data_title": title, "data_type": "IMAGE", "width": 64, "height": 48, "file_type": "image/png",
             "file_link": f"s3://rows/{title}"} for title in titles]


def box_ontology() -> OntologyStructure:
    structure = OntologyStructure()
    structure.add_object("Box", Shape.BOUNDING_BOX)
    return structure


def add_box(label_row, client: int, n: int) -> tuple:
    """A box whose place says who saved it and when: (client, n) can be read back from its coordinates."""
    coordinates = BoundingBoxCoordinates(height=0.01, width=0.01, top_left_x=client / 100, top_left_y=n / 1000)
    instance = label_row.ontology_structure.get_child_by_title("Box", type_=Object).create_instance()
    instance.set_for_frames(coordinates, frames=0)
    label_row.add_object_instance(instance)
    return boxes_of(label_row)


def boxes_of(label_row) -> tuple:
    """The (client, n) of every box a label row holds, sorted."""
    found = []
    for instance in label_row.get_object_instances():
        coordinates = instance.get_annotation(0).coordinates
        found.append((round(coordinates.top_left_x * 100), round(coordinates.top_left_y * 1000)))
    return tuple(sorted(found))


class Serve:
    """``encord-emulator serve --data-dir D`` in a subprocess, on ports fixed for its life and its restarts."""

    def __init__(self, data_dir: Path, log: Path):
        self.data_dir, self.log = data_dir, log
        self.port, self.s3_port = free_port(), free_port()
        self.url, self.s3_url = f"http://127.0.0.1:{self.port}", f"http://127.0.0.1:{self.s3_port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        """Start it and wait until it is healthy; returns the seconds that took."""
        started = time.perf_counter()
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "emulator.cli", "serve", "--port", str(self.port), "--s3-port",
                 str(self.s3_port), "--data-dir", str(self.data_dir)],
                env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL, stderr=log)
        while time.perf_counter() - started < 60:
            try:
                if requests.get(self.url + "/_emulator/health", timeout=5).status_code == 200:
                    return time.perf_counter() - started
            except requests.ConnectionError:
                pass
            assert self.process.poll() is None, f"serve exited: {self.log.read_text()[-3000:]}"
            time.sleep(0.02)
        raise AssertionError(f"serve did not become healthy in 60 s: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)

    def statuses(self) -> list[int]:
        """The status of every request it logged (its one line per request)."""
        return statuses_logged(self.log.read_text().splitlines())


def handle_of(serve: Serve) -> EmulatorHandle:
    """A handle on the served process: its backend lives there; here only its configuration is known."""
    return EmulatorHandle(serve.url, serve.s3_url, SimpleNamespace(config=EmulatorConfig()))


@pytest.fixture
def serve(tmp_path):
    served = Serve(tmp_path / "data", tmp_path / "serve.log")
    yield served
    served.kill()


# -- concurrency -------------------------------------------------------------------------------------------------------


@dataclass
class Campaign:
    """Several users labelling one shared project at once: each client saves its own rows again and again, and all
    of them fight over a few shared rows (last writer wins, as on the platform)."""

    handle: EmulatorHandle
    project_hash: str = ""
    clients: list = field(default_factory=list)
    own: dict = field(default_factory=dict)  # data title -> the boxes its last acknowledged save held
    shared: dict = field(default_factory=dict)  # data title -> every box set an acknowledged save held
    saves: dict = field(default_factory=dict)  # data title -> acknowledged saves
    lock: threading.Lock = field(default_factory=threading.Lock)

    def set_up(self) -> None:
        users = [self.handle.register_user(f"labeller{n}@example.com") for n in range(CLIENTS // 2)]
        owner = self.handle.user_client(users[0].email)
        dataset = owner.create_dataset("shared", StorageLocation.AWS)
        titles = [f"own-{c}-{r}.png" for c in range(CLIENTS) for r in range(OWN_ROWS)]
        titles += [f"shared-{r}.png" for r in range(SHARED_ROWS)]
        self.handle.register_data_rows(dataset.dataset_hash, image_rows(titles))
        ontology = owner.create_ontology("boxes", structure=box_ontology())
        self.project_hash = owner.create_project("shared", [dataset.dataset_hash],
                                                 ontology_hash=ontology.ontology_hash)
        for user in users[1:]:
            for kind, resource in (("project", self.project_hash), ("ontology", ontology.ontology_hash),
                                   ("dataset", dataset.dataset_hash)):
                self.handle.share(kind, resource, user.email)
        project = owner.get_project(self.project_hash)
        with project.create_bundle() as bundle:  # the shared rows exist before anyone fights over them
            for label_row in project.list_label_rows_v2(data_title_like="shared-%"):
                label_row.initialise_labels(bundle=bundle)
        # Two clients per user, each its own EncordUserClient.
        self.clients = [self.handle.user_client(users[n // 2].email) for n in range(CLIENTS)]

    def label(self, n: int) -> None:
        project = self.clients[n].get_project(self.project_hash)
        rows = {r.data_title: r for r in project.list_label_rows_v2()}
        own = [rows[f"own-{n}-{r}.png"] for r in range(OWN_ROWS)]
        for label_row in own:
            label_row.initialise_labels()
        for round_ in range(SAVES_PER_CLIENT // OWN_ROWS - 1):
            for label_row in own:
                held = add_box(label_row, n, round_)
                label_row.save()
                self._acknowledged(label_row.data_title, held, own=True)
        for i in range(SHARED_SAVES_PER_CLIENT):
            label_row = rows[f"shared-{i % SHARED_ROWS}.png"]
            label_row.initialise_labels(overwrite=True)  # read what the others saved, then add to it
            held = add_box(label_row, n, i)
            label_row.save()
            self._acknowledged(label_row.data_title, held, own=False)

    def _acknowledged(self, title: str, held: tuple, own: bool) -> None:
        with self.lock:
            self.saves[title] = self.saves.get(title, 0) + 1
            if own:
                self.own[title] = held
            else:
                self.shared.setdefault(title, set()).add(held)

    def run(self) -> float:
        started = time.perf_counter()
        run_all([lambda n=n: self.label(n) for n in range(CLIENTS)])
        return time.perf_counter() - started

    def check_every_save_is_read_back(self) -> None:
        assert sum(self.saves.values()) == CLIENTS * SAVES_PER_CLIENT
        project = self.handle.user_client("labeller0@example.com").get_project(self.project_hash)
        rows = project.list_label_rows_v2()
        with project.create_bundle() as bundle:
            for label_row in rows:
                label_row.initialise_labels(bundle=bundle)
        read_back = {r.data_title: boxes_of(r) for r in rows}
        assert {title: read_back[title] for title in self.own} == self.own
        for title, held in self.shared.items():
            assert read_back[title] in held  # the last writer's save, whole
        # No save was lost on the way: each one counted on its row (a lost update would leave a lower version).
        versions = {doc["data_hash"]: doc["version"] for doc in self.handle.state()["tables"]["label_row"].values()}
        by_title = {r.data_title: versions[r.data_hash] for r in rows}
        assert by_title == self.saves


def statuses_logged(lines) -> list[int]:
    """The status of every request the emulator logged (its one line per request)."""
    return [int(match.group(1)) for line in lines if (match := re.search(r" -> (\d{3}) \(", line))]


@pytest.mark.long
def test_eight_clients_saving_label_rows_at_once_lose_nothing(tmp_path, caplog, record_property):
    caplog.set_level(logging.INFO, logger="encord_emulator")
    data_dir = tmp_path / "data"
    with ThreadedEncordServer(config=EmulatorConfig(data_dir=str(data_dir))) as server:
        campaign = Campaign(EmulatorHandle(server.url, server.s3.url, server.backend))
        campaign.set_up()
        seconds = campaign.run()
        campaign.check_every_save_is_read_back()
        state = campaign.handle.state()
    statuses = statuses_logged(r.getMessage() for r in caplog.records)
    record_property("figure", f"{CLIENTS} clients x {SAVES_PER_CLIENT} label-row saves on a threaded server: "
                              f"{seconds:.1f} s, {len(statuses)} requests")
    assert [s for s in statuses if s >= 500] == []
    check_state_document(state)
    reopened = Store(data_dir)  # what a restart would read: the same state
    assert reopened.export_state()["tables"] == state["tables"]
    reopened.close()


@pytest.mark.long
def test_eight_clients_saving_label_rows_at_once_through_the_served_command_lose_nothing(serve, record_property):
    serve.start()
    campaign = Campaign(handle_of(serve))
    campaign.set_up()
    seconds = campaign.run()
    campaign.check_every_save_is_read_back()
    check_state_document(campaign.handle.state())
    assert serve.stop() == 0
    statuses = serve.statuses()
    record_property("figure", f"{CLIENTS} clients x {SAVES_PER_CLIENT} label-row saves on encord-emulator serve "
                              f"(waitress): {seconds:.1f} s, {len(statuses)} requests")
    assert [s for s in statuses if s >= 500] == []


# -- crashes -----------------------------------------------------------------------------------------------------------


def test_a_write_to_the_s3_port_while_the_server_starts_is_on_disk_once_answered(tmp_path, monkeypatch):
    """A client that does not wait for the health check writes as soon as the S3 port takes connections: what it
    is answered must be on disk, as every later write is (it was not, and a kill -9 lost it)."""
    data_dir = tmp_path / "data"
    directory = bucket_directory(data_dir)
    directory.write_object("early", "saved", b"saved", "image/png", {})  # the bucket, from the last run
    load_from = BucketBackend.load_from
    writers, answered = [], []

    def write_while_starting(self, saved):
        loaded = load_from(self, saved)
        writer = threading.Thread(target=lambda: answered.append(
            s3_client(self.endpoint_url).put_object(Bucket="early", Key="during-start", Body=b"early")))
        writer.start()
        writer.join(timeout=0.5)  # answered by now, unless the port waits until the emulator has started
        writers.append(writer)
        return loaded

    monkeypatch.setattr(BucketBackend, "load_from", write_while_starting)
    with ThreadedEncordServer(config=EmulatorConfig(data_dir=str(data_dir))):
        writers[0].join(timeout=30)
        assert len(answered) == 1
        # Read while the server still runs: what a kill -9 now would leave behind.
        assert sorted(key for key, *_ in directory.objects("early")) == ["during-start", "saved"]


KILL_CYCLES = 12
WRITES_PER_CYCLE = 3  # each writer's acknowledged writes before the next kill (at least)
PACE = 0.01  # seconds a writer waits after each acknowledged write, so that none starves the others
QUICK = RequestsSettings(max_retries=0, connection_retries=0, connect_timeout=2, read_timeout=10)


class Writers:
    """Threads that write all the time, through every restart: the SDK creates datasets and saves label rows,
    boto3 puts objects to the S3 port. A write counts once its answer came back; one in flight when the server was
    killed, or refused while it was down, may land or not."""

    def __init__(self, serve: Serve, private_key: str, project_hash: str):
        self.serve, self.private_key = serve, private_key
        self.client = EncordUserClient.create_with_ssh_private_key(ssh_private_key=private_key, domain=serve.url,
                                                                   requests_settings=QUICK)
        self.project_hash = project_hash
        self.s3 = s3_client(serve.s3_url)  # boto3, without retries
        self.datasets: dict[str, str] = {}  # dataset hash -> title
        self.label_rows: dict[str, tuple] = {}  # data title -> the boxes saved
        self.objects: dict[str, str] = {}  # key -> MD5 of the bytes
        self.refused = 0
        self.last_error = {}
        self._rows = iter(self.client.get_project(project_hash).list_label_rows_v2())
        self._unanswered_row = None
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._loop, args=(write,), daemon=True)
                         for write in (self._create_dataset, self._save_label_row, self._put_object)]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def acknowledged(self) -> tuple[int, int, int]:
        return len(self.datasets), len(self.label_rows), len(self.objects)

    def _loop(self, write) -> None:
        for n in range(100_000):
            if self._stop.is_set():
                return
            try:
                write(n)
                time.sleep(PACE)
            except Exception as e:  # noqa: BLE001  (the server is down or was killed mid-answer: not acknowledged)
                self.refused += 1
                self.last_error[write.__name__] = repr(e)
                time.sleep(0.02)

    def _create_dataset(self, n: int) -> None:
        title = f"crash-{n}"
        created = self.client.create_dataset(title, StorageLocation.AWS)
        self.datasets[created.dataset_hash] = title

    def _save_label_row(self, n: int) -> None:
        label_row, self._unanswered_row = self._unanswered_row or next(self._rows), None
        try:
            label_row.initialise_labels()
        except RequestException:  # no answer (the server is down): the same row next time
            self._unanswered_row = label_row
            raise
        # From here a row whose initialise or save failed is left as it is.
        held = add_box(label_row, 1, n)
        label_row.save()
        self.label_rows[label_row.data_title] = held

    def _put_object(self, n: int) -> None:
        body = os.urandom(1024)
        self.s3.put_object(Bucket="crash", Key=f"k-{n}", Body=body, ContentType="image/png", Metadata={"n": str(n)})
        self.objects[f"k-{n}"] = hashlib.md5(body).hexdigest()

    def check_every_write_is_present(self) -> None:
        """What was acknowledged before now is there (read while the writers go on)."""
        datasets, label_rows, objects = dict(self.datasets), dict(self.label_rows), dict(self.objects)
        reader = EncordUserClient.create_with_ssh_private_key(ssh_private_key=self.private_key,
                                                              domain=self.serve.url)
        listed = {d["dataset"].dataset_hash: d["dataset"].title for d in reader.get_datasets(title_like="crash-%")}
        assert {h: listed.get(h) for h in datasets} == datasets
        project = reader.get_project(self.project_hash)
        saved = [r for r in project.list_label_rows_v2() if r.data_title in label_rows]
        with project.create_bundle() as bundle:
            for label_row in saved:
                label_row.initialise_labels(bundle=bundle)
        assert {r.data_title: boxes_of(r) for r in saved} == label_rows
        stored = {entry["Key"]: entry["ETag"].strip('"') for page in
                  self.s3.get_paginator("list_objects_v2").paginate(Bucket="crash") for entry in
                  page.get("Contents", [])}
        assert {k: stored.get(k) for k in objects} == objects


def wait_for_writes(writers: Writers, since: tuple[int, int, int]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if all(now - before >= WRITES_PER_CYCLE for now, before in zip(writers.acknowledged(), since)):
            return
        time.sleep(0.02)
    raise AssertionError(f"the writers made no progress in 30 s: {writers.acknowledged()} after {since}; "
                         f"{writers.last_error}")


@pytest.mark.long
def test_kill_9_while_writing_loses_no_acknowledged_write_and_the_server_starts_each_time(serve, record_property):
    serve.start()
    private, _ = new_ssh_key()
    owner = EncordUserClient.create_with_ssh_private_key(ssh_private_key=private, domain=serve.url)
    dataset = owner.create_dataset("rows", StorageLocation.AWS)
    handle = handle_of(serve)
    handle.register_data_rows(dataset.dataset_hash, image_rows(f"row-{n:04}.png" for n in range(1000)))
    ontology = owner.create_ontology("boxes", structure=box_ontology())
    project_hash = owner.create_project("crash", [dataset.dataset_hash], ontology_hash=ontology.ontology_hash)
    handle.s3.create_bucket(Bucket="crash")

    writers = Writers(serve, private, project_hash)
    writers.start()
    restarts = []
    try:
        for _ in range(KILL_CYCLES):
            wait_for_writes(writers, writers.acknowledged())
            serve.kill()
            restarts.append(serve.start())
            writers.check_every_write_is_present()
    finally:
        writers.stop()
    writers.check_every_write_is_present()
    reply = writers.s3.get_object(Bucket="crash", Key="k-0")
    assert (reply["ContentType"], reply["Metadata"]) == ("image/png", {"n": "0"})
    check_state_document(handle.state())
    assert serve.stop() == 0
    assert [s for s in serve.statuses() if s >= 500] == []
    record_property("figure", f"{KILL_CYCLES} kill -9 cycles of serve --data-dir; acknowledged (datasets, label "
                              f"rows, objects): {writers.acknowledged()}, refused or cut off: {writers.refused}; "
                              f"restart seconds: {', '.join(f'{t:.2f}' for t in restarts)}")
