from emulator.core.errors import InvalidArgumentsError, ResourceNotFoundError


class OntologyNotFound(ResourceNotFoundError):
    def __init__(self, ontology_hash: str):
        super().__init__(f"Ontology {ontology_hash} does not exist.")


class DuplicateFeatureHash(InvalidArgumentsError):
    def __init__(self, feature_hash: str, first: str, second: str):
        super().__init__(f"editor: feature hash {feature_hash} is used by both {first} and {second}; feature hashes "
                         "must be unique within an ontology.")
