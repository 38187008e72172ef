from emulator.core.wire import LegacyRoute, RestRoute
from emulator.labels import responses

routes = [
    LegacyRoute("project", "labelrowmetadata", "GET", responses.list_label_rows, "label-row-metadata-list",
                uid_contract="ignored-value", payload_contract="label-row-listing-payload"),
    LegacyRoute("project", "labelrow", "PUT", responses.create_label_rows, "label-rows",
                uid_contract="hashes-uid", payload_contract="label-row-create-payload"),
    LegacyRoute("project", "labelrow", "GET", responses.get_label_rows, "label-rows",
                uid_contract="hashes-uid", payload_contract="label-row-get-payload"),
    LegacyRoute("project", "labelrow", "POST", responses.save_label_rows,
                uid_contract="hashes-uid", payload_contract="label-row-save-payload"),
    LegacyRoute("project", "datasetdata", "GET", responses.get_data, "dataset-data",
                uid_contract="dataset-data-uid", payload_contract="ignored-value"),
    LegacyRoute("project", "labelworkflowgraphnode", "POST", responses.workflow_action,
                uid_contract="hashes-uid", payload_contract="workflow-node-payload"),
    RestRoute("POST", "/projects/<project_hash>/priorities", responses.set_priorities,
              body_contract="priorities-request"),
    RestRoute("GET", "/projects/<project_hash>/workflow/stages/<stage_uuid>/tasks", responses.stage_tasks,
              "workflow-tasks-page", body_contract="no-body"),
    RestRoute("POST", "/projects/<project_hash>/workflow/stages/<stage_uuid>/actions", responses.stage_actions,
              body_contract="workflow-actions-request"),
    RestRoute("POST", "/projects/<project_hash>/workflow/stages/<stage_uuid>/move-tasks", responses.move_tasks,
              body_contract="workflow-move-tasks-request"),
    RestRoute("GET", "/projects/<project_hash>/labels/<label_hash>/validation-state", responses.validation_state,
              body_contract="no-body"),
]
