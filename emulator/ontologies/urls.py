from emulator.core.wire import RestRoute
from emulator.ontologies import responses

routes = [
    RestRoute("POST", "/ontologies", responses.create_ontology, "ontology", body_contract="ontology-request"),
    RestRoute("GET", "/ontologies", responses.list_ontologies, "ontologies-page", body_contract="no-body"),
    RestRoute("GET", "/ontologies/<ontology_hash>", responses.get_ontology, "ontology", body_contract="no-body"),
    RestRoute("PUT", "/ontologies/<ontology_hash>", responses.update_ontology, body_contract="ontology-update-request"),
]
