from emulator.core.wire import LegacyRoute, RestRoute, USER_SCOPE
from emulator.projects import responses

routes = [
    LegacyRoute(USER_SCOPE, "project", "POST", responses.create_project,
                uid_contract="ignored-value", payload_contract="create-project-payload"),
    RestRoute("GET", "/projects", responses.list_projects, "projects-page", body_contract="no-body"),
    RestRoute("GET", "/projects/<project_hash>", responses.get_project, "project", body_contract="no-body"),
    RestRoute("GET", "/projects/<project_hash>/datasets", responses.list_project_datasets, body_contract="no-body"),
    LegacyRoute("project", "projectdataset", "POST", responses.add_datasets,
                uid_contract="ignored-value", payload_contract="project-datasets-payload"),
    LegacyRoute("project", "projectdataset", "DELETE", responses.remove_datasets,
                uid_contract="hashes-uid", payload_contract="ignored-value"),
    LegacyRoute(USER_SCOPE, "projectwithuserrole", "GET", responses.list_projects_legacy, "projects-with-user-role",
                uid_contract="ignored-value", payload_contract="listing-filter-payload"),
    LegacyRoute("project", "project", "GET", responses.get_project_legacy, "legacy-project",
                uid_contract="ignored-value", payload_contract="legacy-project-payload"),
    LegacyRoute("project", "ontology", "GET", responses.get_project_ontology, "legacy-ontology",
                uid_contract="hash-uid", payload_contract="ignored-value"),
    LegacyRoute("project", "projectusers", "POST", responses.add_users,
                uid_contract="ignored-value", payload_contract="project-users-payload"),
    RestRoute("GET", "/projects/<project_hash>/users", responses.list_users, body_contract="no-body"),
    RestRoute("POST", "/projects/<project_hash>/users/bulk-delete", responses.remove_users,
              body_contract="remove-users-request"),
    RestRoute("PUT", "/projects/<project_hash>/status", responses.set_status, body_contract="project-status-request"),
]
