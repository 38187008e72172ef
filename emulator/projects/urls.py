from emulator.core.wire import LegacyRoute, RestRoute, USER_SCOPE
from emulator.projects import responses

routes = [
    LegacyRoute(USER_SCOPE, "project", "POST", responses.create_project),
    RestRoute("GET", "/projects", responses.list_projects, "projects-page"),
    RestRoute("GET", "/projects/<project_hash>", responses.get_project, "project"),
    RestRoute("GET", "/projects/<project_hash>/datasets", responses.list_project_datasets),
    LegacyRoute("project", "projectdataset", "POST", responses.add_datasets),
    LegacyRoute("project", "projectdataset", "DELETE", responses.remove_datasets),
]
