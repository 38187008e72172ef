from __future__ import annotations

from emulator.auth.models import ADMIN, role_of
from emulator.core.wire import RestRequest
from emulator.core.filters import ListingFilters

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
