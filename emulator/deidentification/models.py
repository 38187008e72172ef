"""DICOM de-identification tasks: state and the rules of what a de-identified file keeps and where it is written.

A task reads each DICOM file through the integration, removes every tag but those the SDK documents as kept (and
what its pixels need to be read again), and writes the result to the same bucket, next to the original or in the
upload directory, named ``deid_<timestamp>_<name>``. It runs in a background thread; polls wait on it. All or none:
one file that cannot be read or is not DICOM ends the task ERROR and nothing is written.
"""

from __future__ import annotations

import io
import logging
import threading
import time
import uuid
from dataclasses import dataclass

import pydicom
from pydicom import errors as pydicom_errors
from pydicom.datadict import tag_for_keyword
from pydicom.tag import Tag

from emulator.auth.models import User
from emulator.buckets.exceptions import ObjectNotFound
from emulator.buckets.models import BucketBackend
from emulator.buckets.object_urls import ObjectLocation, UnparseableObjectUrl, resolve_object_url
from emulator.core import timefmt
from emulator.core.errors import InvalidArgumentsError
from emulator.core.store import Store
from emulator.deidentification import exceptions as exc
from emulator.integrations.exceptions import IntegrationNotFound
from emulator.integrations.models import IntegrationBackend

log = logging.getLogger("encord_emulator.deidentification")

DEIDENTIFICATION_TASKS = "dicom_deidentification_task"
MAX_HOLD_SECONDS = 60  # a poll is held at most this long, well below the SDK's read timeout
PENDING, DONE, ERROR = "PENDING", "DONE", "ERROR"
INTEGRATION_GONE_ON_RESUME = ("The emulator stopped before this de-identification task finished, and its "
                              "integration {} is gone; start the task again.")
# What the SDK's deidentify_dicom_files documents as kept; every other tag is removed.
DOCUMENTED_KEPT_KEYWORDS = ("SOPInstanceUID", "PatientName", "SliceThickness", "SpacingBetweenSlices",
                            "StudyInstanceUID", "SeriesInstanceUID", "ImagePositionPatient", "ImageOrientationPatient",
                            "NumberOfFrames", "WindowCenter", "WindowWidth", "ALinePixelSpacing")
# What the pixels need to be read again: the SOP class and the Image Pixel module (PS3.3 C.7.6.3).
PIXEL_KEYWORDS = ("SOPClassUID", "SamplesPerPixel", "PhotometricInterpretation", "Rows", "Columns", "BitsAllocated",
                  "BitsStored", "HighBit", "PixelRepresentation", "PlanarConfiguration", "PixelData")
KEPT_TAGS = frozenset(Tag(tag_for_keyword(k)) for k in DOCUMENTED_KEPT_KEYWORDS + PIXEL_KEYWORDS)


@dataclass(frozen=True)
class SaveCondition:
    """A de-identified file is saved only when every condition holds of the original file's tag value: ``IN``, the
    value is one of those listed; ``NOT_SUBSTR``, the value does not contain the text (a missing tag is empty)."""
    condition_type: str
    dicom_tag: str
    value: str | list[str]

    def holds(self, ds: pydicom.Dataset) -> bool:
        element = ds.get(dicom_tag(self.dicom_tag))
        text = "" if element is None or element.value is None else str(element.value)
        if self.condition_type == "IN":
            return text in self.value
        return self.value not in text


def dicom_tag(name: str) -> Tag:
    """A tag as users write it: its keyword, ``x00100020``, ``00100020`` or ``(0010,0020)``."""
    number = name.strip("()").replace(",", "").removeprefix("x")
    if tag_for_keyword(name) is not None:
        return Tag(tag_for_keyword(name))
    if len(number) == 8 and all(c in "0123456789abcdefABCDEF" for c in number):
        return Tag(int(number, 16))
    raise exc.UnknownDicomTag(name)


def check_pixel_mode(mode: str) -> None:
    """Redacting text burnt into the pixels needs it read (OCR): only REDACT_NO_TEXT is emulated."""
    if mode != "REDACT_NO_TEXT":
        raise exc.PixelTextRedactionNotEmulated(mode)


def granted_location(url: str, integration: dict) -> ObjectLocation:
    """A URL the task may read or write: it parses, and the integration grants its bucket."""
    try:
        location = resolve_object_url(url)
    except UnparseableObjectUrl as e:
        raise exc.UnreadableUrl(str(e)) from None
    if location.bucket not in integration["buckets"]:
        raise exc.BucketNotInIntegration(url, integration["title"], location.bucket)
    return location


def check_upload_dir(upload_dir: str, integration: dict) -> None:
    """The upload directory is a directory URL of a bucket the integration grants."""
    try:
        granted_location(deidentified_url("x/x", upload_dir, 0), integration)
    except (exc.UnreadableUrl, exc.BucketNotInIntegration):
        raise exc.UploadDirOutsideIntegration(upload_dir, integration["title"]) from None


def deidentified_url(url: str, upload_dir: str | None, timestamp: int) -> str:
    """Where a de-identified file goes: the original's directory, or the upload directory, named
    ``deid_<timestamp>_<original name>``."""
    directory, _, name = url.rpartition("/")
    if upload_dir is not None:
        directory = upload_dir.rstrip("/")
    return f"{directory}/deid_{timestamp}_{name}"


def remove_identifying_tags(ds: pydicom.Dataset) -> None:
    """Every tag but the kept ones goes, private tags and sequences included; the file meta stays."""
    for tag in [t for t in ds.keys() if t not in KEPT_TAGS]:
        del ds[tag]


class TaskFailed(Exception):
    pass


def read_dicom(data: bytes, url: str) -> pydicom.Dataset:
    try:
        return pydicom.dcmread(io.BytesIO(data), force=False)
    except (pydicom_errors.InvalidDicomError, EOFError, ValueError):
        raise TaskFailed(f"{url}: the file is not DICOM.") from None


class DeidentificationBackend:
    def __init__(self, store: Store, integrations: IntegrationBackend, buckets: BucketBackend):
        self.store = store
        self.integrations = integrations
        self.buckets = buckets
        self._cond = threading.Condition()
        self._running: dict[str, threading.Thread] = {}

    def start_task(self, user: User, integration_id: str, urls: list[str], redact_dicom_tags: bool,
                   pixel_mode: str, save_conditions: list[SaveCondition], upload_dir: str | None) -> dict:
        """Check what can be checked up front (the integration, the URLs' buckets, write access, the options) and
        start the task once the request commits."""
        integration = self.integrations.integration_for(user, integration_id)
        if not urls:
            raise exc.NoDicomUrls()
        for url in urls:
            granted_location(url, integration)
        if upload_dir is not None:
            check_upload_dir(upload_dir, integration)
        if not integration["write"]:
            raise exc.ReadOnlyIntegration(integration["title"])
        check_pixel_mode(pixel_mode)
        for condition in save_conditions:
            dicom_tag(condition.dicom_tag)
        task = {
            "uuid": str(uuid.uuid4()),
            "owner_email": user.email,
            "integration_id": integration_id,
            "redact_dicom_tags": redact_dicom_tags,
            "save_conditions": [vars(c) for c in save_conditions],
            "upload_dir": upload_dir,
            "timestamp": time.time_ns(),
            "status": PENDING,
            "files": [{"url": url, "saved_url": None} for url in urls],
            "error": None,
            "created_at": timefmt.now_iso(),
            "finished_at": None,
        }
        with self.store.transaction() as tx:
            tx.put(DEIDENTIFICATION_TASKS, task["uuid"], task)
            tx.after_commit(lambda: self._launch(task, integration))
        return task

    def _launch(self, task: dict, integration: dict) -> None:
        thread = threading.Thread(target=self._run, args=(task, integration), daemon=True,
                                  name=f"deidentification-{task['uuid'][:8]}")
        with self._cond:
            self._running[task["uuid"]] = thread
        thread.start()

    def _run(self, task: dict, integration: dict) -> None:
        try:
            for index, url, data in self.deidentify(task, integration):
                location = resolve_object_url(url)
                self.buckets.put_object(location.bucket, location.key, data, "application/dicom")
                task["files"][index]["saved_url"] = url
            task["status"] = DONE
        except (TaskFailed, InvalidArgumentsError) as failure:
            task.update(status=ERROR, error=str(failure))
        except Exception:  # a bug in the emulator: end the task as failed rather than leave pollers hanging
            log.exception("DICOM de-identification task %s crashed", task["uuid"])
            task.update(status=ERROR, error="The emulator failed while processing this task (see its log).")
        finally:
            task["finished_at"] = timefmt.now_iso()
            self.store.put(DEIDENTIFICATION_TASKS, task["uuid"], task)
            with self._cond:
                self._running.pop(task["uuid"], None)
                self._cond.notify_all()
        log.info("DICOM de-identification task %s ended %s", task["uuid"], task["status"])

    def deidentify(self, task: dict, integration: dict) -> list[tuple[int, str, bytes]]:
        """Each file the save conditions keep, de-identified: (its index, the URL it is written to, its bytes).
        All or none: the first file that fails fails the task before anything is written."""
        conditions = [SaveCondition(**c) for c in task["save_conditions"]]
        written = []
        for index, file in enumerate(task["files"]):
            location = granted_location(file["url"], integration)
            try:
                data = self.buckets.get_object(location.bucket, location.key)
            except ObjectNotFound:
                raise TaskFailed(f"{file['url']}: the object does not exist in bucket '{location.bucket}'.") from None
            ds = read_dicom(data, file["url"])
            if not all(c.holds(ds) for c in conditions):
                continue
            if task["redact_dicom_tags"]:
                remove_identifying_tags(ds)
            out = io.BytesIO()
            ds.save_as(out)
            written.append((index, deidentified_url(file["url"], task["upload_dir"], task["timestamp"]),
                            out.getvalue()))
        return written

    def task(self, user: User, task_uuid: str) -> dict:
        task = self.store.get(DEIDENTIFICATION_TASKS, task_uuid)
        if task is None or task["owner_email"] != user.email:
            raise exc.DeidentificationTaskNotFound(task_uuid)
        return task

    def wait(self, user: User, task_uuid: str, timeout_seconds: float) -> dict:
        """Hold the poll until the task ends or the timeout (capped) passes, then return it as it stands."""
        self.task(user, task_uuid)
        with self._cond:
            self._cond.wait_for(lambda: task_uuid not in self._running, min(timeout_seconds, MAX_HOLD_SECONDS))
        return self.task(user, task_uuid)

    def wait_until_ended(self, user: User, task_uuid: str) -> dict:
        """Hold the request until the task ends (releases up to 0.1.151 wait in one request)."""
        with self._cond:
            self._cond.wait_for(lambda: task_uuid not in self._running)
        return self.task(user, task_uuid)

    def resume_interrupted_tasks(self) -> None:
        """Tasks a previous run left PENDING run again (nothing of them was written: writes come at the end)."""
        for task in self.store.find(DEIDENTIFICATION_TASKS, lambda t: t["status"] == PENDING):
            try:
                integration = self.integrations.get_integration(task["integration_id"])
            except IntegrationNotFound:
                task.update(status=ERROR, error=INTEGRATION_GONE_ON_RESUME.format(task["integration_id"]),
                            finished_at=timefmt.now_iso())
                self.store.put(DEIDENTIFICATION_TASKS, task["uuid"], task)
                continue
            self._launch(task, integration)

    def stop(self) -> None:
        """Let every running task end (the emulator is resetting or shutting down)."""
        with self._cond:
            threads = list(self._running.values())
        for thread in threads:
            thread.join()
