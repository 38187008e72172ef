"""DataGym: tokens, projects with their label configuration, datasets, media, tasks and imported labels; and the
rules of the label import (seed 004) and export, as the open-source server applies them."""

from __future__ import annotations

import hashlib
import re
import secrets
import time
import uuid
from typing import Iterator

from emulator.buckets.exceptions import ObjectNotFound
from emulator.buckets.models import BucketBackend
from emulator.core.store import Store
from emulator.datagym import exceptions as exc
from emulator.ingestion import media as media_probe
from emulator.buckets.object_urls import UnparseableObjectUrl, resolve_object_url

TOKENS, PROJECTS, DATASETS, MEDIA = "datagym_token", "datagym_project", "datagym_dataset", "datagym_media"
TASKS, LABELS = "datagym_task", "datagym_labels"
UPLOAD_BUCKET = "datagym-uploads"

GEOMETRY_TYPES = ("point", "line", "polygon", "rectangle")
CLASSIFICATION_TYPES = ("select", "checklist", "freetext")
# The server's LcEntryType, in declaration order: the export sorts label_classes by it.
ENTRY_TYPES = ("point", "line", "polygon", "image_segmentation", "rectangle", "select", "checklist", "freetext")
GEOMETRY_KEYS = ("polygon", "rectangle", "line", "point", "geometry")  # all read, in this order, whatever the type
EXPORTED_STATES = ("COMPLETED", "SKIPPED", "REVIEWED")
TASK_STATES = ("BACKLOG", "WAITING", "IN_PROGRESS", "COMPLETED", "SKIPPED", "REVIEWED", "WAITING_CHANGED")
ENTRY_KEY = re.compile(r"[a-zA-Z0-9_ -]{1,56}")
RESERVED_KEYS = ("internal_media_ID", "external_media_ID", "global_classifications", "labels", "keepData",
                 "labeler", "status", "segmentations")
MAX_CONFIG_DEPTH = 3
MAX_OPTIONS_EXPORTED_AS_RADIO = 3


def now_ms() -> int:
    return int(time.time() * 1000)


# -- the label configuration -------------------------------------------------------------------------------------------

def _entry_field_problems(entries, where: str) -> Iterator[str]:
    if not isinstance(entries, list):
        yield f"{where}: expected a list of entries"
        return
    for i, entry in enumerate(entries):
        at = f"{where}[{i}]"
        if not isinstance(entry, dict):
            yield f"{at}: expected an entry object"
            continue
        key, value, kind = entry.get("entryKey"), entry.get("entryValue"), entry.get("type")
        if not (isinstance(key, str) and ENTRY_KEY.fullmatch(key)):
            yield f"{at}.entryKey {key!r} must be 1-56 letters, digits, '_', '-' or spaces."
        if not (isinstance(value, str) and 1 <= len(value) <= 56):
            yield f"{at}.entryValue {value!r} must be 1-56 characters long."
        if not (isinstance(kind, str) and kind):
            yield f"{at}.type {kind!r} must be a type name."
        yield from _entry_field_problems(entry.get("children") or [], f"{at}.children")


def check_entry_fields(entries: list) -> None:
    """The server binds and validates the whole body before anything else, and answers 400 ex_validation with every
    violation: entry objects with an entryKey (1-56 letters, digits, '_', '-' or spaces), an entryValue (1-56
    characters), a type, and children that are entries too."""
    problems = list(_entry_field_problems(entries, "entries"))
    if problems:
        raise exc.ValidationError(*problems)


def _all_entries(entries: list) -> list[dict]:
    found = []
    for entry in entries:
        found.append(entry)
        found.extend(_all_entries(entry.get("children") or []))
    return found


def check_entry_keys(entries: list) -> None:
    """As the server checks them: root keys are unique, and so is every key within one root's tree (412
    ex_alreadyexists); two roots may have children of the same key, each found through its parent. Reserved words
    are refused (500 ex_gen_forbidden_keyword)."""
    roots = [entry["entryKey"] for entry in entries]
    for i, key in enumerate(roots):
        if key in roots[:i]:
            raise exc.AlreadyExists("Label entry", "entryKey:", key)
    for root in entries:
        seen = set()
        for entry in _all_entries([root]):
            key = entry["entryKey"]
            if key in RESERVED_KEYS:
                raise exc.GenericError("forbidden_keyword", [key], f"The key {key} is reserved and cannot be used.")
            if key in seen:
                raise exc.AlreadyExists("Label entry", "entryKey:", key)
            seen.add(key)


def check_entry_types(entries: list, depth: int = 1) -> None:
    """Types are the server's (matched ignoring case, as it upper-cases them); at most 3 levels."""
    if entries and depth > MAX_CONFIG_DEPTH:
        raise exc.GenericError("config_depth", [], f"A label configuration may nest at most {MAX_CONFIG_DEPTH} levels.")
    for entry in entries:
        if entry["type"].lower() not in ENTRY_TYPES:
            raise exc.EntryTypeNotFound("entry type", f"The type {entry['type']!r} of {entry['entryKey']} does not "
                                                      f"exist; types are {', '.join(ENTRY_TYPES)}.")
        check_entry_types(entry.get("children") or [], depth + 1)


def stored_entries(entries: list) -> list[dict]:
    """Entries as stored: lower-case types, and children always present."""
    return [{**entry, "type": entry["type"].lower(), "children": stored_entries(entry.get("children") or [])}
            for entry in entries]


def exported_classification_type(entry: dict) -> str:
    """Seed 004: option classifications with up to three options are exported as radio, otherwise as select."""
    if entry["type"] == "select" and len(entry.get("options") or {}) <= MAX_OPTIONS_EXPORTED_AS_RADIO:
        return "radio"
    return entry["type"]


def label_classes(entries: list) -> list[dict]:
    ordered = sorted(_all_entries(entries), key=lambda e: ENTRY_TYPES.index(e["type"]))
    return [{"class_name": e["entryKey"], "geometry_type": e["type"]} if e["type"] in GEOMETRY_TYPES
            else {"class_name": e["entryKey"], "classification_type": exported_classification_type(e)}
            for e in ordered]


def child_entries(entry: dict, kinds: tuple) -> list[dict]:
    return [child for child in entry.get("children") or [] if child["type"] in kinds]


# -- import rules ------------------------------------------------------------------------------------------------------

def check_root_entry(key: str, entries_by_key: dict, kinds: tuple) -> dict:
    """Keys of labels and global classifications are root entries of the configuration, of the right kind."""
    entry = entries_by_key.get(key)
    if entry is None or entry["type"] not in kinds:
        raise exc.WrongEntryId(key)
    return entry


def check_child_entry(key: str, parent: dict, kinds: tuple) -> dict:
    entry = next((c for c in child_entries(parent, kinds) if c["entryKey"] == key), None)
    if entry is None:
        raise exc.WrongEntryId(key)
    return entry


def select_answer(strings: list[str], entry: dict, current: list) -> list:
    """A select takes exactly one string, else keeps its answer; an option it does not have is stored as null."""
    if len(strings) != 1:
        return current
    return strings if strings[0] in (entry.get("options") or {}) else []


def freetext_answer(strings: list[str], entry: dict, current: list) -> list:
    """A freetext takes exactly one string (one over maxLength is only invalid), else keeps its answer."""
    return strings if len(strings) == 1 else current


def checklist_answer(strings: list[str], entry: dict, current: list) -> list:
    """A checklist takes one string or more, options it does not have included, else keeps its answers."""
    return strings if strings else current


ANSWERS = {"select": select_answer, "freetext": freetext_answer, "checklist": checklist_answer}


def classification_value(items: list, entry: dict, current: dict | None) -> dict:
    """A classification array applied to the entry's value: [answer…, {child: […]}…]. Its strings are the answer
    if the entry's type takes them (nulls are skipped); the first key of each object (only the first, as the server
    reads it) must be a child of the entry, whose value the array under it updates."""
    value = current or {"values": [], "children": {}}
    value["values"] = ANSWERS[entry["type"]]([item for item in items if isinstance(item, str)], entry, value["values"])
    for item in items:
        if isinstance(item, dict) and item:
            child_key = next(iter(item))
            child = check_child_entry(child_key, entry, CLASSIFICATION_TYPES)
            value["children"][child_key] = classification_value(item[child_key], child,
                                                                value["children"].get(child_key))
    return value


def rectangle_value(points: list[dict], entry: dict) -> dict:
    """Each point sets the fields it has, so a rectangle read from {x, y} points keeps a null w and h; fields other
    than x, y, w and h are refused."""
    value = dict.fromkeys("xywh")
    for point in points:
        for field, coordinate in point.items():
            if field not in value:
                raise exc.EntryTypeNotFound("RECTANGLE", f"A rectangle of {entry['entryKey']} has x, y, w and h, "
                                                         f"not {field}.")
            value[field] = float(coordinate)  # digit strings are numbers too
    return value


def read_point(point: dict, type_name: str) -> dict:
    """A point of a polygon, line or point: x and y only (w and h, from a rectangle, are refused)."""
    if set(point) - {"x", "y"}:
        raise exc.EntryValueInvalid(type_name)
    return {axis: float(point[axis]) if axis in point else None for axis in "xy"}


def point_value(points: list[dict], entry: dict) -> dict:
    """A point is the last point read (none leaves it null)."""
    value = {"x": None, "y": None}
    for point in points:
        value = read_point(point, "POINT")
    return value


def polyline_value(points: list[dict], entry: dict) -> list[dict]:
    """A polygon or a line is every point read (too few only make it invalid)."""
    return [read_point(point, entry["type"].upper()) for point in points]


def image_segmentation_value(points: list[dict], entry: dict) -> list:
    """An image segmentation takes no points: geometry keys on it are refused (its own key is ignored)."""
    if points:
        raise exc.EntryTypeNotFound("IMAGE_SEGMENTATION", f"{entry['entryKey']} is an image segmentation, which "
                                                          "cannot be imported; its labels take no geometry keys.")
    return []


GEOMETRIES = {"rectangle": rectangle_value, "point": point_value, "polygon": polyline_value,
              "line": polyline_value, "image_segmentation": image_segmentation_value}


def geometry_value(label: dict, entry: dict, nested: bool) -> dict:
    """A label creates a value of its entry's type from every geometry key, whatever the key: the type decides what
    the points become, and a key that does not fit it only gives an invalid value. Classifications must be children of
    the entry; nested_geometries, child geometries of a root label (deeper ones are ignored, as the server does)."""
    points = [point for key in GEOMETRY_KEYS for point in label.get(key, [])]
    value = {"geometry": GEOMETRIES[entry["type"]](points, entry), "classifications": {}}
    for key, items in (label.get("classifications") or {}).items():
        child = check_child_entry(key, entry, CLASSIFICATION_TYPES)
        value["classifications"][key] = classification_value(items, child, None)
    if not nested:
        value["nested_geometries"] = {}
        nested_labels = label.get("nested_geometries")  # untyped in the schema: the server reads an object's keys only
        for key, labels in (nested_labels if isinstance(nested_labels, dict) else {}).items():
            child = check_child_entry(key, entry, GEOMETRY_TYPES)
            value["nested_geometries"][key] = [geometry_value(n, child, nested=True) for n in labels]
    return value


# -- the export --------------------------------------------------------------------------------------------------------

def exported_coordinates(value: dict, fields: str) -> dict:
    """A point's x and y, or a rectangle's x, y, w and h: truncated to integers, and all null if one is null or
    negative."""
    if any(value[field] is None or value[field] < 0 for field in fields):
        return dict.fromkeys(fields)
    return {field: int(value[field]) for field in fields}


def exported_geometry(kind: str, geometry) -> list:
    if kind == "rectangle":
        return [exported_coordinates(geometry, "xywh")]
    if kind == "point":
        return [exported_coordinates(geometry, "xy")]
    return [exported_coordinates(point, "xy") for point in geometry]  # an imported image segmentation has no points


def exported_classification(entry: dict, value: dict | None) -> list:
    """[answer…] ([null] when unanswered), then {child: […]} for every classification child of the entry."""
    value = value or {"values": [], "children": {}}
    return (value["values"] or [None]) + [{child["entryKey"]: exported_classification(child, value["children"].get(
        child["entryKey"]))} for child in child_entries(entry, CLASSIFICATION_TYPES)]


def exported_label(entry: dict, value: dict) -> dict:
    """The geometry under its type's key, every classification of the entry, and (on root labels) nested
    geometries."""
    exported = {entry["type"]: exported_geometry(entry["type"], value["geometry"]),
                "classifications": {child["entryKey"]: exported_classification(
                    child, value["classifications"].get(child["entryKey"]))
                    for child in child_entries(entry, CLASSIFICATION_TYPES)}}
    if "nested_geometries" in value:
        exported["nested_geometries"] = {
            key: [exported_label(check_child_entry(key, entry, GEOMETRY_TYPES), n) for n in nested]
            for key, nested in value["nested_geometries"].items()}
    return exported


def token_id(token: str) -> str:
    """What names a token and its owner in the store and on the wire: its SHA-256, from which the token cannot be
    had back."""
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


class DataGymBackend:
    def __init__(self, store: Store, buckets: BucketBackend):
        self.store = store
        self.buckets = buckets
        store.index(MEDIA, "dataset_id")

    # -- tokens -----------------------------------------------------------------------------------------------------

    def create_token(self, name: str) -> str:
        """A new API token, handed out once: the store keeps its digest only, so a state export holds no token
        that works against the API."""
        token = secrets.token_hex(16)
        self.store.put(TOKENS, token_id(token), {"token_id": token_id(token), "name": name, "created": now_ms()})
        return token

    def authenticate(self, token: str | None) -> dict:
        if not token:
            raise exc.Unauthorized()
        doc = self.store.get(TOKENS, token_id(token))
        if doc is None:
            raise exc.Forbidden()
        return doc

    # -- projects, datasets, media --------------------------------------------------------------------------------------

    def create_project(self, name: str, token: str, media_type: str, entries: list, dataset_ids: list) -> dict:
        owner = self.authenticate(token)
        check_entry_fields(entries)
        check_entry_keys(entries)
        check_entry_types(entries)
        with self.store.transaction() as tx:
            for dataset_id in dataset_ids:
                self.dataset(owner, dataset_id)
            project = {"id": str(uuid.uuid4()), "name": name, "shortDescription": None, "description": None,
                       "timestamp": now_ms(), "owner": owner["token_id"], "mediaType": media_type,
                       "labelConfigurationId": str(uuid.uuid4()), "labelIterationId": str(uuid.uuid4()),
                       "datasets": list(dataset_ids), "entries": stored_entries(entries)}
            tx.put(PROJECTS, project["id"], project)
        return project

    def projects(self, owner: dict) -> list[dict]:
        return sorted(self.store.find(PROJECTS, lambda p: p["owner"] == owner["token_id"]), key=lambda p: p["timestamp"])

    def project(self, owner: dict, project_id: str) -> dict:
        project = self.store.get(PROJECTS, project_id)
        if project is None:
            raise exc.NotFound("Project", "id", project_id)
        if project["owner"] != owner["token_id"]:
            raise exc.Forbidden()
        return project

    def datasets(self, owner: dict) -> list[dict]:
        return sorted(self.store.find(DATASETS, lambda d: d["owner"] == owner["token_id"]), key=lambda d: d["timestamp"])

    def dataset(self, owner: dict, dataset_id: str) -> dict:
        dataset = self.store.get(DATASETS, dataset_id)
        if dataset is None:
            raise exc.NotFound("Dataset", "id", dataset_id)
        if dataset["owner"] != owner["token_id"]:
            raise exc.Forbidden()
        return dataset

    def create_dataset(self, owner: dict, name: str, short_description: str | None) -> dict:
        with self.store.transaction() as tx:
            if any(d["name"] == name for d in self.datasets(owner)):
                raise exc.AlreadyExists("Dataset", "name", name)
            dataset = {"id": str(uuid.uuid4()), "name": name, "shortDescription": short_description,
                       "timestamp": now_ms(), "owner": owner["token_id"], "mediaType": "IMAGE"}
            tx.put(DATASETS, dataset["id"], dataset)
        return dataset

    def media_of(self, dataset_id: str) -> list[dict]:
        return sorted(self.store.find_by(MEDIA, "dataset_id", [dataset_id], lambda m: not m["deleted"]),
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
        """Every entry is checked, in the server's order, before anything is written: the fields, that the
        configuration was cleared, the keys, then the types and depth."""
        check_entry_fields(entries)
        with self.store.transaction() as tx:
            project = self._project_of_config(owner, config_id)
            if project["entries"]:
                raise exc.GenericError("config_not_cleared", [config_id],
                                       f"The label configuration {config_id} must be cleared before it is replaced.")
            check_entry_keys(entries)
            check_entry_types(entries)
            project["entries"] = stored_entries(entries)
            tx.put(PROJECTS, project["id"], project)
        return {"id": config_id, "entries": project["entries"]}

    # -- import and export ------------------------------------------------------------------------------------------

    def import_labels(self, owner: dict, project_id: str, items: list) -> None:
        """Apply a schema-valid import: all of it, or (on the first semantic error) none of it. Global classification
        values persist per task and are updated; each label is a new value."""
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
                    stored["global_classifications"][class_key] = classification_value(
                        values, entry, stored["global_classifications"].get(class_key))
                for class_key, labels in (item.get("labels") or {}).items():
                    entry = check_root_entry(class_key, roots, GEOMETRY_TYPES + ("image_segmentation",))
                    stored["labels"].setdefault(class_key, []).extend(geometry_value(label, entry, nested=False)
                                                                      for label in labels)
                tx.put(LABELS, key, stored)

    def export(self, owner: dict, project_id: str) -> list:
        """label_classes, then one element per completed, skipped or reviewed task; [] when no task is."""
        project = self.project(owner, project_id)
        roots = {e["entryKey"]: e for e in project["entries"]}
        exported = []
        for media in self.task_media(project):
            state = self.task_state(project_id, media["id"])
            if state not in EXPORTED_STATES:
                continue
            stored = self.store.get(LABELS, f"{project_id}:{media['id']}") or {"global_classifications": {},
                                                                                 "labels": {}}
            classifications = {e["entryKey"]: exported_classification(e, stored["global_classifications"].get(
                e["entryKey"])) for e in project["entries"] if e["type"] in CLASSIFICATION_TYPES}
            labels = {key: [exported_label(roots[key], value) for value in values]
                      for key, values in stored["labels"].items()}
            exported.append({"internal_media_ID": media["id"], "external_media_ID": media["mediaName"],
                             "labeler": None, "status": state.lower(), "global_classifications": classifications,
                             "labels": labels})
        return [{"label_classes": label_classes(project["entries"])}, *exported] if exported else []
