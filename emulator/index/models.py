"""Index (Curate): collections of the storage items of a top-level folder, and filter presets. Items are the
storage backend's: this backend keeps only their uuids and asks it for the items."""

from __future__ import annotations

import json
import uuid
from typing import Callable

from emulator.auth.exceptions import NotAuthorisedFor
from emulator.auth.models import User, new_members, require_access, role_of
from emulator.core import timefmt
from emulator.core.store import Store
from emulator.index import exceptions as exc
from emulator.storage.models import ItemFilters, StorageBackend

COLLECTIONS = "index_collection"
PRESETS = "index_filter_preset"

NO_FOLDER = str(uuid.UUID(int=0))  # what the SDK sends as the top-level folder of a preset made outside any folder


class IndexBackend:
    def __init__(self, store: Store, storage: StorageBackend):
        self.store = store
        self.storage = storage

    # -- collections ----------------------------------------------------------------------------------------------------

    def create_collection(self, user: User, top_level_folder_uuid: str | None, name: str, description: str) -> dict:
        """A collection, in a top-level folder the user may see."""
        if top_level_folder_uuid is None:
            raise exc.TopLevelFolderRequired()
        folder = self.storage.get_folder(user, top_level_folder_uuid)
        if folder["parent"] is not None:
            raise exc.NotATopLevelFolder(top_level_folder_uuid)
        now = timefmt.now_iso()
        collection = {"uuid": str(uuid.uuid4()), "top_level_folder_uuid": top_level_folder_uuid, "name": name,
                      "description": description, "owner": user.email, "created_at": now, "last_edited_at": now,
                      "item_uuids": []}
        self.store.put(COLLECTIONS, collection["uuid"], collection)
        return collection

    def collection(self, user: User, collection_uuid: str) -> dict:
        """A collection of a top-level folder the user may see: the folder's users are the collection's."""
        collection = self.store.get(COLLECTIONS, collection_uuid)
        if collection is None:
            raise exc.CollectionNotFound(collection_uuid)
        if not self.storage.may_see_folder(user, collection["top_level_folder_uuid"]):
            raise NotAuthorisedFor("collection", collection_uuid)
        return collection

    def collections(self, user: User, top_level_folder_uuid: str | None, collection_uuids: list[str]) -> list[dict]:
        """The collections the user may see, of one top-level folder (one they may see) or of all; only those
        asked when uuids are given; oldest first."""
        if top_level_folder_uuid is not None:
            self.storage.get_folder(user, top_level_folder_uuid)

        def matches(c: dict) -> bool:
            return ((top_level_folder_uuid is None or c["top_level_folder_uuid"] == top_level_folder_uuid)
                    and (not collection_uuids or c["uuid"] in collection_uuids)
                    and self.storage.may_see_folder(user, c["top_level_folder_uuid"]))

        return sorted(self.store.find(COLLECTIONS, matches), key=lambda c: (c["created_at"], c["uuid"]))

    def update_collection(self, user: User, collection_uuid: str, changes: dict) -> None:
        """A collection's name and description, each changed only when given."""
        collection = self.collection(user, collection_uuid)
        collection.update(changes, last_edited_at=timefmt.now_iso())
        self.store.put(COLLECTIONS, collection_uuid, collection)

    def delete_collection(self, user: User, collection_uuid: str) -> None:
        self.collection(user, collection_uuid)
        self.store.delete(COLLECTIONS, collection_uuid)

    def add_items(self, user: User, collection_uuid: str, item_uuids: list[str]) -> list[str]:
        """Add items of the collection's top-level folder (at any depth) the user may see; the others fail and are
        answered back. An item already in the collection stays in it once."""
        collection = self.collection(user, collection_uuid)
        found = {i["uuid"]: i for i in self.storage.existing_items(item_uuids)}
        failed = [u for u in item_uuids if u not in found or not self._may_collect(user, collection, found[u])]
        self._collect(collection, [u for u in item_uuids if u not in failed])
        return failed

    def add_items_by_title(self, user: User, collection_uuid: str, titles: list[str]) -> dict:
        """Add items by their Data Title (the item's name, exactly): a title naming one item of the collection's
        top-level folder the user may see adds it; one naming several is ambiguous and adds none; one naming none
        is unmatched."""
        collection = self.collection(user, collection_uuid)
        titles = list(dict.fromkeys(titles))
        candidates = self.storage.items(user, collection["top_level_folder_uuid"], ItemFilters(recursive=True))
        by_title: dict[str, list[str]] = {t: [] for t in titles}
        for item in candidates:
            if item["name"] in by_title:
                by_title[item["name"]].append(item["uuid"])
        matched = [found[0] for found in by_title.values() if len(found) == 1]
        added = [u for u in matched if u not in collection["item_uuids"]]
        self._collect(collection, matched)
        return {"requested": len(titles), "matched_titles": len(matched), "items_added": len(added),
                "ambiguous_titles": [t for t, found in by_title.items() if len(found) > 1],
                "unmatched_titles": [t for t, found in by_title.items() if not found]}

    def add_preset_items(self, user: User, collection_uuid: str, preset_uuid: str) -> None:
        """Add the items of the collection's top-level folder (at any depth) the user may see that the user's filter
        preset matches (see ``client_metadata_filter``); at once, where the service runs it as a job."""
        collection = self.collection(user, collection_uuid)
        matches = self._preset_filter(user, preset_uuid)
        candidates = self.storage.items(user, collection["top_level_folder_uuid"], ItemFilters(recursive=True))
        self._collect(collection, [item["uuid"] for item in candidates if matches(item["client_metadata"])])

    def remove_preset_items(self, user: User, collection_uuid: str, preset_uuid: str) -> None:
        """Remove the collection's items that the user's filter preset matches."""
        collection = self.collection(user, collection_uuid)
        matches = self._preset_filter(user, preset_uuid)
        self._uncollect(collection, {item["uuid"] for item in self.storage.existing_items(collection["item_uuids"])
                                     if matches(item["client_metadata"])})

    def remove_items(self, user: User, collection_uuid: str, item_uuids: list[str]) -> list[str]:
        """Remove items from the collection; those not in it fail and are answered back."""
        collection = self.collection(user, collection_uuid)
        failed = [u for u in item_uuids if u not in collection["item_uuids"]]
        self._uncollect(collection, set(item_uuids))
        return failed

    def collection_items(self, user: User, collection_uuid: str) -> list[tuple[dict, bool]]:
        """The collection's items that still exist, in the order they were added, each with whether the user may
        see it (an item in a subfolder the user is not a member of is in the collection but not theirs to see)."""
        collection = self.collection(user, collection_uuid)
        return [(item, self.storage.may_see_folder(user, item["parent"]))
                for item in self.storage.existing_items(collection["item_uuids"])]

    def _preset_filter(self, user: User, preset_uuid: str) -> Callable[[dict | None], bool]:
        definition = self.preset(user, preset_uuid)["filter_preset"]
        return client_metadata_filter(definition["global_filters"], definition["local_filters"])

    def _may_collect(self, user: User, collection: dict, item: dict) -> bool:
        return (self.storage.may_see_folder(user, item["parent"])
                and self.storage.top_level_folder_uuid(item["parent"]) == collection["top_level_folder_uuid"])

    def _collect(self, collection: dict, item_uuids: list[str]) -> None:
        collection["item_uuids"] = list(dict.fromkeys(collection["item_uuids"] + item_uuids))
        collection["last_edited_at"] = timefmt.now_iso()
        self.store.put(COLLECTIONS, collection["uuid"], collection)

    def _uncollect(self, collection: dict, item_uuids: set[str]) -> None:
        collection["item_uuids"] = [u for u in collection["item_uuids"] if u not in item_uuids]
        collection["last_edited_at"] = timefmt.now_iso()
        self.store.put(COLLECTIONS, collection["uuid"], collection)

    # -- filter presets -------------------------------------------------------------------------------------------------

    def create_preset(self, user: User, top_level_folder_uuid: str, name: str, description: str,
                      filter_preset: dict) -> dict:
        """A filter preset of the user's, of a top-level folder they may see or (the SDK's default) of none."""
        folder_uuid = None if top_level_folder_uuid == NO_FOLDER else top_level_folder_uuid
        if folder_uuid is not None and self.storage.get_folder(user, folder_uuid)["parent"] is not None:
            raise exc.NotATopLevelFolder(folder_uuid)
        now = timefmt.now_iso()
        preset = {"uuid": str(uuid.uuid4()), "top_level_folder_uuid": folder_uuid, "name": name,
                  "description": description, "filter_preset": filter_preset, "owner": user.email,
                  "members": new_members(user), "created_at": now, "last_updated_at": now}
        self.store.put(PRESETS, preset["uuid"], preset)
        return preset

    def preset(self, user: User, preset_uuid: str) -> dict:
        """A preset of the user's: presets are their creator's."""
        preset = self.store.get(PRESETS, preset_uuid)
        if preset is None:
            raise exc.PresetNotFound(preset_uuid)
        require_access(user, preset, "filter preset", preset_uuid)
        return preset

    def presets(self, user: User, top_level_folder_uuid: str | None, preset_uuids: list[str]) -> list[dict]:
        """The user's presets, of one top-level folder (one they may see) or of any; only those asked when uuids are
        given; oldest first."""
        if top_level_folder_uuid is not None:
            self.storage.get_folder(user, top_level_folder_uuid)

        def matches(p: dict) -> bool:
            return (role_of(user, p) is not None
                    and (top_level_folder_uuid is None or p["top_level_folder_uuid"] == top_level_folder_uuid)
                    and (not preset_uuids or p["uuid"] in preset_uuids))

        return sorted(self.store.find(PRESETS, matches), key=lambda p: (p["created_at"], p["uuid"]))

    def update_preset(self, user: User, preset_uuid: str, changes: dict) -> None:
        """A preset's name, description and filters, each changed only when given."""
        preset = self.preset(user, preset_uuid)
        preset.update(changes, last_updated_at=timefmt.now_iso())
        self.store.put(PRESETS, preset_uuid, preset)

    def delete_preset(self, user: User, preset_uuid: str) -> None:
        self.preset(user, preset_uuid)
        self.store.delete(PRESETS, preset_uuid)


CLIENT_METADATA_FILTER_KEYS = {"key", "include", "values", "type"}


def client_metadata_filter(global_filters: dict, local_filters: dict) -> Callable[[dict | None], bool]:
    """Which client metadata a filter preset's filters (its global and local ones: Index and Active presets name
    them alike but for case) match. Encord publishes one form of filter, on client metadata:
    ``{"key", "include", "values", "type"}``, matching metadata whose value at ``key`` is one of ``values``
    (``include``) or is not (not ``include``); all a preset's filters hold. A filter of any other form is refused,
    naming it: the rest of the filter language is not published."""
    filters = [*global_filters["filters"], *(f for local in local_filters.values() for f in local["filters"])]
    for index, one in enumerate(filters):
        if (not {"key", "include", "values"} <= one.keys() <= CLIENT_METADATA_FILTER_KEYS
                or not isinstance(one["key"], str) or not isinstance(one["include"], bool)
                or not isinstance(one["values"], list) or not isinstance(one.get("type", ""), str)):
            raise exc.UnappliedPresetFilter(index, json.dumps(one, sort_keys=True))

    def matches(client_metadata: dict | None) -> bool:
        metadata = client_metadata or {}
        return all((metadata.get(one["key"]) in one["values"]) == one["include"] for one in filters)

    return matches
