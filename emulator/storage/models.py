"""Storage folders and items: state and rules. Folder upload jobs register items here."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Callable

from emulator.auth.exceptions import NotAuthorisedFor
from emulator.auth.models import ADMIN, GroupGrants, User, accessible, new_members, require_admin, role_of
from emulator.buckets.object_urls import ENCORD_STORAGE_BUCKET
from emulator.core import timefmt
from emulator.core.store import Store
from emulator.organisation.models import OrganisationBackend
from emulator.storage import exceptions as exc

FOLDERS = "storage_folder"
ITEMS = "storage_item"
REENCODINGS = "storage_reencoding"  # video re-encoding processes
UPLOADS = "storage_upload"  # the places in Encord storage handed out with signed upload URLs
MAX_UPLOADS_AT_ONCE = 10_000  # the files one upload job registers at most
MAX_DATA_GROUP_ITEMS = 50  # items of one data group, whatever its layout (Encord's Data Groups documentation)

STORAGE_LOCATION_NAMES = {"AWS": "s3", "GCP": "gcp", "AZURE": "azure", "OTC": "s3Compatible",
                          "S3_COMPATIBLE": "s3Compatible", "WASABI": "s3Compatible", "DIRECT_ACCESS": "directAccess"}


ITEM_TYPE_BY_UNIT_KIND = {"video": "video", "image": "image", "image_group": "imageGroup",
                          "image_sequence": "imageSequence", "dicom_series": "dicomSeries", "audio": "audio",
                          "text": "plainText", "pdf": "pdf", "nifti": "nifti", "scene": "scene"}


ITEM_TYPES = ("video", "image", "group", "imageGroup", "imageSequence", "dicomFile", "dicomSeries", "audio",
              "timeseries", "nifti", "plainText", "pdf", "scene")
ITEM_ORDERS = {"name": "name", "createdAt": "created_at"}  # the SDK's FoldersSortBy, and the field it sorts by


def item_metadata_path(item_uuid: str) -> str:
    """Where the emulator serves an item's client metadata behind a signed URL (``urls.signed_routes``)."""
    return f"/signed-item-metadata/{item_uuid}"


def encord_storage_url(owner: User, item_uuid: str) -> str:
    """Where a local file uploaded to Encord storage is kept: the object URL its data row or item links to."""
    return f"{ENCORD_STORAGE_BUCKET}/{owner.user_hash}/{item_uuid}"


def check_upload_count(count: int) -> None:
    """Signed upload URLs are handed out 1 to 10,000 at a time, as many as one upload job can register."""
    if not 1 <= count <= MAX_UPLOADS_AT_ONCE:
        raise exc.UploadCountOutOfRange(count, MAX_UPLOADS_AT_ONCE)


def item_type(row: dict) -> str:
    """The storage item type of an ingested unit."""
    if row["data_type"] == "IMG_GROUP":
        return "imageSequence" if row.get("is_optimised_image_group") else "imageGroup"
    return {"VIDEO": "video", "IMAGE": "image", "DICOM": "dicomSeries", "AUDIO": "audio", "PLAIN_TEXT": "plainText",
            "PDF": "pdf", "NIFTI": "nifti", "DICOM_STUDY": "dicomSeries", "TIME_SERIES": "timeseries",
            "GROUP": "group", "SCENE": "scene"}[row["data_type"]]


@dataclass(frozen=True)
class ItemFilters:
    search: str | None = None
    item_types: tuple[str, ...] = ()
    in_dataset: bool | None = None
    recursive: bool = False
    order: str = "name"
    desc: bool = False


@dataclass(frozen=True)
class FolderFilters:
    search: str | None = None
    dataset_synced: bool | None = None
    recursive: bool = False
    order: str = "name"
    desc: bool = False


def listing_order(f: ItemFilters | FolderFilters) -> Callable[[dict], tuple]:
    """The sort key of a folder or item listing: the field asked, then the name, then the uuid, so that things made
    in the same millisecond keep one order that does not depend on their random uuids."""
    return lambda record: (record[ITEM_ORDERS[f.order]], record["name"], record["uuid"])


class StorageBackend:
    def __init__(self, store: Store, organisation: OrganisationBackend):
        self.store = store
        self.group_grants = GroupGrants(store, FOLDERS, organisation, self.get_folder, self.administered_folder)
        store.index(ITEMS, "parent")
        store.index(FOLDERS, "parent")
        store.index(UPLOADS, "url")

    def create_folder(self, owner: User, name: str, description: str, parent: str | None,
                      client_metadata: str | None, synced_dataset_hash: str | None = None,
                      cloud_link: dict | None = None) -> dict:
        """A folder; a dataset's backing folder names the dataset it backs (its items are the dataset's data); a
        cloud-synced folder, the integration and remote URL it is mounted on."""
        if parent is not None:
            self.get_folder(owner, parent)
        now = timefmt.now_iso()
        folder = {"uuid": str(uuid.uuid4()), "parent": parent, "name": name, "description": description,
                  "client_metadata": client_metadata, "owner": owner.email, "created_at": now, "last_edited_at": now,
                  "members": new_members(owner), "synced_dataset_hash": synced_dataset_hash, "cloud_link": cloud_link}
        self.store.put(FOLDERS, folder["uuid"], folder)
        return folder

    def get_folder(self, user: User, folder_uuid: str) -> dict:
        return accessible(self.store, FOLDERS, folder_uuid, user, exc.FolderNotFound(folder_uuid))

    def administered_folder(self, user: User, folder_uuid: str) -> dict:
        folder = self.get_folder(user, folder_uuid)
        require_admin(user, folder, "storage folder", folder_uuid)
        return folder

    def admit_member(self, folder_uuid: str, member: User, role: str) -> None:
        """A user given access to what the folder holds (a member already keeps their role)."""
        with self.store.transaction() as tx:
            folder = tx.get(FOLDERS, folder_uuid)
            folder["members"].setdefault(member.user_hash, role)
            tx.put(FOLDERS, folder_uuid, folder)

    def dismiss_members(self, folder_uuid: str, user_hashes: set[str]) -> None:
        with self.store.transaction() as tx:
            folder = tx.get(FOLDERS, folder_uuid)
            folder["members"] = {h: r for h, r in folder["members"].items() if h not in user_hashes}
            tx.put(FOLDERS, folder_uuid, folder)

    def stored_folder(self, folder_uuid: str) -> dict | None:
        """A folder as stored, without an access check: for the backends that keep what they own in one (a
        dataset's backing folder)."""
        return self.store.get(FOLDERS, folder_uuid)

    def may_see_folder(self, user: User, folder_uuid: str) -> bool:
        folder = self.store.get(FOLDERS, folder_uuid)
        return folder is not None and role_of(user, folder) is not None

    def top_level_folder_uuid(self, folder_uuid: str) -> str:
        """The top-level folder a folder is in (itself at the top level)."""
        return self.path_to_root(self.store.get(FOLDERS, folder_uuid))[0]["uuid"]

    def path_to_root(self, folder: dict) -> list[dict]:
        path = []
        while folder is not None:
            path.append({"uuid": folder["uuid"], "parentUuid": folder["parent"], "name": folder["name"],
                         "syncedDatasetHash": None})
            folder = self.store.get(FOLDERS, folder["parent"]) if folder["parent"] else None
        return list(reversed(path))

    def folders(self, user: User, parent: str | None, f: FolderFilters) -> list[dict]:
        """The folders the user may see directly in ``parent`` (the top level when None), or anywhere below it when
        recursive, matching the filters, in the order asked."""
        if parent is not None:
            self.get_folder(user, parent)
        if f.order not in ITEM_ORDERS:
            raise exc.UnknownItemOrder(f.order, ITEM_ORDERS)
        search = f.search.lower() if f.search else None

        def matches(folder: dict) -> bool:
            return (role_of(user, folder) is not None
                    and (search is None or search in folder["name"].lower())
                    and (f.dataset_synced is None or f.dataset_synced == (folder.get("synced_dataset_hash") is not None)))

        found, level = [], [parent]
        while level:
            children = self.store.find_by(FOLDERS, "parent", level)
            found += [c for c in children if matches(c)]
            level = [c["uuid"] for c in children] if f.recursive else []
        return sorted(found, key=listing_order(f), reverse=f.desc)

    def items(self, user: User, folder_uuid: str | None, f: ItemFilters) -> list[dict]:
        """A folder's items matching the filters, in the order asked; recursive: those of the folders the user may
        see below it too; no folder: a search of every folder the user may see."""
        if folder_uuid is not None:
            self.get_folder(user, folder_uuid)
        unknown = sorted(set(f.item_types) - set(ITEM_TYPES))
        if unknown:
            raise exc.UnknownItemType(unknown[0], ITEM_TYPES)
        if f.order not in ITEM_ORDERS:
            raise exc.UnknownItemOrder(f.order, ITEM_ORDERS)
        search = f.search.lower() if f.search else None

        def matches(item: dict) -> bool:
            return ((search is None or search in item["name"].lower())
                    and (not f.item_types or item["item_type"] in f.item_types)
                    and (f.in_dataset is None or f.in_dataset == (item.get("dataset_hash") is not None)))

        parents = [folder_uuid] if folder_uuid is not None else []
        if f.recursive or folder_uuid is None:
            parents += [c["uuid"] for c in self.folders(user, folder_uuid, FolderFilters(recursive=True))]
        found = self.store.find_by(ITEMS, "parent", parents, matches)
        return sorted(found, key=listing_order(f), reverse=f.desc)

    def folder_items(self, folder_uuid: str) -> list[dict]:
        return self.store.find_by(ITEMS, "parent", [folder_uuid])

    def item(self, item_uuid: str) -> dict:
        item = self.store.get(ITEMS, item_uuid)
        if item is None:
            raise exc.ItemNotFound(item_uuid)
        return item

    def get_item(self, user: User, item_uuid: str) -> dict:
        """An item the user may see: one in a folder they may see (unknown items are not found)."""
        item = self.item(item_uuid)
        self.get_folder(user, item["parent"])
        return item

    def item_exists(self, item_uuid: str) -> bool:
        return self.store.get(ITEMS, item_uuid) is not None

    def existing_items(self, item_uuids: list[str]) -> list[dict]:
        """The items of those asked that exist, in the order asked."""
        return [item for item in (self.store.get(ITEMS, u) for u in item_uuids) if item is not None]

    def folder_item(self, user: User, folder_uuid: str, item_uuid: str) -> dict:
        """An item addressed through its own folder: through another folder it is not found."""
        item = self.get_item(user, item_uuid)
        if item["parent"] != folder_uuid:
            self.get_folder(user, folder_uuid)
            raise exc.ItemNotFound(item_uuid)
        return item

    def get_items(self, user: User, item_uuids: list[str]) -> list[dict]:
        """Items the user may see, in the order asked; an unknown one is refused like another user's (the SDK's
        docstring: AuthorisationError for both)."""
        items = []
        for item_uuid in item_uuids:
            item = self.store.get(ITEMS, item_uuid)
            if item is None:
                raise NotAuthorisedFor("storage item", item_uuid)
            self.get_folder(user, item["parent"])
            items.append(item)
        return items

    def find_item(self, folder_uuid: str, item_type_: str, urls: list[str]) -> dict | None:
        found = self.store.find_by(ITEMS, "parent", [folder_uuid], lambda i: i["item_type"] == item_type_
                                and i["object_urls"] == urls)
        return found[0] if found else None

    def reserve_uploads(self, user: User, count: int, folder_uuid: str | None,
                        legacy_media: str | None = None) -> list[dict]:
        """Places in Encord storage for ``count`` local files the user is about to upload (into a folder they may
        see, when one is named): each the uuid its item will have and the object URL its bytes are put at. The
        legacy signed URLs (releases up to 0.1.165, asked for a sort of media: ``legacy_media``) also name the data
        hash the file's data row will have: the item's uuid, which those releases hand back as the data row's."""
        if folder_uuid is not None:
            self.get_folder(user, folder_uuid)
        check_upload_count(count)
        now = timefmt.now_iso()
        uploads = []
        for _ in range(count):
            item_uuid = str(uuid.uuid4())
            upload = {"item_uuid": item_uuid, "url": encord_storage_url(user, item_uuid), "owner": user.email,
                      "folder_uuid": folder_uuid, "created_at": now,
                      "data_hash": item_uuid if legacy_media else None, "legacy_media": legacy_media, "title": None}
            self.store.put(UPLOADS, item_uuid, upload)
            uploads.append(upload)
        return uploads

    def upload(self, url: str) -> dict | None:
        """The place in Encord storage an object URL names, if it was handed out."""
        found = self.store.find_by(UPLOADS, "url", [url])
        return found[0] if found else None

    def uploads_named(self, user: User, data_hashes: list[str]) -> list[dict]:
        """The user's uploads that legacy signed URLs named by these data hashes, in their order."""
        uploads = [self.store.get(UPLOADS, data_hash) for data_hash in data_hashes]
        for data_hash, upload in zip(data_hashes, uploads):
            if upload is None or upload["owner"] != user.email or upload.get("data_hash") != data_hash:
                raise exc.UploadNotFound(data_hash)
        return uploads

    def title_uploads(self, user: User, titles: dict[str, str]) -> None:
        """Give the uploads legacy signed URLs named (data hash: title) the titles their files are registered by."""
        with self.store.transaction() as tx:
            for upload in self.uploads_named(user, list(titles)):
                tx.put(UPLOADS, upload["item_uuid"], {**upload, "title": titles[upload["data_hash"]]})

    def placeholder(self, urls: list[str]) -> dict | None:
        """The upload a single file uploaded to Encord storage was reserved by: its item is the one the upload
        reserved (once: registered again, it is a new item)."""
        upload = self.upload(urls[0]) if len(urls) == 1 else None
        if upload is None or self.item_exists(upload["item_uuid"]):
            return None
        return upload

    def add_item(self, folder_uuid: str, owner_email: str, row: dict, integration: dict | None,
                 item_uuid: str | None = None, dataset_hash: str | None = None) -> dict:
        """Register one ingested unit as an item of the folder; a data row's item (in its dataset's backing folder)
        shares the row's backing item uuid and names its dataset."""
        now = timefmt.now_iso()
        item = {
            "uuid": item_uuid or str(uuid.uuid4()), "parent": folder_uuid, "item_type": item_type(row),
            "name": row["data_title"], "client_metadata": row.get("client_metadata") or {}, "owner": owner_email,
            "created_at": now, "last_edited_at": now, "dataset_hash": dataset_hash,
            "storage_location": STORAGE_LOCATION_NAMES[integration["provider"]] if integration else "encord",
            "integration_hash": integration["id"] if integration else None, "url": row.get("file_link"),
            "file_size": row.get("file_size"),
            "mime_type": row.get("file_type"), "duration": row.get("duration"), "fps": row.get("frames_per_second"),
            "height": row.get("height"), "width": row.get("width"), "frame_count": row.get("number_of_frames"),
            "dicom": row.get("dicom"), "audio": row.get("audio"), "characters": row.get("characters"),
            "html_nodes": row.get("html_nodes"),
            "object_urls": row.get("object_urls"), "upload_subtask": row.get("upload_subtask"),
        }
        self.store.put(ITEMS, item["uuid"], item)
        return item

    def set_tombstones(self, item_uuids: list[str], tombstone: bool) -> None:
        """A cloud-synced item whose object left the bucket is a tombstone (kept, so labels on it stay linked); one
        whose object came back is restored."""
        for item_uuid in item_uuids:
            item = self.item(item_uuid)
            item["is_tombstone"] = tombstone
            self.store.put(ITEMS, item_uuid, item)

    def create_data_groups(self, user: User, folder_uuid: str, groups: list[dict]) -> list[dict]:
        """Data groups in the folder: each an item of type group holding, under the keys of its layout, items the
        user may see that are not groups themselves; all are created or (one refused) none. ``groups``: each its
        name, client metadata and ``data_group`` (layout type, contents by key, layout, timeline, settings)."""
        self.get_folder(user, folder_uuid)
        for index, group in enumerate(groups):
            check_data_group_size(index, group["data_group"]["layout_contents"])
            check_layout_keys(index, group["data_group"])
            for child_uuid in group["data_group"]["layout_contents"].values():
                if self.get_item(user, child_uuid)["item_type"] == "group":
                    raise exc.NestedDataGroup(child_uuid)
        now = timefmt.now_iso()
        created = []
        for group in groups:
            item_uuid = str(uuid.uuid4())
            item = {"uuid": item_uuid, "parent": folder_uuid, "item_type": "group",
                    "name": group["name"] or f"Data group {item_uuid}", "client_metadata": group["client_metadata"] or {},
                    "owner": user.email, "created_at": now, "last_edited_at": now, "dataset_hash": None,
                    "storage_location": "encord", "integration_hash": None, "url": None, "file_size": None,
                    "mime_type": None, "duration": None, "fps": None, "height": None, "width": None,
                    "frame_count": None, "data_group": group["data_group"]}
            self.store.put(ITEMS, item_uuid, item)
            created.append(item)
        return created

    def child_items(self, user: User, folder_uuid: str, item_uuid: str) -> list[dict]:
        """The items a data group holds that the user may see, in its layout's order. Images of image groups and
        sequences and files of DICOM series are not items of their own here, so those have none."""
        item = self.folder_item(user, folder_uuid, item_uuid)
        if item["item_type"] != "group":
            return []
        children = (self.store.get(ITEMS, u) for u in item["data_group"]["layout_contents"].values())
        return [c for c in children if c is not None and self.may_see_folder(user, c["parent"])]

    def data_group_children(self, item_uuid: str) -> list[tuple[str, dict]]:
        """A data group's items by their layout key, in its layout's order (an item deleted since is gone)."""
        item = self.store.get(ITEMS, item_uuid)
        contents = item["data_group"]["layout_contents"] if item and item.get("data_group") else {}
        children = ((key, self.store.get(ITEMS, child_uuid)) for key, child_uuid in contents.items())
        return [(key, child) for key, child in children if child is not None]

    def note_in_dataset(self, item_uuid: str, dataset_hash: str) -> None:
        """An item linked to a dataset is in a dataset (the first it was linked to is the one it names)."""
        with self.store.transaction() as tx:
            item = tx.get(ITEMS, item_uuid)
            if item["dataset_hash"] is None:
                item["dataset_hash"] = dataset_hash
                tx.put(ITEMS, item_uuid, item)

    def update_folder(self, user: User, folder_uuid: str, changes: dict) -> dict:
        """A folder's name, description and client metadata (a JSON text), each changed only when given."""
        folder = self.get_folder(user, folder_uuid)
        folder.update(changes, last_edited_at=timefmt.now_iso())
        self.store.put(FOLDERS, folder_uuid, folder)
        return folder

    def folder_config(self, user: User, folder_uuid: str) -> dict:
        """A folder's configuration (its metadata ingestion, and what else was written there), as last written."""
        return self.get_folder(user, folder_uuid).get("config") or {}

    def set_folder_config(self, user: User, folder_uuid: str, config: dict) -> None:
        """A folder's configuration is written whole, by its admins. It is kept as written: the emulator's cloud
        sync ingests no metadata sidecar."""
        folder = self.get_folder(user, folder_uuid)
        if role_of(user, folder) != ADMIN:
            raise exc.NotFolderAdmin(folder_uuid)
        folder.update(config=config, last_edited_at=timefmt.now_iso())
        self.store.put(FOLDERS, folder_uuid, folder)

    def folder_to_sync(self, user: User, folder_uuid: str) -> dict:
        """A cloud-synced folder is synced with its bucket by its admins."""
        folder = self.get_folder(user, folder_uuid)
        if role_of(user, folder) != ADMIN:
            raise exc.NotSyncAdmin(folder_uuid)
        if not folder.get("cloud_link"):
            raise exc.NotCloudSynced(folder_uuid)
        return folder

    def re_encode_videos(self, user: User, item_uuids: list[str], title: str, force_full: bool) -> dict:
        """A re-encoding process of video items the user may see. It is done at once: the emulator keeps each video
        as it was registered (its frames already read by PyAV), so there is nothing left to re-encode."""
        for item in self.get_items(user, item_uuids):
            if item["item_type"] != "video":
                raise exc.NotAVideo(item["uuid"], item["item_type"])
        process = {"process_hash": str(uuid.uuid4()), "owner": user.email, "title": title, "item_uuids": item_uuids,
                   "force_full_reencoding": force_full, "status": "done", "created_at": timefmt.now_iso()}
        self.store.put(REENCODINGS, process["process_hash"], process)
        return process

    def re_encoding(self, user: User, process_hash: str) -> dict:
        """A re-encoding process the user started (another user's is not found)."""
        process = self.store.get(REENCODINGS, process_hash)
        if process is None or process["owner"] != user.email:
            raise exc.ReencodingNotFound(process_hash)
        return process

    def update_folders(self, user: User, changes_by_folder: dict[str, dict]) -> list[dict]:
        """Bundled folder updates: every folder changed, or (one unknown or another user's) none."""
        return [self.update_folder(user, folder_uuid, changes) for folder_uuid, changes in changes_by_folder.items()]

    def update_item(self, user: User, folder_uuid: str | None, item_uuid: str, changes: dict) -> dict:
        """An item's name, description and client metadata, each changed only when given; the item is addressed
        through its own folder (a bundled update names none)."""
        item = self.get_item(user, item_uuid) if folder_uuid is None else self.folder_item(user, folder_uuid, item_uuid)
        item.update(changes, last_edited_at=timefmt.now_iso())
        self.store.put(ITEMS, item_uuid, item)
        return item

    def update_items(self, user: User, changes_by_item: dict[str, dict]) -> list[dict]:
        """Bundled item updates: every item changed, or (one unknown or another user's) none."""
        return [self.update_item(user, None, item_uuid, changes) for item_uuid, changes in changes_by_item.items()]

    def move_items(self, user: User, folder_uuid: str, item_uuids: list[str], new_parent: str,
                   allow_synced_dataset_move: bool) -> None:
        """Move items, all immediate children of the folder, into another folder the user may see; none moves if
        any is unknown or elsewhere, or if the move would change a mirror dataset's data."""
        source = self.get_folder(user, folder_uuid)
        target = self.get_folder(user, new_parent)
        items = self._children(folder_uuid, item_uuids)
        if new_parent == folder_uuid:
            return
        check_mirror_datasets_unchanged(source, target, allow_synced_dataset_move)
        now = timefmt.now_iso()
        for item in items:
            item.update(parent=new_parent, last_edited_at=now)
            self.store.put(ITEMS, item["uuid"], item)

    def move_folders(self, user: User, folder_uuids: list[str], new_parent: str | None) -> None:
        """Move folders into another folder the user may see, or to the top level; none moves if any is unknown,
        another user's, or would land inside itself."""
        path = [f["uuid"] for f in self.path_to_root(self.get_folder(user, new_parent))] if new_parent else []
        folders = [self.get_folder(user, folder_uuid) for folder_uuid in folder_uuids]
        now = timefmt.now_iso()
        for folder in folders:
            if folder["uuid"] in path:
                raise exc.FolderMovedIntoItself(folder["uuid"], new_parent)
            folder.update(parent=new_parent, last_edited_at=now)
            self.store.put(FOLDERS, folder["uuid"], folder)

    def folder_summary(self, user: User, folder_uuid: str) -> dict:
        """What a folder holds directly: its items by type, their total size, and its subfolders."""
        self.get_folder(user, folder_uuid)
        items = self.folder_items(folder_uuid)
        by_type = {t: sum(1 for i in items if i["item_type"] == t) for t in ITEM_TYPES}
        return {"files": len(items), "folders": len(self.store.find_by(FOLDERS, "parent", [folder_uuid])),
                "by_type": by_type, "total_size": sum(i["file_size"] or 0 for i in items),
                "tombstones": sum(1 for i in items if i.get("is_tombstone"))}

    def delete_folder(self, user: User, folder_uuid: str) -> None:
        """Delete a folder; one still holding items or folders, or backing a dataset, is kept."""
        folder = self.get_folder(user, folder_uuid)
        if folder.get("synced_dataset_hash"):
            raise exc.FolderBacksDataset(folder_uuid, folder["synced_dataset_hash"])
        items, folders = self.folder_items(folder_uuid), self.store.find_by(FOLDERS, "parent", [folder_uuid])
        if items or folders:
            raise exc.FolderNotEmpty(folder_uuid, len(items), len(folders))
        self.store.delete(FOLDERS, folder_uuid)

    def delete_items(self, user: User, folder_uuid: str, item_uuids: list[str],
                     backed_data_units_count: Callable[[str], int]) -> int:
        """Delete items, all immediate children of the folder; none is deleted if any is unknown, elsewhere, or
        backs data units of a dataset (those are removed from the dataset first). Images of groups are not items of
        their own here, so there are no unused frames left to remove."""
        self.get_folder(user, folder_uuid)
        for item in self._children(folder_uuid, item_uuids):
            if backed_data_units_count(item["uuid"]):
                raise exc.ItemBacksData(item["uuid"], item["dataset_hash"])
        for item_uuid in set(item_uuids):
            self.store.delete(ITEMS, item_uuid)
        return len(set(item_uuids))

    def discard_encord_hosted_item(self, item_uuid: str) -> None:
        """An item whose file Encord hosts goes with the last data unit it backs; an item of a cloud integration
        stays in its folder (its file is the customer's)."""
        item = self.store.get(ITEMS, item_uuid)
        if item is not None and item["storage_location"] == "encord":
            self.store.delete(ITEMS, item_uuid)

    def _children(self, folder_uuid: str, item_uuids: list[str]) -> list[dict]:
        """The items asked, each an immediate child of the folder (else it is not found there)."""
        items = []
        for item_uuid in item_uuids:
            item = self.store.get(ITEMS, item_uuid)
            if item is None or item["parent"] != folder_uuid:
                raise exc.ItemNotFound(item_uuid)
            items.append(item)
        return items

    def upsert_client_metadata(self, item_uuid: str, client_metadata: dict) -> None:
        with self.store.transaction() as tx:
            item = tx.get(ITEMS, item_uuid)
            item.update(client_metadata=client_metadata, last_edited_at=timefmt.now_iso())
            tx.put(ITEMS, item_uuid, item)


def check_data_group_size(index: int, contents: dict) -> None:
    """A data group holds 1 to 50 items."""
    if not 1 <= len(contents) <= MAX_DATA_GROUP_ITEMS:
        raise exc.DataGroupSize(index, len(contents), MAX_DATA_GROUP_ITEMS)


def check_layout_keys(index: int, data_group: dict) -> None:
    """A custom layout's tiles, timeline and tile settings name keys of its contents only."""
    named = [("layout", key) for key in layout_keys(data_group["layout"])]
    named += [("timeline", key) for key in data_group["timeline"]]
    named += [("settings.tileSettings", key) for key in ((data_group["settings"] or {}).get("tileSettings") or {})]
    for where, key in named:
        if key not in data_group["layout_contents"]:
            raise exc.UnknownLayoutKey(index, where, key)


def layout_keys(layout: dict | None) -> list[str]:
    """The content keys a layout tree's tiles show (a split holds two parts, a tile one key, a carousel several)."""
    if not layout:
        return []
    if "first" in layout:
        return layout_keys(layout["first"]) + layout_keys(layout.get("second"))
    return [layout["key"]] if "key" in layout else list(layout.get("keys") or [])


def check_mirror_datasets_unchanged(source: dict, target: dict, allow_synced_dataset_move: bool) -> None:
    """Items moved out of (or into) a mirror dataset's folder would leave (or join) that dataset's data: refused
    unless the caller allows it, and the dataset's side of such a move is not emulated."""
    for folder in (source, target):
        dataset_hash = folder.get("synced_dataset_hash")
        if dataset_hash and not allow_synced_dataset_move:
            raise exc.MirrorDatasetChange(folder["uuid"], dataset_hash)
        if dataset_hash:
            raise exc.MirrorDatasetMoveNotEmulated(dataset_hash)


def client_metadata_string(item: dict) -> str:
    """Storage DTOs carry client metadata as a JSON string."""
    return json.dumps(item["client_metadata"])
