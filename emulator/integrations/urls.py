from emulator.core.wire import RestRoute
from emulator.integrations import responses

routes = [
    RestRoute("GET", "/cloud-integrations", responses.list_cloud_integrations, "cloud-integrations-response",
              body_contract="no-body"),
]
