from emulator.core.errors import (
    AuthorisationError,
    InvalidArgumentsError,
    ResourceExistsError,
    ResourceNotFoundError,
    WrongProjectTypeError,
)


class ProjectNotFound(ResourceNotFoundError):
    def __init__(self, project_hash: str):
        super().__init__(f"Project {project_hash} does not exist.")


class DatasetNotInProject(InvalidArgumentsError):
    def __init__(self, dataset_hash: str):
        super().__init__(f"dataset_hashes: dataset {dataset_hash} is not attached to this project.")


class TaskInFinalStage(InvalidArgumentsError):
    def __init__(self, task_uuid: str, stage_title: str):
        super().__init__(f"taskUuid: task {task_uuid} is in the final stage {stage_title!r}; there is no stage to "
                         "move it to.")


class StageNotFound(ResourceNotFoundError):
    def __init__(self, stage_uuid: str):
        super().__init__(f"Workflow stage {stage_uuid} does not exist in this project.")


class ProjectExists(ResourceExistsError):
    def __init__(self, project_hash: str):
        super().__init__(f"Project {project_hash} already exists.", payload=project_hash)


class NotAWorkflowProject(WrongProjectTypeError):
    def __init__(self, project_hash: str):
        super().__init__(f"Project {project_hash} is a manual QA project: it has no workflow stages, tasks or "
                         "priorities.")


class NotAManualQaProject(WrongProjectTypeError):
    def __init__(self, project_hash: str):
        super().__init__(f"Project {project_hash} is a workflow project: its tasks move through the workflow "
                         "(task actions, workflow_complete, workflow_reopen), not by annotation task status.")


class NotProjectAdmin(AuthorisationError):
    def __init__(self, project_hash: str, action: str):
        super().__init__(f"Only an admin of project {project_hash} may {action}.")


class WorkflowTemplateNotFound(ResourceNotFoundError):
    def __init__(self, template_hash: str):
        super().__init__(f"Workflow template {template_hash} does not exist.")


class InvalidWorkflowGraph(InvalidArgumentsError):
    def __init__(self, problem: str):
        super().__init__(f"stages: {problem}")


class PathwayNotFound(InvalidArgumentsError):
    def __init__(self, stage_title: str, pathway: str, names: list[str]):
        super().__init__(f"pathway: agent stage {stage_title!r} has no pathway {pathway!r}; its pathways are "
                         + ", ".join(repr(n) for n in names) + ".")


class NotAllowedToCopyProject(AuthorisationError):
    def __init__(self, project_hash: str):
        super().__init__(f"Only an admin of project {project_hash} may copy it.")


class LabelsCopiedWithoutDatasets(InvalidArgumentsError):
    def __init__(self):
        super().__init__("copy_labels: labels are copied with the data units they label; copy the datasets too "
                         "(copy_datasets).")


class DataHashesOfAnotherDataset(InvalidArgumentsError):
    def __init__(self, dataset_hash: str):
        super().__init__(f"datasets_to_data_hashes_map: dataset {dataset_hash} is not attached to this project.")


class NotAllowedToEditOntology(AuthorisationError):
    def __init__(self, project_hash: str):
        super().__init__(f"Only an admin of project {project_hash} may change the ontology it labels with.")
