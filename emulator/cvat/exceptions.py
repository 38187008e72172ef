"""CVAT import errors."""
from emulator.core.errors import InvalidArgumentsError, ResourceNotFoundError


class NotACvatExport(InvalidArgumentsError):
    def __init__(self, problem: str):
        super().__init__(f"annotationsBase64: not a CVAT for images 1.1 export: {problem}.")


class CvatImportNotFound(ResourceNotFoundError):
    def __init__(self, import_uuid: str):
        super().__init__(f"CVAT import {import_uuid} does not exist.")
