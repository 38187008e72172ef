"""Datasets and data rows: state and the service's rules about them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from emulator.auth.models import ADMIN, GroupGrants, User, UserBackend, accessible, new_members, role_of
from emulator.core import filters, timefmt
from emulator.core.store import Store
from emulator.datasets import exceptions as exc
from emulator.organisation.models import OrganisationBackend
from emulator.storage.models import StorageBackend

DATASETS = "dataset"
DATA_ROWS = "data_row"
REENCODING_TASKS = "dataset_reencoding_task"  # Dataset.re_encode_data's tasks, numbered from 1
MAX_NAME_LENGTH = 300  # characters of a data unit's title and of its file name

# Upper-case data types as DataRow and label-row metadata carry them.
DATA_TYPES = (
    "VIDEO", "IMG_GROUP", "DICOM", "IMAGE", "DICOM_STUDY", "NIFTI", "AUDIO", "TIME_SERIES", "PLAIN_TEXT", "PDF",
    "GROUP", "SCENE",
)

# The dataset_type strings of get_dataset, by the integration provider its data comes from.
STORAGE_LOCATION_BY_PROVIDER = {
    "AWS": (1, "AWS_S3"),
    "GCP": (2, "GCP_STR"),
    "AZURE": (3, "AZURE_STR"),
    "OTC": (4, "S3_COMPATIBLE_STR"),
    "S3_COMPATIBLE": (4, "S3_COMPATIBLE_STR"),
    "WASABI": (4, "S3_COMPATIBLE_STR"),
    "DIRECT_ACCESS": (0, "CORD_STORAGE"),
}
CORD_STORAGE = (0, "CORD_STORAGE")

# The storage location a data row of a linked storage item reports, by the item's storage location name.
STORAGE_LOCATION_BY_ITEM_LOCATION = {"s3": (1, "AWS_S3"), "gcp": (2, "GCP_STR"), "azure": (3, "AZURE_STR"),
                                     "s3Compatible": (4, "S3_COMPATIBLE_STR"), "directAccess": CORD_STORAGE,
                                     "encord": CORD_STORAGE}

# The data type of the data row a linked storage item becomes (a scene: its point clouds); items of other types (whose
# frames or files are not
# items of their own here) are not linked.
DATA_TYPE_BY_ITEM_TYPE = {"video": "VIDEO", "image": "IMAGE", "audio": "AUDIO", "plainText": "PLAIN_TEXT",
                          "pdf": "PDF", "nifti": "NIFTI", "group": "GROUP", "scene": "SCENE"}


@dataclass(frozen=True)
class DataRowFilters:
    title_eq: str | None = None
    title_like: str | None = None
    created_before: str | None = None
    created_after: str | None = None
    data_types: tuple[str, ...] | None = None
    data_hashes: tuple[str, ...] | None = None


def client_metadata_path(dataset_hash: str, data_hash: str) -> str:
    """Where the emulator serves a data row's client metadata behind a signed URL (``urls.signed_routes``)."""
    return f"/signed-client-metadata/{dataset_hash}/{data_hash}"


def storage_location(provider: str | None) -> tuple[int, str]:
    """The storage location a data row reports, from the provider of the integration it was registered through."""
    return STORAGE_LOCATION_BY_PROVIDER.get(provider or "", CORD_STORAGE)


class DatasetGroupGrants(GroupGrants):
    """A dataset's groups, who have the dataset's backing folder too, as its users have."""

    def __init__(self, *args, storage: StorageBackend):
        super().__init__(*args)
        self.storage = storage

    def add(self, user: User, key: str, group_hashes: list[str], role: str) -> None:
        with self.store.transaction():
            super().add(user, key, group_hashes, role)
            folder_uuid = self.store.get(DATASETS, key)["backing_folder_uuid"]
            if folder_uuid:
                self.storage.group_grants.grant(folder_uuid, group_hashes, role)

    def remove(self, user: User, key: str, group_hashes: list[str]) -> None:
        with self.store.transaction():
            super().remove(user, key, group_hashes)
            folder_uuid = self.store.get(DATASETS, key)["backing_folder_uuid"]
            if folder_uuid:
                self.storage.group_grants.revoke(folder_uuid, group_hashes)


class DatasetBackend:
    def __init__(self, store: Store, users: UserBackend, storage: StorageBackend, organisation: OrganisationBackend):
        self.store = store
        self.users = users
        self.storage = storage
        self.group_grants = DatasetGroupGrants(store, DATASETS, organisation, self.get_dataset,
                                               self.administered_dataset, storage=storage)
        store.index(DATA_ROWS, "dataset_hash")
        store.index(DATA_ROWS, "backing_item_uuid")

    def create_dataset(self, owner: User, title: str, description: str, create_backing_folder: bool) -> dict:
        """A dataset, by default with a storage folder of the same name that holds an item per data row."""
        now = timefmt.now_iso()
        dataset_hash = str(uuid.uuid4())
        with self.store.transaction():
            folder = (self.storage.create_folder(owner, title, description, None, None, dataset_hash)
                      if create_backing_folder else None)
            dataset = {
                "dataset_hash": dataset_hash,
                "title": title,
                "description": description,
                "created_at": now,
                "last_edited_at": now,
                "backing_folder_uuid": folder["uuid"] if folder else None,
                "members": new_members(owner),
            }
            self.store.put(DATASETS, dataset_hash, dataset)
        return dataset

    def get_dataset(self, user: User, dataset_hash: str) -> dict:
        return accessible(self.store, DATASETS, dataset_hash, user, exc.DatasetNotFound(dataset_hash))

    def titles(self, dataset_hashes: list[str]) -> dict[str, str]:
        """The titles of datasets a project holds (read once per listing, not once per row)."""
        return {h: self.store.get(DATASETS, h)["title"] for h in dataset_hashes}

    def list_datasets(self, user: User, f: filters.ListingFilters) -> list[tuple[dict, str]]:
        matches = f.matcher()
        found = self.store.find(DATASETS, lambda d: role_of(user, d) is not None and matches(d))
        return [(d, role_of(user, d)) for d in sorted(found, key=lambda d: d["created_at"])]

    def dataset_storage_location(self, dataset: dict) -> tuple[int, str]:
        """A dataset reports the storage of its first data row (CORD_STORAGE while it has none), kept on the dataset
        when that row is added so that listing datasets does not read their rows; a dataset saved before it kept it
        (a state document of an earlier build) reads its first row."""
        if "storage" in dataset:
            return tuple(dataset["storage"])
        rows = self.data_rows(dataset["dataset_hash"], DataRowFilters())
        return (rows[0]["storage_location"], rows[0]["storage_type"]) if rows else CORD_STORAGE

    def data_rows(self, dataset_hash: str, f: DataRowFilters) -> list[dict]:
        for data_type in f.data_types or ():
            if data_type not in DATA_TYPES:
                raise exc.UnknownDataType("data_types", data_type, DATA_TYPES)
        created_after = filters.parse_time("created_after", f.created_after)
        created_before = filters.parse_time("created_before", f.created_before)
        hashes = set(f.data_hashes) if f.data_hashes is not None else None

        def matches(row: dict) -> bool:
            return (
                (f.title_eq is None or row["data_title"] == f.title_eq)
                and (f.title_like is None or filters.sql_like(f.title_like, row["data_title"]))
                and (f.data_types is None or row["data_type"] in f.data_types)
                and (hashes is None or row["data_hash"] in hashes)
                and filters.within(row["created_at"], created_after, created_before)
            )

        rows = self.store.find_by(DATA_ROWS, "dataset_hash", [dataset_hash], matches)
        return sorted(rows, key=lambda r: (r["created_at"], r["data_title"]))

    def data_row(self, dataset_hash: str, data_hash: str) -> dict:
        row = self.store.get(DATA_ROWS, data_hash)
        if row is None or row["dataset_hash"] != dataset_hash:
            raise exc.DataRowNotFound(data_hash)
        return row

    def administered_dataset(self, user: User, dataset_hash: str) -> dict:
        """A dataset the user may edit the data and the collaborators of: its admins may, its other users read
        only."""
        dataset = self.get_dataset(user, dataset_hash)
        if role_of(user, dataset) != ADMIN:
            raise exc.NotDatasetAdmin(dataset_hash)
        return dataset

    def add_users(self, user: User, dataset_hash: str, emails: list[str], role: str) -> list[tuple[str, str]]:
        """Every email must be a registered user; one already in the dataset keeps the role it has. A dataset's
        data is its backing folder's items: its users are the folder's too."""
        with self.store.transaction() as tx:
            dataset = self.administered_dataset(user, dataset_hash)
            added = [self.users.user_by_email(email) for email in emails]
            for member in added:
                kept = dataset["members"].setdefault(member.user_hash, role)
                if dataset["backing_folder_uuid"]:
                    self.storage.admit_member(dataset["backing_folder_uuid"], member, kept)
            tx.put(DATASETS, dataset_hash, dataset)
        return [(member.email, dataset["members"][member.user_hash]) for member in added]

    def list_users(self, user: User, dataset_hash: str) -> list[tuple[str, str]]:
        members = self.get_dataset(user, dataset_hash)["members"]
        return [(self.users.user_by_hash(h).email, role) for h, role in members.items()]

    def remove_users(self, user: User, dataset_hash: str, emails: list[str]) -> None:
        """Emails without access to the dataset are ignored; the removed lose its backing folder too."""
        with self.store.transaction() as tx:
            dataset = self.administered_dataset(user, dataset_hash)
            removed = {u.user_hash for u in self.users.users() if u.email in emails}
            dataset["members"] = {h: r for h, r in dataset["members"].items() if h not in removed}
            if dataset["backing_folder_uuid"]:
                self.storage.dismiss_members(dataset["backing_folder_uuid"], removed)
            tx.put(DATASETS, dataset_hash, dataset)

    def edit_data_rows(self, user: User, dataset_hash: str, edits: dict[str, dict]) -> list[dict]:
        """Change the title and/or client metadata of data rows of an administered dataset (``edits`` maps a data
        hash to the fields to set), all or none; a row's backing item keeps the same client metadata."""
        self.administered_dataset(user, dataset_hash)
        for fields in edits.values():
            check_data_title_length(fields.get("data_title"))
        with self.store.transaction() as tx:
            rows = [self.data_row(dataset_hash, data_hash) for data_hash in edits]
            for row in rows:
                row.update(edits[row["data_hash"]])
                row["last_edited_at"] = timefmt.now_iso()
                tx.put(DATA_ROWS, row["data_hash"], row)
                if "client_metadata" in edits[row["data_hash"]] and self.storage.item_exists(row["backing_item_uuid"]):
                    self.storage.upsert_client_metadata(row["backing_item_uuid"], row["client_metadata"])
        return rows

    def clone_data_rows(self, user: User, title: str, description: str,
                        selection: dict[str, list[str] | None]) -> tuple[dict, dict[str, str]]:
        """A new dataset (without a backing folder) of copies of data rows: of each dataset in ``selection``, the
        data hashes listed (all its rows when None). A copy is a new data unit backed by the same storage item as
        its original. Returns the dataset and each original data hash's copy."""
        with self.store.transaction() as tx:
            dataset = self.create_dataset(user, title, description, create_backing_folder=False)
            copies = {}
            for dataset_hash, data_hashes in selection.items():
                self.get_dataset(user, dataset_hash)
                rows = (self.data_rows(dataset_hash, DataRowFilters()) if data_hashes is None
                        else [self.data_row(dataset_hash, data_hash) for data_hash in data_hashes])
                for row in rows:
                    copy = {**row, "data_hash": str(uuid.uuid4()), "dataset_hash": dataset["dataset_hash"]}
                    tx.put(DATA_ROWS, copy["data_hash"], copy)
                    copies[row["data_hash"]] = copy["data_hash"]
                    dataset.setdefault("storage", [row["storage_location"], row["storage_type"]])
            tx.put(DATASETS, dataset["dataset_hash"], dataset)
        return dataset, copies

    def delete_data_rows(self, user: User, dataset_hash: str, data_hashes: list[str]) -> list[dict]:
        """An admin removes data units from a dataset, all or none (an unknown one or another dataset's is not
        found); a storage item Encord hosts is deleted with the last data unit it backs. Returns the rows removed."""
        with self.store.transaction() as tx:
            dataset = self.administered_dataset(user, dataset_hash)
            rows = [self.data_row(dataset_hash, data_hash) for data_hash in dict.fromkeys(data_hashes)]
            for row in rows:
                tx.delete(DATA_ROWS, row["data_hash"])
            for item_uuid in {row["backing_item_uuid"] for row in rows}:
                if not self.backed_data_units_count(item_uuid):
                    self.storage.discard_encord_hosted_item(item_uuid)
            dataset["last_edited_at"] = timefmt.now_iso()
            tx.put(DATASETS, dataset_hash, dataset)
        return rows

    def backed_data_units_count(self, item_uuid: str) -> int:
        """How many data units (data rows, in any dataset) a storage item backs."""
        return len(self.store.find_by(DATA_ROWS, "backing_item_uuid", [item_uuid]))

    def item_uses(self, user: User, item_uuid: str) -> tuple[int, list[dict]]:
        """The datasets whose data units a storage item backs: how many, and those the user may see with their data
        units (hash and creation time) of the item."""
        rows = self.store.find_by(DATA_ROWS, "backing_item_uuid", [item_uuid])
        datasets = {h: self.store.get(DATASETS, h) for h in dict.fromkeys(r["dataset_hash"] for r in rows)}
        return len(datasets), [{"dataset": d, "data_units": [r for r in rows if r["dataset_hash"] == h]}
                               for h, d in datasets.items() if role_of(user, d) is not None]

    def link_items(self, user: User, dataset_hash: str, item_uuids: list[str], duplicates: str) -> list[dict]:
        """Storage items the user may see, groups included, added to an administered dataset as data rows backed by
        them (the items stay where they are); an item already in the dataset is skipped, linked again, or refuses
        the whole call, as ``duplicates`` says. Returns the rows added."""
        self.administered_dataset(user, dataset_hash)
        items = self.storage.get_items(user, item_uuids)
        linked = {r["backing_item_uuid"] for r in self.data_rows(dataset_hash, DataRowFilters())}
        for item in items:
            if item["item_type"] not in DATA_TYPE_BY_ITEM_TYPE:
                raise exc.ItemTypeNotLinkable(item["uuid"], item["item_type"])
            if duplicates == "FAIL" and item["uuid"] in linked:
                raise exc.ItemAlreadyLinked(item["uuid"], dataset_hash)
        added = []
        for item in items:
            if duplicates == "SKIP" and item["uuid"] in linked:
                continue
            linked.add(item["uuid"])
            added.append(self._link_item(dataset_hash, item))
        return added

    def _link_item(self, dataset_hash: str, item: dict) -> dict:
        location, storage_type = STORAGE_LOCATION_BY_ITEM_LOCATION[item["storage_location"]]
        now = timefmt.now_iso()
        row = {"data_hash": str(uuid.uuid4()), "backing_item_uuid": item["uuid"], "dataset_hash": dataset_hash,
               "created_at": now, "last_edited_at": now, "data_title": item["name"],
               "data_type": DATA_TYPE_BY_ITEM_TYPE[item["item_type"]], "file_link": item["url"],
               "width": item["width"], "height": item["height"], "file_size": item["file_size"],
               "file_type": item["mime_type"], "frames_per_second": item["fps"], "duration": item["duration"],
               "number_of_frames": item["frame_count"], "client_metadata": item["client_metadata"],
               "audio": item.get("audio"), "characters": item.get("characters"),
               "html_nodes": item.get("html_nodes"), "images_data": None, "storage_location": location, "storage_type": storage_type}
        self.store.put(DATA_ROWS, row["data_hash"], row)
        dataset = self.store.get(DATASETS, dataset_hash)
        dataset["last_edited_at"] = now
        dataset.setdefault("storage", [location, storage_type])
        self.store.put(DATASETS, dataset_hash, dataset)
        self.storage.note_in_dataset(item["uuid"], dataset_hash)
        return row

    def re_encode_data(self, user: User, dataset_hash: str, data_hashes: list[str]) -> dict:
        """A task re-encoding video data rows of an administered dataset, numbered from 1. It is done at once: the
        emulator keeps each video as it was registered, so its re-encoded video is the one it links to."""
        self.administered_dataset(user, dataset_hash)
        rows = [self.data_row(dataset_hash, data_hash) for data_hash in data_hashes]
        for row in rows:
            if row["data_type"] != "VIDEO":
                raise exc.NotAVideoDataRow(row["data_hash"], row["data_type"])
        task = {"job_id": len(self.store.find(REENCODING_TASKS, lambda t: True)) + 1, "dataset_hash": dataset_hash,
                "status": "DONE", "data_hashes": data_hashes, "created_at": timefmt.now_iso()}
        self.store.put(REENCODING_TASKS, str(task["job_id"]), task)
        return task

    def re_encoding_task(self, user: User, dataset_hash: str, job_id) -> tuple[dict, list[dict]]:
        """A re-encoding task of a dataset the user may see, and the data rows it re-encoded."""
        self.get_dataset(user, dataset_hash)
        task = self.store.get(REENCODING_TASKS, str(job_id))
        if task is None or task["dataset_hash"] != dataset_hash:
            raise exc.ReencodingTaskNotFound(job_id)
        return task, [self.data_row(dataset_hash, data_hash) for data_hash in task["data_hashes"]]

    def set_client_metadata(self, data_hash: str, client_metadata: dict) -> None:
        """A data row's client metadata, and its backing item's with it (they are one piece of data)."""
        with self.store.transaction() as tx:
            row = tx.get(DATA_ROWS, data_hash)
            row["client_metadata"] = client_metadata
            row["last_edited_at"] = timefmt.now_iso()
            tx.put(DATA_ROWS, data_hash, row)
            if self.storage.item_exists(row["backing_item_uuid"]):
                self.storage.upsert_client_metadata(row["backing_item_uuid"], client_metadata)

    def add_data_rows(self, dataset_hash: str, rows: list[dict], integration: dict | None) -> list[dict]:
        """Store new data rows of a dataset in one transaction, and their items in the dataset's backing folder. Each
        row holds its media fields (title, type, size, link…) and, when they were handed out before its file was
        registered, its ``data_hash`` and ``backing_item_uuid``; the dataset is read and written once, not per row."""
        location, storage_type = storage_location(integration["provider"] if integration else None)
        # A time of its own per row, as each was added: listings order rows by it, so they list in the order added.
        added = [{
            "data_hash": str(uuid.uuid4()),
            "backing_item_uuid": str(uuid.uuid4()),
            "dataset_hash": dataset_hash,
            "created_at": (now := timefmt.now_iso()),
            "last_edited_at": now,
            "file_link": None,
            "width": None,
            "height": None,
            "file_size": None,
            "file_type": None,
            "frames_per_second": None,
            "duration": None,
            "client_metadata": {},
            "images_data": None,
            **row,
            "storage_location": location,
            "storage_type": storage_type,
        } for row in rows]
        with self.store.transaction() as tx:
            dataset = tx.get(DATASETS, dataset_hash)
            dataset["last_edited_at"] = timefmt.now_iso()
            dataset.setdefault("storage", [location, storage_type])
            tx.put(DATASETS, dataset_hash, dataset)
            folder = (self.storage.stored_folder(dataset["backing_folder_uuid"]) if dataset["backing_folder_uuid"]
                      else None)
            for stored in added:
                tx.put(DATA_ROWS, stored["data_hash"], stored)
                if folder is not None:  # the item is the folder owner's, as the folder is
                    self.storage.add_item(folder["uuid"], folder["owner"], stored, integration,
                                          item_uuid=stored["backing_item_uuid"], dataset_hash=dataset_hash)
        return added


def check_data_title_length(title: str | None) -> None:
    """A data unit's title is limited as at upload (300 characters)."""
    if title is not None and len(title) > MAX_NAME_LENGTH:
        raise exc.DataTitleTooLong(title, MAX_NAME_LENGTH)
