from emulator.core.errors import InvalidArgumentsError, ResourceNotFoundError


class FolderNotFound(ResourceNotFoundError):
    def __init__(self, folder_uuid: str):
        super().__init__(f"Storage folder {folder_uuid} does not exist.")


class ItemNotFound(ResourceNotFoundError):
    def __init__(self, item_uuid: str):
        super().__init__(f"Storage item {item_uuid} does not exist.")


class UnknownItemType(InvalidArgumentsError):
    def __init__(self, item_type: str, known):
        super().__init__(f"itemTypes: unknown item type {item_type!r}; expected one of {', '.join(known)}.")


class UnknownItemOrder(InvalidArgumentsError):
    def __init__(self, order: str, known):
        super().__init__(f"order: unknown order {order!r}; expected one of {', '.join(known)}.")
