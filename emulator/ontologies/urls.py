from emulator.core.wire import RestRoute
from emulator.ontologies import responses

routes = [
    RestRoute("POST", "/ontologies", responses.create_ontology, "ontology"),
    RestRoute("GET", "/ontologies", responses.list_ontologies, "ontologies-page"),
    RestRoute("GET", "/ontologies/<ontology_hash>", responses.get_ontology, "ontology"),
    RestRoute("PUT", "/ontologies/<ontology_hash>", responses.update_ontology),
]
