from emulator.core.wire import RestRoute
from emulator.organisation import responses

GROUP = "/organisation/groups/<group_hash>"
TAGS = "/organisation/organisation-tags"

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
    RestRoute("GET", TAGS, responses.list_tags, "organisation-tags-page", body_contract="no-body"),
    # the path of releases up to 0.1.204 (list_project_tags; organisation-tags since 0.1.205)
    RestRoute("GET", "/organisation/project-tags", responses.list_tags, "organisation-tags-page",
              body_contract="no-body"),
    RestRoute("POST", TAGS, responses.create_tag, "organisation-tag", body_contract="organisation-tag-request"),
    RestRoute("DELETE", TAGS + "/<tag_uuid>", responses.delete_tag, body_contract="no-body"),
    RestRoute("GET", "/organisation/client-metadata-schema-v2", responses.get_metadata_schema, "metadata-schema",
              body_contract="no-body"),
    RestRoute("POST", "/organisation/client-metadata-schema-v2", responses.save_metadata_schema,
              body_contract="metadata-schema"),
    RestRoute("GET", "/organisation/client-metadata-schema", responses.get_legacy_metadata_schema,
              "legacy-metadata-schema", body_contract="no-body"),
    RestRoute("POST", "/organisation/client-metadata-schema", responses.save_legacy_metadata_schema,
              body_contract="legacy-metadata-schema-request"),
    # the path of releases 0.1.113 to 0.1.116, which name the organisation
    RestRoute("GET", "/organisation/<organisation_id>/client-metadata-schema",
              responses.get_organisations_legacy_metadata_schema, "legacy-metadata-schema", body_contract="no-body"),
    RestRoute("POST", "/organisation/<organisation_id>/client-metadata-schema",
              responses.save_organisations_legacy_metadata_schema, body_contract="legacy-metadata-schema-request"),
]
