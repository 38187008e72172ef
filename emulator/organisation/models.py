"""The organisation: who belongs to it with which organisation role, its groups of users, its tags and the schema
of its client metadata.

An emulator is one organisation. Every user registered (through the control API, or on first use in open mode)
joins it: the first as its admin, the others as internal members. Its admins add and remove members by email (an
email with no account yet is a member waiting to register). Groups are the organisation's: a group added to a
project, dataset, ontology or storage folder gives its members that role there (see ``auth.models.role_of``).
Tags are the organisation's too, made and deleted by its admins, attached to projects by theirs. The client metadata
schema (one per organisation, each save replacing it) is kept as ``MetadataSchema`` reads it; the legacy calls read
and write it in their simple types.
"""

from __future__ import annotations

import uuid
from typing import Callable

from emulator.auth.models import User
from emulator.core import timefmt
from emulator.core.store import Store
from emulator.organisation import exceptions as exc

ORGANISATION_MEMBERS = "organisation_member"
GROUPS = "group"
TAGS = "organisation_tag"
METADATA_SCHEMAS = "client_metadata_schema"
METADATA_SCHEMA_KEY = "organisation"

# The legacy schema's simple types, as the schema's options (scalars as the SDK's add_scalar writes them); enum
# values and embedding sizes it cannot say.
LEGACY_TYPES = {
    "number": {"ty": "variant", "hint": "number"}, "string": {"ty": "variant", "hint": "varchar"},
    "long_string": {"ty": "variant", "hint": "text"}, "boolean": {"ty": "variant", "hint": "boolean"},
    "datetime": {"ty": "variant", "hint": "datetime"}, "geospatial": {"ty": "geospatial"},
}
# An option's legacy type: by its ty, or by its hint for a variant (a uuid, a user or a deleted key has none).
LEGACY_TYPE_OF = {"number": "number", "varchar": "string", "string": "string", "text": "long_string",
                  "long_string": "long_string", "boolean": "boolean",
                  "datetime": "datetime", "geospatial": "geospatial", "enum": "enum", "embedding": "embedding"}

ADMIN = "ADMIN"
MEMBER = "MEMBER"
ROLES = (ADMIN, MEMBER, "TASKER", "WORKFORCE_MANAGER")
ROLE_UUIDS = {role: str(uuid.uuid5(uuid.NAMESPACE_URL, f"encord-emulator/organisation-role/{role}")) for role in ROLES}
INTERNAL = "internal"


class OrganisationBackend:
    def __init__(self, store: Store):
        self.store = store

    # -- members ----------------------------------------------------------------------------------------------------

    def admit_registered_user(self, user: User) -> None:
        """A newly registered user joins the organisation: the first one as its admin, the others as internal
        members; one an admin added before they registered keeps the membership given."""
        with self.store.transaction() as tx:
            if tx.get(ORGANISATION_MEMBERS, user.email) is None:
                role = MEMBER if self.store.find(ORGANISATION_MEMBERS) else ADMIN
                tx.put(ORGANISATION_MEMBERS, user.email, _membership(user.email, role, INTERNAL))

    def member(self, user: User) -> dict:
        """The caller's membership: the organisation's calls are its members' only."""
        membership = self.store.get(ORGANISATION_MEMBERS, user.email)
        if membership is None:
            raise exc.NotOrganisationMember(user.email)
        return membership

    def administering_member(self, user: User) -> dict:
        """Members are added and removed, tags made and deleted and the metadata schema saved by the organisation's
        admins only."""
        membership = self.member(user)
        if membership["role"] != ADMIN:
            raise exc.NotOrganisationAdmin()
        return membership

    def members(self, user: User) -> list[dict]:
        self.member(user)
        return sorted(self.store.find(ORGANISATION_MEMBERS), key=lambda m: (m["created_at"], m["email"]))

    def add_member(self, user: User, email: str, role: str, member_type: str) -> None:
        """Only internal members can hold the ADMIN role; a member already there is refused."""
        with self.store.transaction() as tx:
            self.administering_member(user)
            if role == ADMIN and member_type != INTERNAL:
                raise exc.AdminMustBeInternal()
            if tx.get(ORGANISATION_MEMBERS, email) is not None:
                raise exc.AlreadyOrganisationMember(email)
            tx.put(ORGANISATION_MEMBERS, email, _membership(email, role, member_type))

    def remove_member(self, user: User, email: str, is_registered: Callable[[str], bool]) -> None:
        """An email of no account is not found; one of an account outside the organisation changes nothing. The
        organisation keeps at least one admin, and the removed leave its groups."""
        with self.store.transaction() as tx:
            self.administering_member(user)
            membership = tx.get(ORGANISATION_MEMBERS, email)
            if membership is None:
                if not is_registered(email):
                    raise exc.NoAccount(email)
                return
            admins = {m["email"] for m in self.store.find(ORGANISATION_MEMBERS, lambda m: m["role"] == ADMIN)}
            if admins == {email}:
                raise exc.LastOrganisationAdmin(email)
            tx.delete(ORGANISATION_MEMBERS, email)
            for group in self.store.find(GROUPS, lambda g: email in g["members"]):
                self._leave(group, [email])

    # -- groups -----------------------------------------------------------------------------------------------------

    def group_hashes_of(self, email: str) -> frozenset[str]:
        """The groups a user belongs to (what a group added to a resource grants them)."""
        return frozenset(g["group_hash"] for g in self.store.find(GROUPS, lambda g: email in g["members"]))

    def create_group(self, user: User, name: str, description: str) -> dict:
        """Any member may make a group; they are its first member and its manager."""
        self.member(user)
        now = timefmt.now_iso()
        group = {"group_hash": str(uuid.uuid4()), "name": name, "description": description, "created_at": now,
                 "last_edited_at": now, "members": [user.email], "managers": [user.email]}
        self.store.put(GROUPS, group["group_hash"], group)
        return group

    def get_group(self, user: User, group_hash: str) -> dict:
        self.member(user)
        group = self.store.get(GROUPS, group_hash)
        if group is None:
            raise exc.GroupNotFound(group_hash)
        return group

    def groups(self, user: User) -> list[dict]:
        self.member(user)
        return sorted(self.store.find(GROUPS), key=lambda g: g["created_at"])

    def existing_groups(self, group_hashes: list[str]) -> dict[str, dict]:
        """The organisation's groups among ``group_hashes`` (a deleted group grants nothing any more)."""
        return {h: g for h in group_hashes if (g := self.store.get(GROUPS, h)) is not None}

    def require_groups(self, user: User, group_hashes: list[str]) -> None:
        """Groups given access to a resource must be the organisation's."""
        for group_hash in group_hashes:
            self.get_group(user, group_hash)

    def managed_group(self, user: User, group_hash: str) -> dict:
        """A group is changed by its managers and by the organisation's admins."""
        group = self.get_group(user, group_hash)
        if user.email not in group["managers"] and self.member(user)["role"] != ADMIN:
            raise exc.NotGroupManager(group_hash)
        return group

    def update_group(self, user: User, group_hash: str, changes: dict) -> dict:
        with self.store.transaction() as tx:
            group = self.managed_group(user, group_hash)
            group.update(changes, last_edited_at=timefmt.now_iso())
            tx.put(GROUPS, group_hash, group)
        return group

    def delete_group(self, user: User, group_hash: str) -> None:
        self.managed_group(user, group_hash)
        self.store.delete(GROUPS, group_hash)

    def add_group_users(self, user: User, group_hash: str, emails: list[str]) -> list[str]:
        """Every email must be a member of the organisation; the group's members after the addition."""
        with self.store.transaction() as tx:
            group = self.managed_group(user, group_hash)
            for email in emails:
                if tx.get(ORGANISATION_MEMBERS, email) is None:
                    raise exc.NotOrganisationMember(email)
            group["members"] = list(dict.fromkeys(group["members"] + emails))
            group["last_edited_at"] = timefmt.now_iso()
            tx.put(GROUPS, group_hash, group)
        return group["members"]

    def remove_group_users(self, user: User, group_hash: str, emails: list[str]) -> None:
        """Emails not in the group are ignored."""
        with self.store.transaction():
            self._leave(self.managed_group(user, group_hash), emails)

    def _leave(self, group: dict, emails: list[str]) -> None:
        group["members"] = [e for e in group["members"] if e not in emails]
        group["managers"] = [e for e in group["managers"] if e not in emails]
        group["last_edited_at"] = timefmt.now_iso()
        self.store.put(GROUPS, group["group_hash"], group)

    # -- tags -------------------------------------------------------------------------------------------------------

    def tags(self, user: User) -> list[dict]:
        self.member(user)
        return sorted(self.store.find(TAGS), key=lambda t: t["name"])

    def get_tag(self, user: User, tag_uuid: str) -> dict:
        self.member(user)
        tag = self.store.get(TAGS, tag_uuid)
        if tag is None:
            raise exc.TagNotFound(tag_uuid)
        return tag

    def existing_tags(self, tag_uuids: list[str]) -> list[dict]:
        """The organisation's tags among ``tag_uuids`` (a deleted tag is detached from everything)."""
        return [t for u in tag_uuids if (t := self.store.get(TAGS, u)) is not None]

    def create_tag(self, user: User, name: str, description: str | None) -> dict:
        """A tag's name is unique in the organisation."""
        with self.store.transaction() as tx:
            self.administering_member(user)
            if self.store.find(TAGS, lambda t: t["name"] == name):
                raise exc.TagExists(name)
            tag = {"uuid": str(uuid.uuid4()), "name": name, "description": description or "",
                   "created_at": timefmt.now_iso()}
            tx.put(TAGS, tag["uuid"], tag)
        return tag

    def delete_tag(self, user: User, tag_uuid: str) -> None:
        with self.store.transaction() as tx:
            self.administering_member(user)
            self.get_tag(user, tag_uuid)
            tx.delete(TAGS, tag_uuid)

    # -- client metadata schema -------------------------------------------------------------------------------------

    def metadata_schema(self, user: User) -> dict | None:
        """The organisation's client metadata schema, if one was saved."""
        self.member(user)
        return self.store.get(METADATA_SCHEMAS, METADATA_SCHEMA_KEY)

    def save_metadata_schema(self, user: User, options: dict[str, dict]) -> None:
        """A save replaces the whole schema (keys deleted in it stay as tombstones, as the SDK keeps them)."""
        with self.store.transaction() as tx:
            self.administering_member(user)
            now = timefmt.now_iso()
            saved = tx.get(METADATA_SCHEMAS, METADATA_SCHEMA_KEY) or {"uuid": str(uuid.uuid4()), "created_at": now}
            tx.put(METADATA_SCHEMAS, METADATA_SCHEMA_KEY, {**saved, "options": options, "updated_at": now})

    def save_legacy_metadata_schema(self, user: User, types: dict[str, str]) -> None:
        """The legacy schema names a simple type per key; an enum or an embedding needs its values or its size,
        which only the schema's own calls say."""
        for key, legacy_type in types.items():
            if legacy_type not in LEGACY_TYPES:
                raise exc.LegacyTypeNeedsSchema(key, legacy_type)
        self.save_metadata_schema(user, {key: LEGACY_TYPES[t] for key, t in types.items()})


def legacy_metadata_types(options: dict[str, dict]) -> dict[str, str]:
    """The schema in the legacy simple types: the keys of a type the legacy schema has."""
    types = {key: LEGACY_TYPE_OF.get(option.get("hint") if option["ty"] == "variant" else option["ty"])
             for key, option in options.items()}
    return {key: legacy_type for key, legacy_type in types.items() if legacy_type is not None}


def _membership(email: str, role: str, member_type: str) -> dict:
    now = timefmt.now_iso()
    return {"email": email, "role": role, "member_type": member_type, "created_at": now, "last_edited_at": now}
