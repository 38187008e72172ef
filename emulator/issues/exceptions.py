"""Task issues and issue tags."""
from emulator.core.errors import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError


class IssueNotFound(ResourceNotFoundError):
    def __init__(self, issue_uuid: str):
        super().__init__(f"Issue {issue_uuid} does not exist in this project.")


class IssueTagNotLinked(InvalidArgumentsError):
    def __init__(self, name: str, project_hash: str):
        super().__init__(f"issueTags: {name!r} is not an issue tag of project {project_hash}; link it with "
                         "add_issue_tags first.")


class FrameOutsideMedia(InvalidArgumentsError):
    def __init__(self, where: str, frame: int, frames: int):
        super().__init__(f"{where}: frame {frame} is outside the media (frames 0 to {frames - 1}).")


class AnnotationNotInLabels(InvalidArgumentsError):
    def __init__(self, annotation_id: str, data_hash: str):
        super().__init__(f"anchor/annotationId: {annotation_id} is no object or classification instance of the "
                         f"labels of data unit {data_hash}.")


class DataUnitHasNoSpaces(InvalidArgumentsError):
    def __init__(self, space_id: str, data_hash: str):
        super().__init__(f"anchor/spaceId: data unit {data_hash} has no spaces (no space {space_id!r}).")


class NotAllowedToLinkIssueTags(AuthorisationError):
    def __init__(self, project_hash: str):
        super().__init__(f"Only an admin of project {project_hash} may link issue tags to it.")


class NotAllowedToDeleteIssue(AuthorisationError):
    def __init__(self, issue_uuid: str):
        super().__init__(f"Only a project admin or its author may delete issue {issue_uuid}.")


class NotAllowedToDeleteAnnotationIssue(AuthorisationError):
    def __init__(self, issue_uuid: str):
        super().__init__(f"Only a project admin may delete annotation issue {issue_uuid}.")
