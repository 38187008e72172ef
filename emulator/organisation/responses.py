"""Organisation requests on the wire: its members and its groups, as the SDK's OrganisationUser, Group and
GroupUser read them."""

from __future__ import annotations

from typing import Any, Callable, Mapping

from emulator.auth.models import GroupGrants
from emulator.core.wire import RestRequest
from emulator.organisation import exceptions as exc
from emulator.organisation.models import ROLE_UUIDS, legacy_metadata_types

ORGANISATION_ID = 1  # the emulator's one organisation


def _member_wire(membership: dict) -> dict:
    return {"email": membership["email"], "roleMnemonicName": membership["role"],
            "roleUuid": ROLE_UUIDS[membership["role"]], "memberType": membership["member_type"],
            "createdAt": membership["created_at"], "lastEditedAt": membership["last_edited_at"]}


def group_wire(group: dict) -> dict:
    return {"groupHash": group["group_hash"], "name": group["name"], "description": group["description"],
            "createdAt": group["created_at"]}


def _group_users_wire(ctx: RestRequest, emails: list[str]) -> dict:
    return ctx.page([{"userEmail": email} for email in emails])


def list_users(ctx: RestRequest) -> dict:
    return ctx.page([_member_wire(m) for m in ctx.backend.organisation.members(ctx.user)])


def add_user(ctx: RestRequest) -> None:
    ctx.backend.organisation.add_member(ctx.user, ctx.body["email"], ctx.body["roleMnemonicName"],
                                        ctx.body["memberType"])


def remove_user(ctx: RestRequest, email: str) -> None:
    ctx.backend.organisation.remove_member(ctx.user, email, ctx.backend.users.is_registered)


def create_group(ctx: RestRequest) -> dict:
    return group_wire(ctx.backend.organisation.create_group(ctx.user, ctx.body["name"],
                                                            ctx.body.get("description") or ""))


def list_groups(ctx: RestRequest) -> dict:
    return ctx.page([group_wire(g) for g in ctx.backend.organisation.groups(ctx.user)])


def get_group(ctx: RestRequest, group_hash: str) -> dict:
    return group_wire(ctx.backend.organisation.get_group(ctx.user, group_hash))


def update_group(ctx: RestRequest, group_hash: str) -> dict:
    changes = {key: ctx.body[key] for key in ("name", "description") if ctx.body.get(key) is not None}
    return group_wire(ctx.backend.organisation.update_group(ctx.user, group_hash, changes))


def delete_group(ctx: RestRequest, group_hash: str) -> None:
    ctx.backend.organisation.delete_group(ctx.user, group_hash)


def list_group_users(ctx: RestRequest, group_hash: str) -> dict:
    return _group_users_wire(ctx, ctx.backend.organisation.get_group(ctx.user, group_hash)["members"])


def add_group_users(ctx: RestRequest, group_hash: str) -> dict:
    return _group_users_wire(ctx, ctx.backend.organisation.add_group_users(ctx.user, group_hash,
                                                                          ctx.body["userEmails"]))


def remove_group_users(ctx: RestRequest, group_hash: str) -> None:
    ctx.backend.organisation.remove_group_users(ctx.user, group_hash, ctx.body["userEmails"])


def tag_wire(tag: dict) -> dict:
    return {"uuid": tag["uuid"], "name": tag["name"]}


def list_tags(ctx: RestRequest) -> dict:
    return ctx.page([tag_wire(t) for t in ctx.backend.organisation.tags(ctx.user)])


def create_tag(ctx: RestRequest) -> dict:
    return tag_wire(ctx.backend.organisation.create_tag(ctx.user, ctx.body["name"], ctx.body.get("description")))


def delete_tag(ctx: RestRequest, tag_uuid: str) -> None:
    ctx.backend.organisation.delete_tag(ctx.user, tag_uuid)


def get_metadata_schema(ctx: RestRequest) -> dict | None:
    """MetadataSchema: the options by key (JSON null before a schema is saved)."""
    saved = ctx.backend.organisation.metadata_schema(ctx.user)
    return saved["options"] if saved is not None else None


def save_metadata_schema(ctx: RestRequest) -> None:
    ctx.backend.organisation.save_metadata_schema(ctx.user, ctx.body)


def get_legacy_metadata_schema(ctx: RestRequest) -> dict | None:
    """orm.ClientMetadataSchema, of the organisation's one schema (JSON null before a schema is saved)."""
    saved = ctx.backend.organisation.metadata_schema(ctx.user)
    if saved is None:
        return None
    return {"uuid": saved["uuid"], "metadataSchema": legacy_metadata_types(saved["options"]),
            "organisationId": ORGANISATION_ID, "createdAt": saved["created_at"], "updatedAt": saved["updated_at"]}


def save_legacy_metadata_schema(ctx: RestRequest) -> None:
    ctx.backend.organisation.save_legacy_metadata_schema(ctx.user, ctx.body)


def the_organisation(organisation_id: str) -> None:
    """Releases 0.1.113 to 0.1.116 name the organisation on the path: the emulator has one."""
    if organisation_id != str(ORGANISATION_ID):
        raise exc.OrganisationNotFound(organisation_id, ORGANISATION_ID)


def get_organisations_legacy_metadata_schema(ctx: RestRequest, organisation_id: str) -> dict | None:
    the_organisation(organisation_id)
    return get_legacy_metadata_schema(ctx)


def save_organisations_legacy_metadata_schema(ctx: RestRequest, organisation_id: str) -> None:
    the_organisation(organisation_id)
    save_legacy_metadata_schema(ctx)


def group_grant_handlers(grants_of: Callable[[Any], GroupGrants], role_wire: Mapping[str, Any]):
    """The three calls of a resource's groups (``list_groups``, ``add_group``, ``remove_group``), for the resources
    whose backend ``grants_of`` names; ``role_wire`` is each role's value on the wire, as the SDK's role enum of that
    resource reads it. The resource is the one path parameter."""
    role_names = {wire: name for name, wire in role_wire.items()}

    def list_groups(ctx: RestRequest, **path: str) -> dict:
        found = grants_of(ctx.backend).list(ctx.user, *path.values())
        return ctx.page([{**group_wire(group), "isSameOrganisation": True, "userRole": role_wire[role]}
                         for group, role in found])

    def add_groups(ctx: RestRequest, **path: str) -> None:
        grants_of(ctx.backend).add(ctx.user, *path.values(), ctx.body["groupHashList"],
                                   role_names[ctx.body["userRole"]])

    def remove_groups(ctx: RestRequest, **path: str) -> None:
        grants_of(ctx.backend).remove(ctx.user, *path.values(), ctx.arg_list("groupHashList"))

    return list_groups, add_groups, remove_groups
