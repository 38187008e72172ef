from emulator.core.wire import RestRoute
from emulator.organisation import responses

GROUP = "/organisation/groups/<group_hash>"

routes = [
    RestRoute("GET", "/organisation/users", responses.list_users, "organisation-users-page", body_contract="no-body"),
    RestRoute("POST", "/organisation/users", responses.add_user, body_contract="organisation-user-request"),
    RestRoute("DELETE", "/organisation/users/<email>", responses.remove_user, body_contract="no-body"),
    RestRoute("POST", "/organisation/groups", responses.create_group, "group", body_contract="group-request"),
    RestRoute("GET", "/user/current-organisation/groups", responses.list_groups, "groups-page",
              body_contract="no-body"),
    RestRoute("GET", GROUP, responses.get_group, "group", body_contract="no-body"),
    RestRoute("PATCH", GROUP, responses.update_group, "group", body_contract="group-patch"),
    RestRoute("DELETE", GROUP, responses.delete_group, body_contract="no-body"),
    RestRoute("GET", GROUP + "/users", responses.list_group_users, "group-users-page", body_contract="no-body"),
    RestRoute("POST", GROUP + "/users", responses.add_group_users, "group-users-page",
              body_contract="group-users-request"),
    RestRoute("POST", GROUP + "/users/bulk-delete", responses.remove_group_users, body_contract="group-users-request"),
]
