from emulator.core.errors import InvalidArgumentsError, ResourceNotFoundError


class ProjectCollectionNotFound(ResourceNotFoundError):
    def __init__(self, project_hash: str, collection_uuid: str):
        super().__init__(f"Project {project_hash} has no collection {collection_uuid}.")


class ProjectPresetNotFound(ResourceNotFoundError):
    def __init__(self, project_hash: str, preset_uuid: str):
        super().__init__(f"Project {project_hash} has no filter preset {preset_uuid}.")


class LabelsOfAFrameCollection(InvalidArgumentsError):
    def __init__(self, collection_uuid: str):
        super().__init__(f"getLabels: collection {collection_uuid} is a frame collection; it holds no labels.")



class ProjectNotImported(InvalidArgumentsError):
    def __init__(self, project_hash: str):
        super().__init__(f"Project {project_hash} has not been imported into Active; import it first "
                         "(Project.active_import).")
