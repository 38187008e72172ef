"""Organisation requests on the wire: its members and its groups, as the SDK's OrganisationUser, Group and
GroupUser read them."""

from __future__ import annotations

from emulator.core.wire import RestRequest
from emulator.organisation.models import ROLE_UUIDS


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
