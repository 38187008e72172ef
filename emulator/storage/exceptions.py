from emulator.core.errors import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError


class FolderNotFound(ResourceNotFoundError):
    def __init__(self, folder_uuid: str):
        super().__init__(f"Storage folder {folder_uuid} does not exist.")


class ItemNotFound(ResourceNotFoundError):
    def __init__(self, item_uuid: str):
        super().__init__(f"Storage item {item_uuid} does not exist.")


class UnknownItemType(InvalidArgumentsError):
    def __init__(self, item_type: str, known, field: str = "itemTypes"):
        super().__init__(f"{field}: unknown item type {item_type!r}; expected one of {', '.join(known)}.")


class UnknownItemOrder(InvalidArgumentsError):
    def __init__(self, order: str, known):
        super().__init__(f"order: unknown order {order!r}; expected one of {', '.join(known)}.")


class ItemBacksData(InvalidArgumentsError):
    def __init__(self, item_uuid: str, dataset_hash: str | None):
        super().__init__(f"Storage item {item_uuid} backs data units of dataset {dataset_hash}; remove them from the "
                         f"dataset before deleting the item.")


class FolderNotEmpty(InvalidArgumentsError):
    def __init__(self, folder_uuid: str, items: int, folders: int):
        super().__init__(f"Storage folder {folder_uuid} is not empty: it holds {items} items and {folders} folders; "
                         f"delete them first.")


class FolderBacksDataset(InvalidArgumentsError):
    def __init__(self, folder_uuid: str, dataset_hash: str):
        super().__init__(f"Storage folder {folder_uuid} backs dataset {dataset_hash} and is deleted with it.")


class UploadCountOutOfRange(InvalidArgumentsError):
    def __init__(self, count: int, maximum: int):
        super().__init__(f"count: {count} signed upload URLs asked; 1 to {maximum:,} are handed out at a time.")


class FolderMovedIntoItself(InvalidArgumentsError):
    def __init__(self, folder_uuid: str, new_parent: str):
        super().__init__(f"Storage folder {folder_uuid} cannot be moved into {new_parent}: that is the folder itself "
                         f"or one of its subfolders.")


class MirrorDatasetChange(InvalidArgumentsError):
    def __init__(self, folder_uuid: str, dataset_hash: str):
        super().__init__(f"Storage folder {folder_uuid} is mirrored by dataset {dataset_hash}: moving items out of or "
                         f"into it changes the dataset's data units; allow mirror dataset changes to move them.")


class MirrorDatasetMoveNotEmulated(InvalidArgumentsError):
    def __init__(self, dataset_hash: str):
        super().__init__(f"allowSyncedDatasetMove: changing the data units of mirror dataset {dataset_hash} by a "
                         f"move is not emulated.")



class DataGroupSize(InvalidArgumentsError):
    def __init__(self, index: int, count: int, maximum: int):
        super().__init__(f"Data group {index}: layoutContents holds {count} items; a data group holds 1 to "
                         f"{maximum} items.")


class NestedDataGroup(InvalidArgumentsError):
    def __init__(self, item_uuid: str):
        super().__init__(f"Storage item {item_uuid} is a data group; a data group cannot hold another one.")


class UnknownLayoutKey(InvalidArgumentsError):
    def __init__(self, index: int, where: str, key: str):
        super().__init__(f"Data group {index}: {where} names key {key!r}, which layoutContents does not hold.")


class NotAVideo(InvalidArgumentsError):
    def __init__(self, item_uuid: str, item_type: str):
        super().__init__(f"Storage item {item_uuid} is of type {item_type}; only videos are re-encoded.")


class ReencodingNotFound(ResourceNotFoundError):
    def __init__(self, process_hash: str):
        super().__init__(f"Re-encoding process {process_hash} does not exist.")


class NotFolderAdmin(AuthorisationError):
    def __init__(self, folder_uuid: str):
        super().__init__(f"Only an admin of the storage folder {folder_uuid} may change its configuration.")


class NotSyncAdmin(AuthorisationError):
    def __init__(self, folder_uuid: str):
        super().__init__(f"Only an admin of the storage folder {folder_uuid} may sync it with its bucket.")


class NotCloudSynced(InvalidArgumentsError):
    def __init__(self, folder_uuid: str):
        super().__init__(f"Storage folder {folder_uuid} is not a cloud-synced folder: only folders created with "
                         "cloud_synced_folder_params sync with a bucket.")


class UploadNotFound(ResourceNotFoundError):
    def __init__(self, data_hash: str):
        super().__init__(f"No file of yours was uploaded to Encord storage with data hash {data_hash}: ask for a "
                         "signed upload URL and upload the file first.")
