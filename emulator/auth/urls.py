from emulator.auth import responses
from emulator.core.wire import RestRoute

routes = [
    RestRoute("GET", "/user/bearer-token", responses.bearer_token, "bearer-token-response", body_contract="no-body"),
    # the path releases up to 0.1.143 send (hyphenated since 0.1.145)
    RestRoute("GET", "/user/bearer_token", responses.bearer_token, "bearer-token-response", body_contract="no-body"),
]
