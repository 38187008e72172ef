from emulator.core.errors import InvalidArgumentsError, ResourceNotFoundError


class DatasetNotFound(ResourceNotFoundError):
    def __init__(self, dataset_hash: str):
        super().__init__(f"Dataset {dataset_hash} does not exist.")


class DataRowNotFound(ResourceNotFoundError):
    def __init__(self, data_hash: str):
        super().__init__(f"Data row {data_hash} does not exist in this dataset.")


class UnknownDataType(InvalidArgumentsError):
    def __init__(self, field: str, value: str, known):
        super().__init__(f"{field}: unknown data type {value!r}; expected one of {', '.join(known)}.")
