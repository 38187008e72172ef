from emulator.core.wire import USER_SCOPE, LegacyRoute, RestRoute
from emulator.ontologies import responses

routes = [
    RestRoute("POST", "/ontologies", responses.create_ontology, "ontology", body_contract="ontology-request"),
    RestRoute("GET", "/ontologies", responses.list_ontologies, "ontologies-page", body_contract="no-body"),
    RestRoute("GET", "/ontologies/<ontology_hash>", responses.get_ontology, "ontology", body_contract="no-body"),
    RestRoute("PUT", "/ontologies/<ontology_hash>", responses.update_ontology, body_contract="ontology-update-request"),
    LegacyRoute(USER_SCOPE, "ontology", "POST", responses.create_ontology_legacy, "legacy-ontology",
                uid_contract="ignored-value", payload_contract="ontology-payload"),
    LegacyRoute(USER_SCOPE, "ontologywithuserrole", "GET", responses.list_ontologies_legacy,
                "ontologies-with-user-role", uid_contract="ignored-value", payload_contract="listing-filter-payload"),
    LegacyRoute("ontology", "ontology", "GET", responses.get_ontology_legacy, "legacy-ontology",
                uid_contract="hash-uid", payload_contract="ignored-value"),
    LegacyRoute("ontology", "ontology", "PUT", responses.update_ontology_legacy,
                uid_contract="hash-uid", payload_contract="ontology-payload"),
    RestRoute("GET", "/ontologies/<ontology_hash>/groups", responses.list_groups, "entity-groups-page",
              body_contract="no-body"),
    RestRoute("POST", "/ontologies/<ontology_hash>/groups", responses.add_groups,
              body_contract="ontology-groups-request"),
    RestRoute("DELETE", "/ontologies/<ontology_hash>/groups", responses.remove_groups, body_contract="no-body"),
]
