from __future__ import annotations

from emulator.core.wire import LegacyRequest, RestRequest


def list_cloud_integrations(ctx: RestRequest) -> dict:
    ctx.flag("includeOrgAccess")
    found = ctx.backend.integrations.list_integrations(
        ctx.user, ctx.arg_list("filterIntegrationUuids"), ctx.arg_list("filterIntegrationTitles")
    )
    return {"result": [{"integrationUuid": i["id"], "title": i["title"]} for i in found]}


def list_cloud_integrations_legacy(ctx: LegacyRequest) -> list[dict]:
    """get_cloud_integrations before it moved to /v2/public: every integration the user may use."""
    return [{"id": i["id"], "title": i["title"]} for i in ctx.backend.integrations.list_integrations(ctx.user, [], [])]
