from emulator.core.wire import RestRoute
from emulator.issues import responses

routes = [
    RestRoute("POST", "/projects/<project_hash>/issues", responses.add_issues, body_contract="issues-request"),
    RestRoute("GET", "/projects/<project_hash>/issues", responses.list_issues, "issues-page", body_contract="no-body"),
    RestRoute("POST", "/projects/<project_hash>/issues/delete", responses.delete_issues,
              body_contract="issues-delete-request"),
    RestRoute("POST", "/projects/<project_hash>/issue-tags", responses.add_issue_tags,
              body_contract="issue-tags-request"),
    RestRoute("GET", "/projects/<project_hash>/issue-tags", responses.issue_tags, "issue-tags-page",
              body_contract="no-body"),
]
