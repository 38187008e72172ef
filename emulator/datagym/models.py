"""DataGym: tokens, projects with their label configuration, datasets, media, tasks and imported labels; and the
rules of the label import (seed 004) and export, as the open-source server applies them."""

from __future__ import annotations

import re
import secrets
import time
import uuid

from emulator.buckets.exceptions import ObjectNotFound
from emulator.buckets.models import BucketBackend
from emulator.core import contracts
from emulator.core.store import Store
from emulator.datagym import exceptions as exc
from emulator.ingestion import media as media_probe
from emulator.ingestion.object_urls import UnparseableObjectUrl, resolve_object_url

TOKENS, PROJECTS, DATASETS, MEDIA = "datagym_token", "datagym_project", "datagym_dataset", "datagym_media"
TASKS, LABELS = "datagym_task", "datagym_labels"
UPLOAD_BUCKET = "datagym-uploads"

GEOMETRY_TYPES = ("point", "line", "polygon", "rectangle")
CLASSIFICATION_TYPES = ("select", "checklist", "freetext")
EXPORT_TYPE_ORDER = ("point", "line", "polygon", "image_segmentation", "rectangle", "select", "checklist", "freetext")
EXPORTED_STATES = ("COMPLETED", "SKIPPED", "REVIEWED")
TASK_STATES = ("BACKLOG", "WAITING", "IN_PROGRESS", "COMPLETED", "SKIPPED", "REVIEWED", "WAITING_CHANGED")
ENTRY_KEY = re.compile(r"^[a-zA-Z0-9_ -]{1,56}$")
RESERVED_KEYS = ("internal_media_ID", "external_media_ID", "global_classifications", "labels", "keepData",
                 "labeler", "status", "segmentations")
MAX_CONFIG_DEPTH = 3
MAX_OPTIONS_EXPORTED_AS_RADIO = 3


def now_ms() -> int:
    return int(time.time() * 1000)


# -- the label configuration -------------------------------------------------------------------------------------------

def check_label_config(entries: list, depth: int = 1) -> None:
    """Keys of letters, digits, '_', '-' and spaces (1-56), values 1-56 long, at most 3 levels, no reserved words."""
    if entries and depth > MAX_CONFIG_DEPTH:
        raise exc.GenericError("config_depth", [], f"A label configuration may nest at most {MAX_CONFIG_DEPTH} levels.")
    for entry in entries:
        key = entry.get("entryKey") or ""
        if key in RESERVED_KEYS:
            raise exc.GenericError("forbidden_keyword", [key], f"The key {key} is reserved and cannot be used.")
        if not ENTRY_KEY.match(key):
            raise exc.ValidationError(f"entryKey {key!r} must be 1-56 letters, digits, '_', '-' or spaces.")
        if not 1 <= len(entry.get("entryValue") or "") <= 56:
            raise exc.ValidationError(f"entryValue of {key!r} must be 1-56 characters long.")
        check_label_config(entry.get("children") or [], depth + 1)


def exported_classification_type(entry: dict) -> str:
    """Seed 004: option classifications with up to three options are exported as radio, otherwise as select."""
    if entry["type"] == "select" and len(entry.get("options") or {}) <= MAX_OPTIONS_EXPORTED_AS_RADIO:
        return "radio"
    return entry["type"]


def _all_entries(entries: list) -> list[dict]:
    found = []
    for entry in entries:
        found.append(entry)
        found.extend(_all_entries(entry.get("children") or []))
    return found


def label_classes(entries: list) -> list[dict]:
    ordered = sorted(_all_entries(entries), key=lambda e: EXPORT_TYPE_ORDER.index(e["type"]))
    return [{"class_name": e["entryKey"], "geometry_type": e["type"]} if e["type"] in GEOMETRY_TYPES
            else {"class_name": e["entryKey"], "classification_type": exported_classification_type(e)}
            for e in ordered]


# -- import rules ------------------------------------------------------------------------------------------------------

def schema_error_messages(items) -> str:
    """The seed's draft-07 schema decides validity; every violation is listed by JSON pointer ('' when valid)."""
    found = contracts.violations("datagym-import", items)
    if not found:
        return ""
    lines = [f"Schema validation failed with {len(found)} error(s)", ""]
    for violation in found:
        pointer, _, message = violation.partition(": ")
        lines += [f"<#{pointer if pointer != '/' else ''}>", message, ""]
    return "\n".join(lines)


def check_root_entry(key: str, entries_by_key: dict, kinds: tuple) -> dict:
    """Keys of labels and global classifications are root entries of the configuration, of the right kind."""
    entry = entries_by_key.get(key)
    if entry is None or entry["type"] not in kinds:
        raise exc.WrongEntryId(key)
    return entry


def check_child_entry(key: str, parent: dict, kinds: tuple) -> dict:
    entry = next((c for c in parent.get("children") or [] if c["entryKey"] == key), None)
    if entry is None or entry["type"] not in kinds:
        raise exc.WrongEntryId(key)
    return entry


def classification_value(values: list, entry: dict) -> list:
    """A classification array: [value] (select, freetext), [v1, v2…] (checklist), [value, {child: […]}] (nested).
    Nested keys must be children of the entry; only the first key of a child object is read (as the server does)."""
    result = []
    for item in values:
        if isinstance(item, dict):
            if item:
                child_key = next(iter(item))
                child = check_child_entry(child_key, entry, CLASSIFICATION_TYPES)
                result.append({child_key: classification_value(item[child_key], child)})
        else:
            result.append(item)
    return result


def geometry_value(label: dict, entry: dict) -> dict:
    """The configuration's type decides which geometry is read; deprecated ``geometry`` is read the same way."""
    points = label.get(entry["type"]) or label.get("geometry") or []
    value = {entry["type"]: points, "classifications": {}, "nested_geometries": {}}
    for key, values in (label.get("classifications") or {}).items():
        value["classifications"][key] = classification_value(values, check_child_entry(key, entry, CLASSIFICATION_TYPES))
    for key, nested in (label.get("nested_geometries") or {}).items():
        child = check_child_entry(key, entry, GEOMETRY_TYPES)
        value["nested_geometries"][key] = [
            {child["type"]: n.get(child["type"]) or n.get("geometry") or [],
             "classifications": {k: classification_value(v, check_child_entry(k, child, CLASSIFICATION_TYPES))
                                 for k, v in (n.get("classifications") or {}).items()}}
            for n in nested]
    return value


def _int(value):
    """Exported coordinates are truncated to integers; digit strings are numbers too."""
    return int(float(value)) if value is not None else None


def exported_points(points: list) -> list:
    return [{k: _int(v) for k, v in point.items()} for point in points]


class DataGymBackend:
    def __init__(self, store: Store, buckets: BucketBackend):
        self.store = store
        self.buckets = buckets

    # -- tokens -----------------------------------------------------------------------------------------------------

    def create_token(self, name: str) -> str:
        token = secrets.token_hex(16)
        self.store.put(TOKENS, token, {"token": token, "name": name, "created": now_ms()})
        return token

    def authenticate(self, token: str | None) -> dict:
        if not token:
            raise exc.Unauthorized()
        doc = self.store.get(TOKENS, token)
        if doc is None:
            raise exc.Forbidden()
        return doc

    # -- projects, datasets, media --------------------------------------------------------------------------------------

    def create_project(self, name: str, token: str, media_type: str, entries: list, dataset_ids: list) -> dict:
        owner = self.authenticate(token)
        check_label_config(entries)
        with self.store.transaction() as tx:
            for dataset_id in dataset_ids:
                self.dataset(owner, dataset_id)
            project = {"id": str(uuid.uuid4()), "name": name, "shortDescription": None, "description": None,
                       "timestamp": now_ms(), "owner": owner["token"], "mediaType": media_type,
                       "labelConfigurationId": str(uuid.uuid4()), "labelIterationId": str(uuid.uuid4()),
                       "datasets": list(dataset_ids), "entries": entries}
            tx.put(PROJECTS, project["id"], project)
        return project

    def projects(self, owner: dict) -> list[dict]:
        return sorted(self.store.find(PROJECTS, lambda p: p["owner"] == owner["token"]), key=lambda p: p["timestamp"])

    def project(self, owner: dict, project_id: str) -> dict:
        project = self.store.get(PROJECTS, project_id)
        if project is None:
            raise exc.NotFound("Project", "id", project_id)
        if project["owner"] != owner["token"]:
            raise exc.Forbidden()
        return project

    def datasets(self, owner: dict) -> list[dict]:
        return sorted(self.store.find(DATASETS, lambda d: d["owner"] == owner["token"]), key=lambda d: d["timestamp"])

    def dataset(self, owner: dict, dataset_id: str) -> dict:
        dataset = self.store.get(DATASETS, dataset_id)
        if dataset is None:
            raise exc.NotFound("Dataset", "id", dataset_id)
        if dataset["owner"] != owner["token"]:
            raise exc.Forbidden()
        return dataset

    def create_dataset(self, owner: dict, name: str, short_description: str | None) -> dict:
        with self.store.transaction() as tx:
            if any(d["name"] == name for d in self.datasets(owner)):
                raise exc.AlreadyExists("Dataset", "name", name)
            dataset = {"id": str(uuid.uuid4()), "name": name, "shortDescription": short_description,
                       "timestamp": now_ms(), "owner": owner["token"], "mediaType": "IMAGE"}
            tx.put(DATASETS, dataset["id"], dataset)
        return dataset

    def media_of(self, dataset_id: str) -> list[dict]:
        return sorted(self.store.find(MEDIA, lambda m: m["dataset_id"] == dataset_id and not m["deleted"]),
                      key=lambda m: (m["timestamp"], m["mediaName"]))

    def add_dataset(self, owner: dict, project_id: str, dataset_id: str) -> None:
        with self.store.transaction() as tx:
            project = self.project(owner, project_id)
            dataset = self.dataset(owner, dataset_id)
            if dataset_id in project["datasets"]:
                raise exc.AlreadyContains(project["name"], dataset["name"])
            project["datasets"].append(dataset_id)
            tx.put(PROJECTS, project_id, project)

    def remove_dataset(self, owner: dict, project_id: str, dataset_id: str) -> None:
        with self.store.transaction() as tx:
            project = self.project(owner, project_id)
            self.dataset(owner, dataset_id)
            project["datasets"] = [d for d in project["datasets"] if d != dataset_id]
            tx.put(PROJECTS, project_id, project)

    def _new_media(self, dataset_id: str, name: str, source: str, **where) -> dict:
        media = {"id": str(uuid.uuid4()), "dataset_id": dataset_id, "mediaName": name, "mediaSourceType": source,
                 "timestamp": now_ms(), "deleted": False, **where}
        self.store.put(MEDIA, media["id"], media)
        return media

    def media_from_urls(self, owner: dict, dataset_id: str, urls: list[str]) -> list[dict]:
        """Each URL's object is read from the buckets and checked with Pillow, as the server fetches and checks it."""
        results = []
        with self.store.transaction():
            self.dataset(owner, dataset_id)
            existing = {m.get("url") for m in self.media_of(dataset_id)}
            for url in dict.fromkeys(urls):  # the server binds the body as a set
                status, media_id = self._media_from_url(dataset_id, url, existing)
                results.append({"internal_media_ID": media_id, "external_media_ID": url.rsplit("/", 1)[-1],
                                "imageUrl": url, "mediaUploadStatus": status})
        return results

    def _media_from_url(self, dataset_id: str, url: str, existing: set) -> tuple[str, str | None]:
        if url in existing:
            return "DUPLICATE", None
        try:
            location = resolve_object_url(url)
            data = self.buckets.get_object(location.bucket, location.key)
        except (UnparseableObjectUrl, ObjectNotFound):
            return "FAILED", None
        try:
            media_probe.probe_image(data)
        except media_probe.MediaError:
            return "UNSUPPORTED_MIME_TYPE", None
        media = self._new_media(dataset_id, url.rsplit("/", 1)[-1], "SHAREABLE_LINK", url=url,
                                bucket=location.bucket, key=location.key)
        return "SUCCESS", media["id"]

    def upload_media(self, owner: dict, dataset_id: str, name: str | None, data: bytes) -> dict:
        self.dataset(owner, dataset_id)
        if not name:
            raise exc.ValidationError("Header: X-filename", detail_key="ex_val_empty")
        try:
            media_probe.probe_image(data)
        except media_probe.MediaError as e:
            raise exc.ValidationError(f"{name}: {e}") from None
        media_id = str(uuid.uuid4())
        self.buckets.put_object(UPLOAD_BUCKET, media_id, data)
        media = self._new_media(dataset_id, name, "LOCAL", bucket=UPLOAD_BUCKET, key=media_id)
        return media

    def media(self, owner: dict, media_id: str) -> dict:
        media = self.store.get(MEDIA, media_id)
        if media is None or media["deleted"]:
            raise exc.NotFound("Media", "id", media_id)
        self.dataset(owner, media["dataset_id"])
        return media

    def media_bytes(self, owner: dict, media_id: str) -> bytes:
        media = self.media(owner, media_id)
        return self.buckets.get_object(media["bucket"], media["key"])

    def delete_media(self, owner: dict, media_id: str) -> None:
        with self.store.transaction() as tx:
            media = self.media(owner, media_id)
            media["deleted"] = True
            tx.put(MEDIA, media_id, media)

    # -- tasks ------------------------------------------------------------------------------------------------------

    def task_media(self, project: dict) -> list[dict]:
        """A project has a task for each media of each of its datasets."""
        return [m for dataset_id in project["datasets"] for m in self.media_of(dataset_id)]

    def task_state(self, project_id: str, media_id: str) -> str:
        task = self.store.get(TASKS, f"{project_id}:{media_id}")
        return task["state"] if task else "WAITING"

    def set_task_state(self, project_id: str, media_id: str, state: str) -> dict:
        if state not in TASK_STATES:
            raise exc.ValidationError(f"state: expected one of {', '.join(TASK_STATES)}")
        project = self.store.get(PROJECTS, project_id)
        if project is None:
            raise exc.NotFound("Project", "id", project_id)
        if media_id not in {m["id"] for m in self.task_media(project)}:
            raise exc.NotFound("Task", "media", media_id)
        self.store.put(TASKS, f"{project_id}:{media_id}", {"state": state})
        return {"project": project_id, "media": media_id, "state": state}

    # -- label configuration ----------------------------------------------------------------------------------------

    def _project_of_config(self, owner: dict, config_id: str) -> dict:
        found = self.store.find(PROJECTS, lambda p: p["labelConfigurationId"] == config_id)
        if not found:
            raise exc.NotFound("LabelConfiguration", "id", config_id)
        return self.project(owner, found[0]["id"])

    def clear_label_config(self, owner: dict, config_id: str) -> dict:
        """Deleting the entries deletes their label values; completed and reviewed tasks wait for changes."""
        with self.store.transaction() as tx:
            project = self._project_of_config(owner, config_id)
            project["entries"] = []
            tx.put(PROJECTS, project["id"], project)
            for media in self.task_media(project):
                tx.delete(LABELS, f"{project['id']}:{media['id']}")
                if self.task_state(project["id"], media["id"]) in ("COMPLETED", "REVIEWED"):
                    tx.put(TASKS, f"{project['id']}:{media['id']}", {"state": "WAITING_CHANGED"})
        return {"configId": config_id}

    def set_label_config(self, owner: dict, config_id: str, entries: list) -> dict:
        with self.store.transaction() as tx:
            project = self._project_of_config(owner, config_id)
            if project["entries"]:
                raise exc.GenericError("config_not_cleared", [config_id],
                                       f"The label configuration {config_id} must be cleared before it is replaced.")
            check_label_config(entries)
            project["entries"] = entries
            tx.put(PROJECTS, project["id"], project)
        return {"id": config_id, "entries": entries}

    # -- import and export ------------------------------------------------------------------------------------------

    def import_labels(self, owner: dict, project_id: str, items: list) -> None:
        """Apply a schema-valid import: all of it, or (on the first semantic error) none of it."""
        with self.store.transaction() as tx:
            project = self.project(owner, project_id)
            tasks = {m["id"] for m in self.task_media(project)}
            roots = {e["entryKey"]: e for e in project["entries"]}
            for item in items:
                media_id = item.get("internal_media_ID")
                if media_id is None:
                    continue  # e.g. the export's label_classes element
                if media_id not in tasks:
                    raise exc.TaskNotFound()
                key = f"{project_id}:{media_id}"
                stored = tx.get(LABELS, key) if item.get("keepData", True) is not False else None
                stored = stored or {"global_classifications": {}, "labels": {}}
                for class_key, values in (item.get("global_classifications") or {}).items():
                    entry = check_root_entry(class_key, roots, CLASSIFICATION_TYPES)
                    stored["global_classifications"][class_key] = classification_value(values, entry)
                for class_key, labels in (item.get("labels") or {}).items():
                    entry = check_root_entry(class_key, roots, GEOMETRY_TYPES + ("image_segmentation",))
                    if entry["type"] == "image_segmentation":
                        raise exc.ImageSegmentationImport(class_key)
                    stored["labels"].setdefault(class_key, []).extend(geometry_value(label, entry)
                                                                      for label in labels)
                tx.put(LABELS, key, stored)

    def export(self, owner: dict, project_id: str) -> list:
        project = self.project(owner, project_id)
        exported = [{"label_classes": label_classes(project["entries"])}]
        for media in self.task_media(project):
            state = self.task_state(project_id, media["id"])
            if state not in EXPORTED_STATES:
                continue
            stored = self.store.get(LABELS, f"{project_id}:{media['id']}") or {"global_classifications": {},
                                                                                 "labels": {}}
            classifications = {e["entryKey"]: stored["global_classifications"].get(e["entryKey"], [None])
                               for e in project["entries"] if e["type"] in CLASSIFICATION_TYPES}
            labels = {key: [{**{geometry: exported_points(points) for geometry, points in value.items()
                                if geometry not in ("classifications", "nested_geometries")},
                             "classifications": value["classifications"],
                             "nested_geometries": {k: [{**{g: exported_points(p) for g, p in n.items()
                                                           if g != "classifications"},
                                                        "classifications": n["classifications"]} for n in nested]
                                                   for k, nested in value["nested_geometries"].items()}}
                            for value in values]
                      for key, values in stored["labels"].items()}
            exported.append({"internal_media_ID": media["id"], "external_media_ID": media["mediaName"],
                             "labeler": None, "status": state.lower(), "global_classifications": classifications,
                             "labels": labels})
        return exported
