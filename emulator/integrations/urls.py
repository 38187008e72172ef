from emulator.core.wire import USER_SCOPE, LegacyRoute, RestRoute
from emulator.integrations import responses

routes = [
    RestRoute("GET", "/cloud-integrations", responses.list_cloud_integrations, "cloud-integrations-response",
              body_contract="no-body"),
    LegacyRoute(USER_SCOPE, "cloudintegration", "GET", responses.list_cloud_integrations_legacy,
                "cloud-integration-list", uid_contract="ignored-value", payload_contract="ignored-value"),
    LegacyRoute("dataset", "cloudintegration", "GET", responses.list_cloud_integrations_legacy,
                "cloud-integration-list", uid_contract="ignored-value", payload_contract="ignored-value"),
]
