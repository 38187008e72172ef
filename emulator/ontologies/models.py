"""Ontologies: stored as sent (the editor JSON the SDK writes), checked against the contract and the service's rules."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from emulator.auth.models import MEMBER, GroupGrants, User, accessible, new_members, require_admin, role_of
from emulator.core import contracts, filters, timefmt
from emulator.core.store import Store
from emulator.ontologies import exceptions as exc
from emulator.organisation.models import OrganisationBackend

ONTOLOGIES = "ontology"
EMPTY_EDITOR = {"objects": [], "classifications": []}


@dataclass(frozen=True)
class Feature:
    """One feature node of an ontology: an object, a classification, an attribute or an option."""

    feature_hash: str
    kind: str  # object | classification | attribute | option
    path: str  # where it sits in the editor, e.g. /objects/0/attributes/1
    node: dict


def features(editor: dict) -> dict[str, Feature]:
    """Every feature node by its hash. A skeleton template shares its object's hash; its vertices carry hashes of
    their own that labels cite (``SkeletonTemplate.create_instance``), chosen by users and not required unique."""
    found: dict[str, Feature] = {}

    def add(node: dict, kind: str, path: str) -> None:
        feature_hash = node["featureNodeHash"]
        if feature_hash in found:
            raise exc.DuplicateFeatureHash(feature_hash, found[feature_hash].path, path)
        found[feature_hash] = Feature(feature_hash, kind, path, node)

    def attributes(items: list, path: str) -> None:
        for i, attribute in enumerate(items):
            add(attribute, "attribute", f"{path}/{i}")
            for j, option in enumerate(attribute.get("options", [])):
                add(option, "option", f"{path}/{i}/options/{j}")
                attributes(option.get("options", []), f"{path}/{i}/options/{j}/options")

    for i, obj in enumerate(editor.get("objects", [])):
        add(obj, "object", f"/objects/{i}")
        attributes(obj.get("attributes", []), f"/objects/{i}/attributes")
    for i, classification in enumerate(editor.get("classifications", [])):
        add(classification, "classification", f"/classifications/{i}")
        attributes(classification.get("attributes", []), f"/classifications/{i}/attributes")
    for i, template in enumerate(editor.get("skeleton_templates", [])):
        for key, vertex in ((template.get("template") or {}).get("skeleton") or {}).items():
            if vertex.get("featureHash"):
                found.setdefault(vertex["featureHash"], Feature(
                    vertex["featureHash"], "skeleton vertex", f"/skeleton_templates/{i}/template/skeleton/{key}",
                    vertex))
    return found


def check_editor(editor: dict) -> None:
    """The contract (shapes, one root attribute per classification, …) and unique feature hashes."""
    contracts.validate("ontology-editor", editor)
    features(editor)


class OntologyBackend:
    def __init__(self, store: Store, organisation: OrganisationBackend):
        self.store = store
        self.group_grants = GroupGrants(store, ONTOLOGIES, organisation, self.get_ontology, self.administered_ontology)

    def create_ontology(self, owner: User, title: str, description: str, editor: dict | None) -> dict:
        editor = editor if editor is not None else EMPTY_EDITOR
        check_editor(editor)
        now = timefmt.now_iso()
        ontology = {"ontology_hash": str(uuid.uuid4()), "title": title, "description": description,
                    "editor": editor, "created_at": now, "last_edited_at": now, "members": new_members(owner)}
        self.store.put(ONTOLOGIES, ontology["ontology_hash"], ontology)
        return ontology

    def get_ontology(self, user: User, ontology_hash: str) -> dict:
        return accessible(self.store, ONTOLOGIES, ontology_hash, user, exc.OntologyNotFound(ontology_hash))

    def administered_ontology(self, user: User, ontology_hash: str) -> dict:
        ontology = self.get_ontology(user, ontology_hash)
        require_admin(user, ontology, "ontology", ontology_hash)
        return ontology

    def admit_project_member(self, ontology_hash: str, member: User) -> None:
        """A user added to a project may read the ontology it labels with (a member already keeps their role)."""
        with self.store.transaction() as tx:
            ontology = tx.get(ONTOLOGIES, ontology_hash)
            ontology["members"].setdefault(member.user_hash, MEMBER)
            tx.put(ONTOLOGIES, ontology_hash, ontology)

    def update_ontology(self, user: User, ontology_hash: str, title: str, description: str, editor: dict) -> dict:
        with self.store.transaction() as tx:
            ontology = self.get_ontology(user, ontology_hash)
            check_editor(editor)
            ontology.update(title=title, description=description, editor=editor, last_edited_at=timefmt.now_iso())
            tx.put(ONTOLOGIES, ontology_hash, ontology)
        return ontology

    def set_editor(self, ontology_hash: str, editor: dict) -> dict:
        """A new structure for an ontology, as a project labelling with it saves one (the project's rule decides
        who may); it must be a valid structure as any other."""
        with self.store.transaction() as tx:
            check_editor(editor)
            ontology = tx.get(ONTOLOGIES, ontology_hash)
            ontology.update(editor=editor, last_edited_at=timefmt.now_iso())
            tx.put(ONTOLOGIES, ontology_hash, ontology)
        return ontology

    def list_ontologies(self, user: User, f: filters.ListingFilters) -> list[dict]:
        matches = f.matcher()
        found = self.store.find(ONTOLOGIES, lambda o: role_of(user, o) is not None and matches(o))
        return sorted(found, key=lambda o: o["created_at"])
