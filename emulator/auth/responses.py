from emulator.core.wire import RestRequest


def bearer_token(ctx: RestRequest) -> dict:
    return {"token": ctx.backend.users.issue_bearer_token(ctx.user)}
