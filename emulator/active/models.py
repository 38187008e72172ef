"""Active: collections of a project's frames (FRAME) or labels (LABEL), and the project's filter presets. Data units
and labels are the project's and labels backends': this backend keeps only what names them."""

from __future__ import annotations

import uuid

from emulator.active import exceptions as exc
from emulator.auth.models import User
from emulator.core import timefmt
from emulator.core.store import Store
from emulator.index.models import client_metadata_filter
from emulator.labels.exceptions import DataUnitNotInProject
from emulator.labels.models import LabelBackend, frame_count
from emulator.projects.models import ProjectBackend

COLLECTIONS = "active_collection"
PRESETS = "active_filter_preset"
IMPORTS = "active_import"

EXPLORER_ADMINISTRATION = "import it into Active or sync it"

FRAME, LABEL = "FRAME", "LABEL"


def item_key(item: dict) -> tuple:
    """What names a collection item: a frame of a data unit, and in a label collection the annotation on it."""
    return item["data_hash"], item["frame"], item.get("annotation_id")


class ActiveBackend:
    def __init__(self, store: Store, projects: ProjectBackend, labels: LabelBackend):
        self.store = store
        self.projects = projects
        self.labels = labels

    # -- collections ----------------------------------------------------------------------------------------------------

    def create_collection(self, user: User, project_hash: str, name: str, description: str,
                          collection_type: str) -> dict:
        """A collection of a project the user is a member of."""
        self.projects.get_project(user, project_hash)
        now = timefmt.now_iso()
        collection = {"uuid": str(uuid.uuid4()), "project_hash": project_hash, "name": name,
                      "description": description, "collection_type": collection_type, "created_at": now,
                      "last_edited_at": now, "items": []}
        self.store.put(COLLECTIONS, collection["uuid"], collection)
        return collection

    def collection(self, user: User, project_hash: str, collection_uuid: str) -> dict:
        self.projects.get_project(user, project_hash)
        collection = self.store.get(COLLECTIONS, collection_uuid)
        if collection is None or collection["project_hash"] != project_hash:
            raise exc.ProjectCollectionNotFound(project_hash, collection_uuid)
        return collection

    def collections(self, user: User, project_hash: str, collection_uuids: list[str]) -> list[dict]:
        """The project's collections, only those asked when uuids are given; oldest first."""
        self.projects.get_project(user, project_hash)
        found = self.store.find(COLLECTIONS, lambda c: c["project_hash"] == project_hash
                                and (not collection_uuids or c["uuid"] in collection_uuids))
        return sorted(found, key=lambda c: (c["created_at"], c["uuid"]))

    def update_collection(self, user: User, project_hash: str, collection_uuid: str, changes: dict) -> None:
        """A collection's name and description, each changed only when given."""
        collection = self.collection(user, project_hash, collection_uuid)
        collection.update(changes, last_edited_at=timefmt.now_iso())
        self.store.put(COLLECTIONS, collection_uuid, collection)

    def delete_collection(self, user: User, project_hash: str, collection_uuid: str) -> None:
        self.collection(user, project_hash, collection_uuid)
        self.store.delete(COLLECTIONS, collection_uuid)

    def add_items(self, user: User, project_hash: str, collection_uuid: str, items: list[dict]) -> list[dict]:
        """Add frames (a frame collection) or annotations on frames (a label collection) of the project's data
        units; an item of the other kind, of a data unit not in the project, of a frame the unit does not have, or
        of an annotation not on that frame of its main-branch labels fails and is answered back."""
        collection = self.collection(user, project_hash, collection_uuid)
        project = self.projects.get_project(user, project_hash)
        failed = [item for item in items if not self._collectable(project, collection, item)]
        self._hold(collection, [i for i in items if i not in failed])
        return failed

    def remove_items(self, user: User, project_hash: str, collection_uuid: str, items: list[dict]) -> list[dict]:
        """Remove items from the collection; those not in it fail and are answered back."""
        collection = self.collection(user, project_hash, collection_uuid)
        held = {item_key(i) for i in collection["items"]}
        failed = [item for item in items if item_key(item) not in held]
        self._drop(collection, {item_key(item) for item in items})
        return failed

    def add_preset_items(self, user: User, project_hash: str, collection_uuid: str, preset_uuid: str) -> None:
        """Add what the project's filter preset matches (see ``preset_items``), at once where the service runs a
        job; what the collection holds already stays in it once."""
        collection = self.collection(user, project_hash, collection_uuid)
        self._hold(collection, self.preset_items(user, project_hash, collection, preset_uuid))

    def remove_preset_items(self, user: User, project_hash: str, collection_uuid: str, preset_uuid: str) -> None:
        """Remove the collection's items of the data units the project's filter preset matches."""
        collection = self.collection(user, project_hash, collection_uuid)
        self._drop(collection, {item_key(i) for i in self.preset_items(user, project_hash, collection, preset_uuid)})

    def preset_items(self, user: User, project_hash: str, collection: dict, preset_uuid: str) -> list[dict]:
        """What a preset's filters (client metadata filters: see ``client_metadata_filter``) match in a project:
        they filter data units, whose metadata it is, so a frame collection's match is every frame of a matching
        unit and a label collection's every annotation on its main-branch labels."""
        definition = self.preset(user, project_hash, preset_uuid)["filter_preset"]
        matches = client_metadata_filter(definition["globalFilters"], definition["localFilters"])
        project = self.projects.get_project(user, project_hash)
        found = []
        for row in self.labels.data_rows(project):
            if not matches(row.get("client_metadata")):
                continue
            if collection["collection_type"] == FRAME:
                found += [{"data_hash": row["data_hash"], "frame": frame} for frame in range(frame_count(row))]
            else:
                found += [{"data_hash": row["data_hash"], "frame": frame, "annotation_id": annotation_id}
                          for frame, annotation_id in sorted(self.labels.annotations(project, row))]
        return found

    def collection_items(self, user: User, project_hash: str, collection_uuid: str,
                         labels: bool) -> list[tuple[str, list[dict]]]:
        """The collection's items by data unit (in the order the units were first added): its frames, or (a label
        collection, when labels are asked) its annotations; a unit since gone from the project is left out."""
        collection = self.collection(user, project_hash, collection_uuid)
        if labels and collection["collection_type"] == FRAME:
            raise exc.LabelsOfAFrameCollection(collection_uuid)
        project = self.projects.get_project(user, project_hash)
        by_unit: dict[str, list[dict]] = {}
        for item in collection["items"]:
            instance = {"frame": item["frame"], **({"annotation_id": item["annotation_id"]} if labels else {})}
            if instance not in by_unit.setdefault(item["data_hash"], []):
                by_unit[item["data_hash"]].append(instance)
        in_project = {row["data_hash"] for row in self.labels.data_rows(project)}
        return [(data_hash, instances) for data_hash, instances in by_unit.items() if data_hash in in_project]

    def _hold(self, collection: dict, items: list[dict]) -> None:
        """The collection holds these items too (one it holds already stays in it once)."""
        kept = {item_key(i): i for i in collection["items"]}
        kept.update({item_key(i): i for i in items})
        collection.update(items=list(kept.values()), last_edited_at=timefmt.now_iso())
        self.store.put(COLLECTIONS, collection["uuid"], collection)

    def _drop(self, collection: dict, keys: set[tuple]) -> None:
        collection.update(items=[i for i in collection["items"] if item_key(i) not in keys],
                          last_edited_at=timefmt.now_iso())
        self.store.put(COLLECTIONS, collection["uuid"], collection)

    def _collectable(self, project: dict, collection: dict, item: dict) -> bool:
        if (item.get("annotation_id") is not None) != (collection["collection_type"] == LABEL):
            return False
        try:
            row = self.labels.data_row(project, item["data_hash"])
        except DataUnitNotInProject:
            return False
        if not 0 <= item["frame"] < frame_count(row):
            return False
        return (collection["collection_type"] == FRAME
                or (item["frame"], item["annotation_id"]) in self.labels.annotations(project, row))

    # -- filter presets -------------------------------------------------------------------------------------------------

    def create_preset(self, user: User, project_hash: str, name: str, filter_preset: dict) -> dict:
        self.projects.get_project(user, project_hash)
        now = timefmt.now_iso()
        preset = {"uuid": str(uuid.uuid4()), "project_hash": project_hash, "name": name,
                  "filter_preset": filter_preset, "created_at": now, "updated_at": now}
        self.store.put(PRESETS, preset["uuid"], preset)
        return preset

    def preset(self, user: User, project_hash: str, preset_uuid: str) -> dict:
        self.projects.get_project(user, project_hash)
        preset = self.store.get(PRESETS, preset_uuid)
        if preset is None or preset["project_hash"] != project_hash:
            raise exc.ProjectPresetNotFound(project_hash, preset_uuid)
        return preset

    def presets(self, user: User, project_hash: str, preset_uuids: list[str]) -> list[dict]:
        """The project's filter presets, only those asked when uuids are given; oldest first."""
        self.projects.get_project(user, project_hash)
        found = self.store.find(PRESETS, lambda p: p["project_hash"] == project_hash
                                and (not preset_uuids or p["uuid"] in preset_uuids))
        return sorted(found, key=lambda p: (p["created_at"], p["uuid"]))

    def update_preset(self, user: User, project_hash: str, preset_uuid: str, changes: dict) -> None:
        """A preset's name and filters, each changed only when given."""
        preset = self.preset(user, project_hash, preset_uuid)
        preset.update(changes, updated_at=timefmt.now_iso())
        self.store.put(PRESETS, preset_uuid, preset)

    def delete_preset(self, user: User, project_hash: str, preset_uuid: str) -> None:
        self.preset(user, project_hash, preset_uuid)
        self.store.delete(PRESETS, preset_uuid)

    # -- import into Active -------------------------------------------------------------------------------------------

    def import_project(self, user: User, project_hash: str, project_mode: str,
                       video_sampling_rate: float | None) -> dict:
        """An admin imports the project into Active up to a stage (``project_mode``); a new import replaces the last.
        The emulator computes no metrics or embeddings: it records the import, which the state and the log show."""
        self.projects.administered_project(user, project_hash, EXPLORER_ADMINISTRATION)
        imported = {"project_hash": project_hash, "project_mode": project_mode,
                    "video_sampling_rate": video_sampling_rate, "imported_by": user.email,
                    "imported_at": timefmt.now_iso(), "synced_at": None}
        self.store.put(IMPORTS, project_hash, imported)
        return imported

    def sync_project(self, user: User, project_hash: str) -> dict:
        """An admin syncs a project already imported into Active with its current data and labels."""
        with self.store.transaction() as tx:
            self.projects.administered_project(user, project_hash, EXPLORER_ADMINISTRATION)
            imported = tx.get(IMPORTS, project_hash)
            if imported is None:
                raise exc.ProjectNotImported(project_hash)
            imported["synced_at"] = timefmt.now_iso()
            tx.put(IMPORTS, project_hash, imported)
        return imported
