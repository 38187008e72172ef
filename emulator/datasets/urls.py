from emulator.core.wire import USER_SCOPE, LegacyRoute, RestRoute
from emulator.datasets import responses

routes = [
    RestRoute("POST", "/datasets", responses.create_dataset, "create-dataset-response",
              body_contract="create-dataset-request"),
    RestRoute("GET", "/datasets/list", responses.list_datasets, "datasets-list-response", body_contract="no-body"),
    LegacyRoute(USER_SCOPE, "dataset", "POST", responses.create_dataset_legacy, "created-dataset",
                uid_contract="ignored-value", payload_contract="create-dataset-payload"),
    LegacyRoute(USER_SCOPE, "datasetwithuserrole", "GET", responses.list_datasets_legacy, "datasets-with-user-role",
                uid_contract="ignored-value", payload_contract="listing-filter-payload"),
    LegacyRoute("dataset", "dataset", "GET", responses.get_dataset, "dataset",
                uid_contract="ignored-value", payload_contract="get-dataset-payload"),
    LegacyRoute("dataset", "datarows", "GET", responses.list_data_rows, "data-rows",
                uid_contract="ignored-value", payload_contract="list-data-rows-payload"),
    LegacyRoute("dataset", "datarow", "GET", responses.get_data_row, "data-row",
                uid_contract="hash-uid", payload_contract="get-data-row-payload"),
    LegacyRoute("dataset", "datarow", "POST", responses.save_data_row, "saved-data-row",
                uid_contract="hash-uid", payload_contract="save-data-row-payload"),
    LegacyRoute("dataset", "video", "POST", responses.rename_data, "rename-data-response",
                uid_contract="ignored-value", payload_contract="rename-data-payload"),
    LegacyRoute("dataset", "video", "DELETE", responses.delete_data,
                uid_contract="hashes-uid", payload_contract="ignored-value"),
    LegacyRoute("dataset", "datasetlinkitems", "POST", responses.link_items, "data-rows",
                uid_contract="hash-uid", payload_contract="dataset-link-items-payload"),
    LegacyRoute("dataset", "reencodevideotask", "PUT", responses.re_encode_data, "reencoding-task-id",
                uid_contract="ignored-value", payload_contract="reencode-data-payload"),
    LegacyRoute("dataset", "reencodevideotask", "GET", responses.re_encode_data_status, "reencoding-task",
                uid_contract="reencoding-task-id", payload_contract="ignored-value"),
    LegacyRoute("dataset", "datasetusers", "POST", responses.add_users, "dataset-users",
                uid_contract="ignored-value", payload_contract="dataset-users-payload"),
    RestRoute("GET", "/datasets/<dataset_hash>/users", responses.list_users, "dataset-users-page",
              body_contract="no-body"),
    RestRoute("POST", "/datasets/<dataset_hash>/users/bulk-delete", responses.remove_users,
              body_contract="remove-users-request"),
    RestRoute("GET", "/datasets/<dataset_hash>/groups", responses.list_groups, "entity-groups-page",
              body_contract="no-body"),
    RestRoute("POST", "/datasets/<dataset_hash>/groups", responses.add_groups, body_contract="dataset-groups-request"),
    RestRoute("DELETE", "/datasets/<dataset_hash>/groups", responses.remove_groups, body_contract="no-body"),
]

# (method, rule, view): unauthenticated, like the bucket blob the real service signs; the signature is the credential.
signed_routes = [
    ("GET", "/signed-client-metadata/<dataset_hash>/<data_hash>", responses.signed_client_metadata),
]
