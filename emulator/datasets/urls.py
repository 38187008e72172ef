from emulator.core.wire import LegacyRoute, RestRoute
from emulator.datasets import responses

routes = [
    RestRoute("POST", "/datasets", responses.create_dataset, "create-dataset-response"),
    RestRoute("GET", "/datasets/list", responses.list_datasets, "datasets-list-response"),
    LegacyRoute("dataset", "dataset", "GET", responses.get_dataset, "dataset"),
    LegacyRoute("dataset", "datarows", "GET", responses.list_data_rows, "data-rows"),
    LegacyRoute("dataset", "datarow", "GET", responses.get_data_row, "data-row"),
]

# (method, rule, view): unauthenticated, like the bucket blob the real service signs; the signature is the credential.
signed_routes = [
    ("GET", "/signed-client-metadata/<dataset_hash>/<data_hash>", responses.signed_client_metadata),
]
