from __future__ import annotations

from emulator.core.wire import RestRequest


def list_cloud_integrations(ctx: RestRequest) -> dict:
    ctx.flag("includeOrgAccess")
    found = ctx.backend.integrations.list_integrations(
        ctx.user, ctx.arg_list("filterIntegrationUuids"), ctx.arg_list("filterIntegrationTitles")
    )
    return {"result": [{"integrationUuid": i["id"], "title": i["title"]} for i in found]}
