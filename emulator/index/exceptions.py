from emulator.core.errors import InvalidArgumentsError, ResourceNotFoundError


class CollectionNotFound(ResourceNotFoundError):
    def __init__(self, collection_uuid: str):
        super().__init__(f"Collection {collection_uuid} does not exist.")


class PresetNotFound(ResourceNotFoundError):
    def __init__(self, preset_uuid: str):
        super().__init__(f"Filter preset {preset_uuid} does not exist.")


class TopLevelFolderRequired(InvalidArgumentsError):
    def __init__(self):
        super().__init__("topLevelFolderUuid: a collection is created in a top-level folder; name one.")


class NotATopLevelFolder(InvalidArgumentsError):
    def __init__(self, folder_uuid: str):
        super().__init__(f"topLevelFolderUuid: storage folder {folder_uuid} is not a top-level folder.")


class UnappliedPresetFilter(InvalidArgumentsError):
    def __init__(self, index: int, filter_json: str):
        super().__init__(f"filter {index} of the preset, {filter_json}, is not one the emulator applies: it applies "
                         "client metadata filters ({\"key\", \"include\", \"values\", \"type\"}, as Encord's "
                         "documentation shows them); the rest of the filter language is not published.")
