from emulator.core.errors import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError


class DatasetNotFound(ResourceNotFoundError):
    def __init__(self, dataset_hash: str):
        super().__init__(f"Dataset {dataset_hash} does not exist.")


class DataRowNotFound(ResourceNotFoundError):
    def __init__(self, data_hash: str):
        super().__init__(f"Data row {data_hash} does not exist in this dataset.")


class UnknownDataType(InvalidArgumentsError):
    def __init__(self, field: str, value: str, known):
        super().__init__(f"{field}: unknown data type {value!r}; expected one of {', '.join(known)}.")


class NotDatasetAdmin(AuthorisationError):
    def __init__(self, dataset_hash: str):
        super().__init__(f"Only an admin of dataset {dataset_hash} may edit its data or its collaborators.")


class DataTitleTooLong(InvalidArgumentsError):
    def __init__(self, title: str, limit: int):
        super().__init__(f"title: '{title[:40]}…' is {len(title)} characters long; at most {limit} are supported.")


class ItemAlreadyLinked(InvalidArgumentsError):
    def __init__(self, item_uuid: str, dataset_hash: str):
        super().__init__(f"Storage item {item_uuid} is already linked to dataset {dataset_hash}; link it with the "
                         f"DUPLICATE or SKIP behaviour to add it again or leave it.")


class ItemTypeNotLinkable(InvalidArgumentsError):
    def __init__(self, item_uuid: str, item_type: str):
        super().__init__(f"Storage item {item_uuid} is of type {item_type}: linking such items to a dataset is not "
                         f"emulated (their frames are not items of their own here).")


class NotAVideoDataRow(InvalidArgumentsError):
    def __init__(self, data_hash: str, data_type: str):
        super().__init__(f"Data row {data_hash} is of type {data_type}; only videos are re-encoded.")


class ReencodingTaskNotFound(ResourceNotFoundError):
    def __init__(self, job_id):
        super().__init__(f"Re-encoding task {job_id} does not exist in this dataset.")
