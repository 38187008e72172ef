from emulator.core.wire import LegacyRoute, RestRoute
from emulator.labels import responses

routes = [
    LegacyRoute("project", "labelrowmetadata", "GET", responses.list_label_rows, "label-row-metadata-list"),
    LegacyRoute("project", "labelrow", "PUT", responses.create_label_rows, "label-rows"),
    LegacyRoute("project", "labelrow", "GET", responses.get_label_rows, "label-rows"),
    LegacyRoute("project", "labelrow", "POST", responses.save_label_rows),
    LegacyRoute("project", "datasetdata", "GET", responses.get_data, "dataset-data"),
    LegacyRoute("project", "labelworkflowgraphnode", "POST", responses.workflow_action),
    RestRoute("POST", "/projects/<project_hash>/priorities", responses.set_priorities),
    RestRoute("GET", "/projects/<project_hash>/workflow/stages/<stage_uuid>/tasks", responses.stage_tasks,
              "workflow-tasks-page"),
    RestRoute("POST", "/projects/<project_hash>/workflow/stages/<stage_uuid>/actions", responses.stage_actions),
    RestRoute("GET", "/projects/<project_hash>/labels/<label_hash>/validation-state", responses.validation_state),
]
