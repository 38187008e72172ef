from emulator.auth import responses
from emulator.core.wire import RestRoute

routes = [
    RestRoute("GET", "/user/bearer-token", responses.bearer_token, "bearer-token-response", body_contract="no-body"),
]
