"""Upload jobs: state, progression and the rules of how their results land.

A job runs in a background thread that takes its units one by one (``immediate``ly, one per N seconds, or when a
test advances it by hand, in moto's state-manager vocabulary). Pollers wait on the job's condition and are woken the
moment it ends. Results land whole or not at all: with ``ignore_errors`` each good unit lands as it finishes and
failed units are reported; without it nothing of the job lands unless every unit succeeded. Cancelling keeps the
units already done (unless one failed without ignore_errors: then the job ends ERROR and nothing lands).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass

from emulator.auth.models import User
from emulator.buckets.models import BucketBackend
from emulator.buckets.object_urls import UnparseableObjectUrl, resolve_object_url
from emulator.core import timefmt
from emulator.core.store import Store, copied
from emulator.datasets.models import DataRowFilters, DatasetBackend
from emulator.ingestion import exceptions as exc
from emulator.ingestion.spec import SourceFile, UploadSpec, UploadUnit
from emulator.ingestion.units import (DATA_TYPES, IngestedUnit, UnitFailed, encord_storage_reader, ingest,
                                      object_reader)
from emulator.integrations.exceptions import IntegrationNotFound
from emulator.integrations.models import IntegrationBackend
from emulator.storage.models import ITEM_TYPE_BY_UNIT_KIND, StorageBackend

log = logging.getLogger("encord_emulator.ingestion")

UPLOAD_JOBS = "upload_job"
CLOUD_SYNCS = "cloud_synced_folder_sync"
# The data unit an object of a cloud-synced folder's bucket becomes, by its name's extension; other objects are not
# data Encord syncs and are left alone.
SYNCED_KINDS = {".png": "image", ".jpg": "image", ".jpeg": "image", ".webp": "image", ".bmp": "image",
                ".gif": "image", ".tif": "image", ".tiff": "image", ".mp4": "video", ".webm": "video",
                ".mov": "video", ".mkv": "video", ".mp3": "audio", ".wav": "audio", ".flac": "audio",
                ".ogg": "audio", ".m4a": "audio", ".pdf": "pdf", ".txt": "text", ".html": "text"}
MAX_HOLD_SECONDS = 60  # a poll is held at most this long, well below the SDK's 180 s read timeout
PERSIST_EVERY_UNITS = 100
PENDING, DONE, ERROR, CANCELLED = "PENDING", "DONE", "ERROR", "CANCELLED"
INTEGRATION_GONE_ON_RESUME = ("The emulator stopped before this upload job finished, and its integration {} is "
                              "gone; start the upload again.")


@dataclass(frozen=True)
class Progression:
    mode: str = "immediate"  # immediate | time | manual
    seconds: float = 0.0

    def to_doc(self) -> dict:
        return {"progression": self.mode, "seconds": self.seconds}


def synced_location(remote_url: str, integration: dict) -> tuple[str, str]:
    """The bucket and key prefix a cloud-synced folder mirrors: its remote URL is a bucket, or a folder of one, that
    the integration grants."""
    try:
        location = resolve_object_url(remote_url.rstrip("/") + "/-")
    except UnparseableObjectUrl:
        raise exc.RemoteUrlOutsideIntegration(remote_url, integration["title"]) from None
    if location.bucket not in integration["buckets"]:
        raise exc.RemoteUrlOutsideIntegration(remote_url, integration["title"])
    return location.bucket, location.key[:-1]


def synced_kind(key: str) -> str | None:
    name = key.rpartition("/")[2].lower()
    return SYNCED_KINDS.get(name[name.rfind("."):]) if "." in name else None


def check_upload_job_units(count: int, maximum: int) -> None:
    """One upload job registers at most ``max_upload_job_units`` data units (10,000 by default, the service's
    documented maximum at one time); a larger one is refused whole, before any of it runs."""
    if count > maximum:
        raise exc.TooManyUploadJobUnits(count, maximum)


class JobRunner:
    """One job while it runs: its document in memory, its worker thread, and the condition pollers wait on."""

    def __init__(self, backend: "UploadJobBackend", job: dict, integration: dict | None):
        self.backend = backend
        self.job = job
        self.integration = integration
        self.cond = threading.Condition()
        self.credits = 0
        self.cancel_requested = False
        self.stop_requested = False
        self.ingested: dict[int, IngestedUnit] = {}  # done, not yet landed
        self.thread = threading.Thread(target=self._run, name=f"upload-job-{job['id'][:8]}", daemon=True)

    # -- progression --------------------------------------------------------------------------------------------------

    def _wait_for_turn(self) -> bool:
        """Block until the next unit may run; False when the job was cancelled or the emulator is stopping."""
        mode, seconds = self.job["progression"]["progression"], self.job["progression"]["seconds"]
        with self.cond:
            if mode == "manual":
                self.cond.wait_for(lambda: self.credits > 0 or self._interrupted())
                if not self._interrupted():
                    self.credits -= 1
            elif mode == "time":
                deadline = time.monotonic() + seconds
                while not self._interrupted() and (left := deadline - time.monotonic()) > 0:
                    self.cond.wait(left)
            return not self._interrupted()

    def _interrupted(self) -> bool:
        return self.cancel_requested or self.stop_requested

    # -- the work -----------------------------------------------------------------------------------------------------

    def _run(self) -> None:
        read = (object_reader(self.integration, self.backend.buckets) if self.integration is not None
                else encord_storage_reader(self.job["owner_email"], self.backend.storage, self.backend.buckets))
        try:
            for index, unit_doc in enumerate(self.job["units"]):
                if unit_doc["state"] != "pending":
                    continue  # settled before the emulator restarted (a resumed job)
                if not self._wait_for_turn():
                    break
                self._process(index, unit_doc, read)
                if (index + 1) % PERSIST_EVERY_UNITS == 0 and index + 1 < len(self.job["units"]):
                    self._persist()  # (after the last unit, the job's end persists it)
            self._finish()
        except Exception:  # a bug in the emulator: end the job as failed rather than leave pollers hanging
            log.exception("upload job %s crashed", self.job["id"])
            with self.cond:
                self.job["errors"].append("The emulator failed while processing this job (see its log).")
                self.job["status"] = ERROR
                self.cond.notify_all()
            self._persist()
        if not self.stop_requested:
            self.backend.forget(self.job["id"])  # ended and stored: polls read it from the store from now on

    def _process(self, index: int, unit_doc: dict, read) -> None:
        unit = UploadUnit.from_doc(unit_doc)
        duplicate = self.backend.find_duplicate(self.job, unit) if self.job["skip_duplicate_urls"] else None
        if duplicate is not None:
            outcome = {"state": "done", "skipped": True, **duplicate}
            if self.job["upsert_metadata"]:
                self.ingested[index] = IngestedUnit(row={"client_metadata": unit.client_metadata})
        else:
            try:
                self.ingested[index] = ingest(unit, self.integration, read)
                outcome = {"state": "done", "warnings": self.ingested[index].warnings}
            except UnitFailed as failure:
                outcome = {"state": "error", "error": failure.message}
        with self.cond:
            unit_doc.update(outcome)
            self.cond.notify_all()
        if self.job["ignore_errors"] and index in self.ingested:
            self._land([index])

    def _finish(self) -> None:
        if self.stop_requested:
            return  # the emulator is stopping: leave the job as it is (resumed where it was at the next start)
        units = self.job["units"]
        if self.cancel_requested:
            with self.cond:
                for u in units:
                    if u["state"] == "pending":
                        u["state"] = "cancelled"
        # Without ignore_errors one failed unit fails the whole job, cancelled or not: nothing of it lands.
        if any(u["state"] == "error" for u in units) and not self.job["ignore_errors"]:
            status = ERROR
        else:
            status = CANCELLED if self.cancel_requested else DONE
        if status != ERROR:
            self._land(sorted(self.ingested))  # whatever is done and not yet landed (all of it without ignore_errors)
        with self.cond:
            self.job["status"] = status
            self.job["finished_at"] = timefmt.now_iso()
            self.cond.notify_all()
        self._persist()
        log.info("upload job %s ended %s: %s", self.job["id"], status, counts(self.job))

    def _land(self, indices: list[int]) -> None:
        """Add what done units became (and metadata upserts of skipped ones) in one transaction."""
        new, rows = [], []
        with self.backend.store.transaction():
            for index in indices:
                unit_doc, ingested = self.job["units"][index], self.ingested[index]
                if unit_doc.get("skipped"):
                    self.backend.upsert_client_metadata(self.job, unit_doc, ingested.row["client_metadata"])
                else:
                    new.append(index)
                    rows.append({**ingested.row, "upload_subtask": unit_doc["subtask_uuid"]})
            landed = dict(zip(new, self.backend.land(self.job, rows, self.integration))) if rows else {}
        with self.cond:
            for index in indices:
                self.ingested.pop(index)
                self.job["units"][index].update(landed.get(index, {}))
            self.cond.notify_all()

    def _persist(self) -> None:
        # The worker is the job document's only writer and this is the worker, so the store can read it as it is
        # (the store copies what it is given), without the job's lock: never hold it while waiting for the store's.
        self.backend.store.put(UPLOAD_JOBS, self.job["id"], self.job)


def counts(job: dict) -> dict[str, int]:
    states = [u["state"] for u in job["units"]]
    return {"pending": states.count("pending"), "done": states.count("done"), "error": states.count("error"),
            "cancelled": states.count("cancelled")}


class UploadJobBackend:
    def __init__(self, store: Store, datasets: DatasetBackend, integrations: IntegrationBackend,
                 buckets: BucketBackend, storage: StorageBackend, max_units: int):
        self.store = store
        self.max_units = max_units
        self.datasets = datasets
        self.storage = storage
        self.integrations = integrations
        self.buckets = buckets
        self.progression = Progression()
        self._runners: dict[str, JobRunner] = {}
        self._lock = threading.Lock()

    # -- starting and observing jobs ------------------------------------------------------------------------------------

    def start_dataset_job(self, user: User, dataset_hash: str, integration_id: str | None, spec: UploadSpec,
                          ignore_errors: bool, file_name: str | None, progression: Progression | None = None) -> dict:
        self.datasets.get_dataset(user, dataset_hash)
        return self._start(user, {"dataset_hash": dataset_hash}, integration_id, spec, ignore_errors, file_name,
                           progression)

    def run_dataset_job(self, user: User, dataset_hash: str, spec: UploadSpec) -> dict:
        """A job of files uploaded to Encord storage, started and awaited (as long as a poll is held)."""
        job = self.start_dataset_job(user, dataset_hash, None, spec, ignore_errors=False, file_name=None)
        self.wait_until_ended(job["id"], MAX_HOLD_SECONDS)
        return self.job(user, {"dataset_hash": dataset_hash}, job["id"])

    def register_uploads(self, user: User, dataset_hash: str, kind: str, data_hashes: list[str],
                         file_titles: list[str] | None, title: str | None) -> dict:
        """Files uploaded through legacy signed URLs (by the data hashes those named), registered as one data unit
        by a call of releases up to 0.1.137 that answers once it is a data row: the job of that unit, run and
        awaited; the data row, or why not. A video's kind is its upload's (``signedaudiourl``: audio); each file
        is titled as given, else by its upload; the unit by ``title``, else by its first file."""
        uploads = self.storage.uploads_named(user, data_hashes)
        if kind == "video" and uploads[0].get("legacy_media") == "audio":
            kind = "audio"
        titles = file_titles if file_titles is not None else [upload["title"] for upload in uploads]
        files = [SourceFile(upload["url"], file_title) for upload, file_title in zip(uploads, titles)]
        unit = UploadUnit(kind=kind, files=files, title=title or files[0].title)
        job = self.run_dataset_job(user, dataset_hash, UploadSpec([unit]))
        [unit_doc] = job["units"]
        if unit_doc["state"] != "done":
            raise exc.UploadedFileNotRegistered(unit_doc["error"] or f"its upload job {job['id']} did not end "
                                                                     f"within {MAX_HOLD_SECONDS} seconds")
        return self.datasets.data_row(dataset_hash, unit_doc["data_hash"])

    def start_folder_job(self, user: User, folder_uuid: str, integration_id: str | None, spec: UploadSpec,
                         ignore_errors: bool, file_name: str | None) -> dict:
        self.storage.get_folder(user, folder_uuid)
        return self._start(user, {"folder_uuid": folder_uuid}, integration_id, spec, ignore_errors, file_name, None)

    def _start(self, user: User, target: dict, integration_id: str | None, spec: UploadSpec, ignore_errors: bool,
               file_name: str | None, progression: Progression | None) -> dict:
        """Check everything that can be checked up front, store the job, and start it once the request commits.
        Without an integration, the job registers files uploaded to Encord storage."""
        integration = self.integrations.integration_for(user, integration_id) if integration_id is not None else None
        if not spec.units:
            raise exc.EmptyUploadSpec()
        check_upload_job_units(len(spec.units), self.max_units)
        job = {
            "id": str(uuid.uuid4()),
            "dataset_hash": target.get("dataset_hash"),
            "folder_uuid": target.get("folder_uuid"),
            "owner_email": user.email,
            "owner": user.user_hash,
            "integration_id": integration_id,
            "ignore_errors": ignore_errors,
            "file_name": file_name,
            "skip_duplicate_urls": spec.skip_duplicate_urls,
            "upsert_metadata": spec.upsert_metadata,
            "progression": (progression or self.progression).to_doc(),
            "status": PENDING,
            "created_at": timefmt.now_iso(),
            "finished_at": None,
            "errors": [],
            "units": [{**unit.to_doc(), "subtask_uuid": str(uuid.uuid4()), "state": "pending", "error": None,
                       "skipped": False, "warnings": [], "data_hash": None, "item_uuid": None,
                       "data_title": None} for unit in spec.units],
        }
        with self.store.transaction() as tx:
            tx.put(UPLOAD_JOBS, job["id"], job)
            tx.after_commit(lambda: self._launch(job, integration))
        return job

    def _launch(self, job: dict, integration: dict | None) -> None:
        runner = JobRunner(self, job, integration)
        with self._lock:
            self._runners[job["id"]] = runner
        runner.thread.start()

    def job(self, user: User, target: dict, job_id: str) -> dict:
        """The job as it stands (from its runner while it runs), for a user who may see its dataset or folder."""
        if "dataset_hash" in target:
            self.datasets.get_dataset(user, target["dataset_hash"])
        else:
            self.storage.get_folder(user, target["folder_uuid"])
        job = self.current(job_id)
        if job is None or any(job.get(key) != value for key, value in target.items()):
            raise exc.UploadJobNotFound(job_id)
        return job

    def current(self, job_id: str) -> dict | None:
        runner = self._runners.get(job_id)
        if runner is not None:
            with runner.cond:
                return copied(runner.job)
        return self.store.get(UPLOAD_JOBS, job_id)

    def wait(self, user: User, target: dict, job_id: str, timeout_seconds: float) -> dict:
        """Hold the poll until the job ends or the timeout (capped) passes, then return it as it stands."""
        self.job(user, target, job_id)
        self.wait_until_ended(job_id, timeout_seconds)
        return self.job(user, target, job_id)

    def wait_until_ended(self, job_id: str, timeout_seconds: float) -> None:
        runner = self._runners.get(job_id)
        if runner is not None and timeout_seconds > 0:
            with runner.cond:
                runner.cond.wait_for(lambda: runner.job["status"] != PENDING, min(timeout_seconds, MAX_HOLD_SECONDS))

    def folder_jobs_count(self, folder_uuid: str) -> int:
        """How many upload jobs were started into a storage folder."""
        return len(self.store.find(UPLOAD_JOBS, lambda j: j["folder_uuid"] == folder_uuid))

    def list_jobs(self) -> list[dict]:
        stored = {j["id"]: j for j in self.store.find(UPLOAD_JOBS)}
        for job_id, runner in list(self._runners.items()):
            with runner.cond:
                stored[job_id] = copied(runner.job)
        return sorted(stored.values(), key=lambda j: j["created_at"])

    # -- cloud-synced folders -------------------------------------------------------------------------------------------

    def create_cloud_synced_folder(self, user: User, name: str, description: str, parent: str | None,
                                   client_metadata: str | None, integration_id: str, remote_url: str) -> dict:
        integration = self.integrations.integration_for(user, integration_id)
        synced_location(remote_url, integration)
        return self.storage.create_folder(user, name, description, parent, client_metadata,
                                          cloud_link={"integration_id": integration_id, "remote_url": remote_url})

    def start_cloud_sync(self, user: User, folder_uuid: str) -> dict:
        """Sync a cloud-synced folder with its bucket (its admins): each object of a data type not yet an item
        becomes one, named by its path below the remote URL, through an upload job (errors reported, the good ones
        landing); an item whose object is gone
        becomes a tombstone, and one whose object is back is restored. An object changed in place is not re-read."""
        link = self.storage.folder_to_sync(user, folder_uuid)["cloud_link"]
        integration = self.integrations.integration_for(user, link["integration_id"])
        bucket, prefix = synced_location(link["remote_url"], integration)
        base = link["remote_url"].rstrip("/") + "/"
        listed = {base + key[len(prefix):]: key for key in self.buckets.object_keys(bucket) if key.startswith(prefix)}
        items = {item["url"]: item for item in self.storage.folder_items(folder_uuid)}
        self.storage.set_tombstones([i["uuid"] for url, i in items.items()
                                     if url not in listed and not i.get("is_tombstone")], True)
        self.storage.set_tombstones([i["uuid"] for url, i in items.items()
                                     if url in listed and i.get("is_tombstone")], False)
        units = [UploadUnit(kind=synced_kind(key), files=[SourceFile(url)], title=key[len(prefix):])
                 for url, key in listed.items() if url not in items and synced_kind(key)]
        job = (self._start(user, {"folder_uuid": folder_uuid}, link["integration_id"], UploadSpec(units, False, False),
                           True, None, None) if units else None)
        sync = {"uuid": str(uuid.uuid4()), "folder_uuid": folder_uuid, "upload_job_id": job and job["id"],
                "created_at": timefmt.now_iso()}
        self.store.put(CLOUD_SYNCS, sync["uuid"], sync)
        return sync

    def wait_for_cloud_sync(self, user: User, folder_uuid: str, sync_uuid: str,
                            timeout_seconds: float) -> tuple[dict, dict | None]:
        """The sync and its upload job (none when there was nothing new), the poll held until the job ends."""
        self.storage.get_folder(user, folder_uuid)
        sync = self.store.get(CLOUD_SYNCS, sync_uuid)
        if sync is None or sync["folder_uuid"] != folder_uuid:
            raise exc.CloudSyncNotFound(sync_uuid, folder_uuid)
        target = {"folder_uuid": folder_uuid}
        job = sync["upload_job_id"] and self.wait(user, target, sync["upload_job_id"], timeout_seconds)
        return sync, job

    # -- control ------------------------------------------------------------------------------------------------------

    def set_progression(self, progression: Progression) -> None:
        """Applies to jobs started from now on."""
        self.progression = progression

    def advance(self, job_id: str, units: int | None) -> dict:
        runner = self._running(job_id)
        if runner.job["progression"]["progression"] != "manual":
            raise exc.JobNotManual(job_id)
        with runner.cond:
            runner.credits += len(runner.job["units"]) if units is None else units
            runner.cond.notify_all()
        return copied(runner.job)

    def cancel(self, job_id: str) -> None:
        runner = self._running(job_id)
        with runner.cond:
            runner.cancel_requested = True
            runner.cond.notify_all()
        runner.thread.join()

    def forget(self, job_id: str) -> None:
        with self._lock:
            self._runners.pop(job_id, None)

    def _running(self, job_id: str) -> JobRunner:
        runner = self._runners.get(job_id)
        if runner is None:
            stored = self.store.get(UPLOAD_JOBS, job_id)
            if stored is None:
                raise exc.UploadJobNotFound(job_id)
            raise exc.UploadJobFinished(job_id, stored["status"])
        with runner.cond:
            if runner.job["status"] != PENDING:
                raise exc.UploadJobFinished(job_id, runner.job["status"])
        return runner

    def reset(self) -> None:
        self.stop()
        self.progression = Progression()

    def stop(self) -> None:
        """Stop every worker (the emulator is shutting down or resetting)."""
        with self._lock:
            runners, self._runners = list(self._runners.values()), {}
        for runner in runners:
            with runner.cond:
                runner.stop_requested = True
                runner.cond.notify_all()
        for runner in runners:
            runner.thread.join()

    # -- rules the runner applies -------------------------------------------------------------------------------------

    def find_duplicate(self, job: dict, unit: UploadUnit) -> dict | None:
        """skip_duplicate_urls: a unit whose URLs exactly match one of the same type already there: in the dataset
        for dataset uploads, in the folder for folder uploads (the SDK documents each scope)."""
        if job["folder_uuid"]:
            item = self.storage.find_item(job["folder_uuid"], ITEM_TYPE_BY_UNIT_KIND[unit.kind], unit.urls)
            return {"item_uuid": item["uuid"], "data_title": item["name"]} if item else None
        found = [row for row in self.datasets.data_rows(job["dataset_hash"],
                                                        DataRowFilters(data_types=(DATA_TYPES[unit.kind],)))
                 if row.get("object_urls") == unit.urls]
        return ({"data_hash": found[0]["data_hash"], "item_uuid": found[0]["backing_item_uuid"],
                 "data_title": found[0]["data_title"]} if found else None)

    def land(self, job: dict, rows: list[dict], integration: dict | None) -> list[dict]:
        """Where done units land, in one go: data rows of the dataset, or items of the folder. A single file uploaded
        to Encord storage becomes the item its upload reserved, with the data hash a legacy signed URL named (once:
        registered again, even in the same job, it is a new item)."""
        reserved, claimed = [], set()
        for row in rows:
            upload = self.storage.placeholder(row["object_urls"])
            if upload is None or upload["item_uuid"] in claimed:
                reserved.append({})
                continue
            claimed.add(upload["item_uuid"])
            reserved.append({"backing_item_uuid": upload["item_uuid"],
                             **({"data_hash": upload["data_hash"]} if upload.get("data_hash") else {})})
        if job["folder_uuid"]:
            items = [self.storage.add_item(job["folder_uuid"], job["owner_email"], row, integration,
                                           identity.get("backing_item_uuid")) for row, identity in zip(rows, reserved)]
            return [{"item_uuid": item["uuid"], "data_title": item["name"]} for item in items]
        added = self.datasets.add_data_rows(job["dataset_hash"],
                                            [{**row, **identity} for row, identity in zip(rows, reserved)], integration)
        return [{"data_hash": row["data_hash"], "item_uuid": row["backing_item_uuid"], "data_title": row["data_title"]}
                for row in added]

    def upsert_client_metadata(self, job: dict, unit_doc: dict, client_metadata: dict) -> None:
        """upsert_metadata: a skipped unit's existing row or item takes the spec's client metadata."""
        if job["folder_uuid"]:
            self.storage.upsert_client_metadata(unit_doc["item_uuid"], client_metadata)
        else:
            self.datasets.set_client_metadata(unit_doc["data_hash"], client_metadata)

    def resume_interrupted_jobs(self) -> None:
        """Jobs a previous run of a persistent emulator left PENDING go on where they were. What landed is known by
        the subtask each data row or item carries; every other unit runs again (a failed unit fails again, and a
        job without ignore_errors had landed nothing). A job whose integration is gone ends ERROR instead."""
        for job in self.store.find(UPLOAD_JOBS, lambda j: j["status"] == PENDING):
            landed = self._landed_by_subtask(job)
            for unit in job["units"]:
                if unit["subtask_uuid"] in landed:
                    unit.update(state="done", error=None, skipped=False, **landed[unit["subtask_uuid"]])
                else:
                    unit.update(state="pending", error=None, skipped=False, warnings=[], data_hash=None,
                                item_uuid=None, data_title=None)
            try:
                integration = (self.integrations.get_integration(job["integration_id"])
                               if job["integration_id"] is not None else None)
            except IntegrationNotFound:
                integration = None
                job.update(status=ERROR, finished_at=timefmt.now_iso())
                job["errors"].append(INTEGRATION_GONE_ON_RESUME.format(job["integration_id"]))
                for unit in job["units"]:
                    if unit["state"] == "pending":
                        unit["state"] = "cancelled"
            self.store.put(UPLOAD_JOBS, job["id"], job)
            if job["status"] == PENDING:
                log.info("upload job %s resumed: %s", job["id"], counts(job))
                self._launch(job, integration)

    def _landed_by_subtask(self, job: dict) -> dict[str, dict]:
        subtasks = {unit["subtask_uuid"] for unit in job["units"]}
        if job["folder_uuid"]:
            return {item["upload_subtask"]: {"item_uuid": item["uuid"], "data_title": item["name"]}
                    for item in self.storage.folder_items(job["folder_uuid"])
                    if item.get("upload_subtask") in subtasks}
        return {row["upload_subtask"]: {"data_hash": row["data_hash"], "item_uuid": row["backing_item_uuid"],
                                        "data_title": row["data_title"]}
                for row in self.datasets.data_rows(job["dataset_hash"], DataRowFilters())
                if row.get("upload_subtask") in subtasks}


def result_units(job: dict) -> tuple[list[dict], list[dict]]:
    """(units landed or skipped, failed units) in spec order, with what the result reports of each. A job that
    failed as a whole reports none landed, its skipped duplicates included: nothing of it took effect."""
    failed_whole = job["status"] == ERROR and not job["ignore_errors"]
    landed = [] if failed_whole else [u for u in job["units"] if u["state"] == "done" and u["item_uuid"]]
    failed = [u for u in job["units"] if u["state"] == "error"]
    return landed, failed

