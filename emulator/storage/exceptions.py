from emulator.core.errors import ResourceNotFoundError


class FolderNotFound(ResourceNotFoundError):
    def __init__(self, folder_uuid: str):
        super().__init__(f"Storage folder {folder_uuid} does not exist.")
