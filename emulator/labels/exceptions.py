from emulator.core.errors import (AuthorisationError, EmulatorError, InvalidArgumentsError, MultiLabelLimitError,
                                  ResourceExistsError, ResourceNotFoundError)

MAX_LABEL_ROWS_PER_REQUEST = MultiLabelLimitError.maximum


class MultiLabelLimit(MultiLabelLimitError):
    def __init__(self, requested: int):
        super().__init__(f"{requested} label rows in one request; at most {MAX_LABEL_ROWS_PER_REQUEST} are allowed.")


class FeatureDoesNotExist(EmulatorError):
    code = "FEATURE_DOES_NOT_EXIST_ERROR"
    http_status = 400

    def __init__(self, feature_hash: str, where: str):
        super().__init__(f"Feature {feature_hash} ({where}) does not exist in the project ontology.")


class AnswerDictionaryIncomplete(EmulatorError):
    code = "ANSWER_DICTIONARY_ERROR"
    http_status = 400

    def __init__(self, object_hash: str):
        super().__init__(f"Object {object_hash} is labelled in data_units but has no entry in object_answers.")


class CorruptedLabel(EmulatorError):
    code = "CORRUPTED_LABEL_ERROR"
    http_status = 400


class LabelRowExists(ResourceExistsError):
    def __init__(self, data_hash: str, branch_name: str, label_hash: str):
        super().__init__(f"Data unit {data_hash} already has label row {label_hash} on branch {branch_name!r}.",
                         payload=f"label row {label_hash} exists for data unit {data_hash} on branch {branch_name!r}")


class LabelRowNotInitialised(ResourceNotFoundError):
    def __init__(self, label_hash: str, project_hash: str, branch_name: str):
        super().__init__(f"Label row {label_hash} was never initialised in project {project_hash} on branch "
                         f"{branch_name!r}: call initialise_labels() to create it before saving.")


class LabelRowNotFound(ResourceNotFoundError):
    def __init__(self, label_hash: str):
        super().__init__(f"Label row {label_hash} does not exist in this project.")


class DataUnitNotInProject(ResourceNotFoundError):
    def __init__(self, data_hash: str):
        super().__init__(f"Data unit {data_hash} does not belong to any dataset of this project.")


class LabelHashMismatch(InvalidArgumentsError):
    def __init__(self, requested: str, body: str):
        super().__init__(f"labels: the label row saved as {requested} carries label_hash {body}.")


class InvalidBranchName(InvalidArgumentsError):
    def __init__(self, branch_name: str):
        super().__init__(f"branch_name: {branch_name!r} may contain only letters, digits, hyphens, underscores "
                         "and periods.")


class BranchWithAllBranches(InvalidArgumentsError):
    def __init__(self):
        super().__init__("A branch name cannot be specified if include_all_label_branches is set to True.")


class InvalidWorkflowAction(InvalidArgumentsError):
    def __init__(self, action: str):
        super().__init__(f"action: unknown workflow action {action!r}; expected 'complete' or 'reopen'.")


class InvalidSignedUrl(EmulatorError):
    code = "AUTHORISATION_ERROR"
    http_status = 403


class TooManyObjects(InvalidArgumentsError):
    def __init__(self, label_hash: str, count: int, maximum: int):
        super().__init__(f"labels: label row {label_hash} has {count} objects; a label row may hold at most {maximum} "
                         "(max_objects_per_label_row).")


class TaskNotInStage(InvalidArgumentsError):
    def __init__(self, task_uuid: str, stage_uuid: str):
        super().__init__(f"taskUuid: task {task_uuid} is not in stage {stage_uuid}.")


class TasksAlreadyInStage(InvalidArgumentsError):
    def __init__(self, stage_title: str):
        super().__init__(f"destinationStageUuid: the tasks are already in stage {stage_title!r}.")


class NotAllowedToMoveTasks(AuthorisationError):
    def __init__(self, project_hash: str):
        super().__init__(f"Only an admin or a team manager of project {project_hash} may move its tasks between "
                         "workflow stages.")


class LabelReviewNotOfTask(InvalidArgumentsError):
    def __init__(self, review_uuid: str, task_uuid: str, stage_uuid: str):
        super().__init__(f"reviewUuid: {review_uuid} is not a label review of task {task_uuid} in stage {stage_uuid}.")


class LabelReviewNotInStatus(InvalidArgumentsError):
    def __init__(self, review_uuid: str, status: str, action: str, allowed_from: tuple[str, ...]):
        super().__init__(f"action: label review {review_uuid} is {status}; {action} applies to a review that is "
                         f"{' or '.join(allowed_from)}.")


class EditorLogsRangeRequired(InvalidArgumentsError):
    def __init__(self):
        super().__init__("startTime, endTime: editor logs are listed from a start to an end time; both are required.")


class EditorLogsRangeTooLong(InvalidArgumentsError):
    def __init__(self, days: int):
        super().__init__(f"startTime, endTime: the end must be after the start, at most {days} days later.")


class ActionNotOfStage(InvalidArgumentsError):
    def __init__(self, action: str, stage_title: str, stage_type: str):
        expected = ("its tasks proceed down a pathway (PATHWAY_ACTION)" if stage_type == "AGENT"
                    else "only tasks of an agent stage proceed down a pathway")
        super().__init__(f"action: {action} is not an action of {stage_type} stage {stage_title!r}; {expected}.")


class LabelRowNotOnBranch(ResourceNotFoundError):
    def __init__(self, label_hash: str, branch_name: str):
        super().__init__(f"Label row {label_hash} is not on branch {branch_name!r} of this project.")


class SameSourceAndTargetBranch(InvalidArgumentsError):
    def __init__(self, branch_name: str):
        super().__init__(f"target_branch_name: labels are copied from branch {branch_name!r} into another branch, "
                         "not into itself.")


class NothingToInterpolate(InvalidArgumentsError):
    def __init__(self):
        super().__init__("To run object interpolation, you must pass key frames and objects to interpolate.")


class NotAFrameNumber(InvalidArgumentsError):
    def __init__(self, key: str):
        super().__init__(f"key_frames: {key!r} is not a frame number.")


class ObjectInNoKeyFrame(InvalidArgumentsError):
    def __init__(self, object_hash: str):
        super().__init__(f"objects_to_interpolate: object {object_hash} is in none of the key frames.")


class ShapeNotInterpolated(InvalidArgumentsError):
    def __init__(self, object_hash: str, frame: int, shapes: tuple[str, ...]):
        super().__init__(f"key_frames: object {object_hash} on frame {frame} has no shape interpolation supports "
                         f"({', '.join(shapes)}).")


class ShapeChanged(InvalidArgumentsError):
    def __init__(self, object_hash: str, frame: int, shape: str, next_frame: int, next_shape: str):
        super().__init__(f"key_frames: object {object_hash} is a {shape} on frame {frame} and a {next_shape} on "
                         f"frame {next_frame}; interpolation needs the same shape.")


class VertexCountsDiffer(InvalidArgumentsError):
    def __init__(self, object_hash: str, shape: str, frame: int, next_frame: int):
        super().__init__(f"key_frames: the {shape} of object {object_hash} has different vertices on frames {frame} "
                         f"and {next_frame}; interpolation needs the same number of vertices.")
