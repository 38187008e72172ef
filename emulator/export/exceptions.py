from emulator.core.errors import InvalidArgumentsError, ResourceNotFoundError


class UnknownLabelStatus(InvalidArgumentsError):
    def __init__(self, status: str, known):
        super().__init__(f"statuses: unknown label status {status!r}; expected one of {', '.join(known)}.")


class UnknownFeature(InvalidArgumentsError):
    def __init__(self, option: str, feature_hash: str, kind: str):
        super().__init__(f"{option}: {feature_hash} is no {kind} of the project's ontology.")


class LabelRowNotExportable(InvalidArgumentsError):
    def __init__(self, label_hash: str, project_hash: str, branch_name: str):
        super().__init__(f"label_hashes: {label_hash} is no label row of project {project_hash} on branch "
                         f"{branch_name!r}.")


class LabelVersionNotFound(ResourceNotFoundError):
    def __init__(self, export_hash: str, project_hash: str):
        super().__init__(f"Label version {export_hash} does not exist in project {project_hash}.")


class UnknownExporter(InvalidArgumentsError):
    def __init__(self, email: str):
        super().__init__(f"user_email: no user with email {email} is registered.")
