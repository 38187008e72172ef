from __future__ import annotations

from emulator.auth.models import ADMIN, role_of
from emulator.core import timefmt
from emulator.core.wire import LegacyRequest, RestRequest
from emulator.core.filters import ListingFilters
from emulator.organisation.responses import group_grant_handlers

USER_ROLES = {ADMIN: 0, "user": 1}


def ontology_wire(ontology: dict, user) -> dict:
    """OntologyWithUserRole: all seven keys (userRole may be null)."""
    return {"ontologyUuid": ontology["ontology_hash"], "title": ontology["title"],
            "description": ontology["description"], "editor": ontology["editor"],
            "createdAt": ontology["created_at"], "lastEditedAt": ontology["last_edited_at"],
            "userRole": USER_ROLES.get(role_of(user, ontology))}


def create_ontology(ctx: RestRequest) -> dict:
    ontology = ctx.backend.ontologies.create_ontology(ctx.user, ctx.body["title"], ctx.body.get("description", ""),
                                                      ctx.body.get("editor"))
    return ontology_wire(ontology, ctx.user)


def get_ontology(ctx: RestRequest, ontology_hash: str) -> dict:
    return ontology_wire(ctx.backend.ontologies.get_ontology(ctx.user, ontology_hash), ctx.user)


def update_ontology(ctx: RestRequest, ontology_hash: str) -> None:
    ctx.backend.ontologies.update_ontology(ctx.user, ontology_hash, ctx.body["title"],
                                           ctx.body.get("description", ""), ctx.body["editor"])


def list_ontologies(ctx: RestRequest) -> dict:
    ctx.flag("includeOrgAccess")
    found = ctx.backend.ontologies.list_ontologies(ctx.user, ListingFilters.from_query(ctx.args, "desc"))
    return ctx.page([ontology_wire(o, ctx.user) for o in found])


# -- legacy: the ontology calls of releases before they moved to /v2/public ------------------------------------------------

def legacy_ontology_wire(ontology: dict) -> dict:
    return {"ontology_hash": ontology["ontology_hash"], "title": ontology["title"],
            "description": ontology["description"], "editor": ontology["editor"],
            "created_at": timefmt.legacy(ontology["created_at"]),
            "last_edited_at": timefmt.legacy(ontology["last_edited_at"])}


def create_ontology_legacy(ctx: LegacyRequest) -> dict:
    ontology = ctx.backend.ontologies.create_ontology(ctx.user, ctx.payload["title"],
                                                      ctx.payload.get("description") or "", ctx.payload["editor"])
    return legacy_ontology_wire(ontology)


def get_ontology_legacy(ctx: LegacyRequest) -> dict:
    return legacy_ontology_wire(ctx.backend.ontologies.get_ontology(ctx.user, ctx.uid))


def update_ontology_legacy(ctx: LegacyRequest) -> bool:
    ctx.backend.ontologies.update_ontology(ctx.user, ctx.uid, ctx.payload["title"],
                                           ctx.payload.get("description") or "", ctx.payload["editor"])
    return True


def list_ontologies_legacy(ctx: LegacyRequest) -> list[dict]:
    found = ctx.backend.ontologies.list_ontologies(ctx.user, ListingFilters.from_legacy(ctx.payload))
    return [{"user_role": USER_ROLES[role_of(ctx.user, o)], "user_email": ctx.user.email,
             "ontology": legacy_ontology_wire(o)} for o in found]


list_groups, add_groups, remove_groups = group_grant_handlers(lambda backend: backend.ontologies.group_grants,
                                                               USER_ROLES)
