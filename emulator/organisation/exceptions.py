from emulator.core.errors import (AuthorisationError, InvalidArgumentsError, ResourceExistsError,
                                  ResourceNotFoundError)


class NotOrganisationMember(AuthorisationError):
    def __init__(self, email: str):
        super().__init__(f"{email} is not a member of the organisation.")


class NotOrganisationAdmin(AuthorisationError):
    def __init__(self):
        super().__init__("Only an admin of the organisation may manage its users, tags and metadata schema.")


class AlreadyOrganisationMember(ResourceExistsError):
    def __init__(self, email: str):
        super().__init__(f"{email} is already a member of the organisation.")


class AdminMustBeInternal(InvalidArgumentsError):
    def __init__(self):
        super().__init__("memberType: only internal members can hold the ADMIN role.")


class NoAccount(ResourceNotFoundError):
    def __init__(self, email: str):
        super().__init__(f"No Encord account exists for the email {email}.")


class LastOrganisationAdmin(InvalidArgumentsError):
    def __init__(self, email: str):
        super().__init__(f"{email} is the organisation's last admin; the organisation keeps at least one.")


class GroupNotFound(ResourceNotFoundError):
    def __init__(self, group_hash: str):
        super().__init__(f"Group {group_hash} does not exist in the organisation.")


class NotGroupManager(AuthorisationError):
    def __init__(self, group_hash: str):
        super().__init__(f"Only a manager of group {group_hash} or an admin of the organisation may change it.")


class TagNotFound(ResourceNotFoundError):
    def __init__(self, tag_uuid: str):
        super().__init__(f"Tag {tag_uuid} does not exist in the organisation.")


class TagExists(ResourceExistsError):
    def __init__(self, name: str):
        super().__init__(f"A tag named {name!r} already exists in the organisation.")


class LegacyTypeNeedsSchema(InvalidArgumentsError):
    def __init__(self, key: str, legacy_type: str):
        super().__init__(f"{key}: a key of type {legacy_type} needs its {'values' if legacy_type == 'enum' else 'size'}; "
                         "add it with EncordUserClient.metadata_schema() instead.")


class OrganisationNotFound(ResourceNotFoundError):
    def __init__(self, organisation_id: str, the_id: int):
        super().__init__(f"Organisation {organisation_id} does not exist: the emulator's one organisation is "
                         f"{the_id}.")
