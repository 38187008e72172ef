"""Project analytics on the wire: the SDK's TimeSpent, TaskAction and CollaboratorTimer pages."""

from __future__ import annotations

from datetime import datetime

from emulator.analytics import exceptions as exc
from emulator.core import timefmt
from emulator.core.wire import RestRequest
from emulator.projects.responses import USER_ROLES


def _required(ctx: RestRequest, name: str) -> str:
    value = ctx.arg(name)
    if value is None:
        raise exc.MissingArgument(name)
    return value


def timestamp_value(name: str, value: str) -> datetime:
    try:
        return timefmt.parse(value)
    except ValueError:
        raise exc.NotATimestamp(name, value) from None


def timestamp_arg(ctx: RestRequest, name: str, required: bool = False) -> datetime | None:
    value = _required(ctx, name) if required else ctx.arg(name)
    return None if value is None else timestamp_value(name, value)


def stage_wire(stage: dict | None) -> dict | None:
    return stage and {"stageType": stage["stageType"], "uuid": stage["uuid"], "title": stage["title"]}


def task_actions(ctx: RestRequest) -> dict:
    found = ctx.backend.analytics.task_actions(
        ctx.user, _required(ctx, "projectUuid"), timestamp_arg(ctx, "after", required=True),
        timestamp_arg(ctx, "before"), ctx.arg_list("actorEmails"), ctx.arg_list("eventTypes"),
        ctx.arg_list("workflowStageUuids"), ctx.arg_list("dataUnitUuids"))
    return ctx.page([{"timestamp": a["timestamp"], "actionType": a["action_type"], "projectUuid": a["project_hash"],
                      "workflowStageUuid": a["stage_uuid"], "taskUuid": a["task_uuid"],
                      "dataUnitUuid": a["data_hash"], "actorEmail": a["actor_email"]} for a in found])


def time_spent(ctx: RestRequest) -> dict:
    found = ctx.backend.analytics.time_spent(
        ctx.user, _required(ctx, "projectUuid"), timestamp_arg(ctx, "after", required=True),
        timestamp_arg(ctx, "before"), ctx.arg_list("workflowStageUuids"), ctx.arg_list("userEmails"),
        ctx.arg_list("datasetUuids"), ctx.arg_list("dataUuids"), ctx.arg("dataTitle"))
    return ctx.page([{"periodStartTime": t["period_start"].isoformat(), "periodEndTime": t["period_end"].isoformat(),
                      "timeSpentSeconds": t["seconds"], "userEmail": t["user_email"],
                      "projectUserRole": USER_ROLES[t["user_role"]], "dataUuid": t["data_hash"],
                      "dataTitle": t["data_title"], "datasetUuid": t["dataset_hash"],
                      "datasetTitle": t["dataset_title"], "workflowTaskUuid": t["task_uuid"],
                      "workflowStage": stage_wire(t["stage"])} for t in found])


def collaborator_timers(ctx: RestRequest) -> dict:
    found = ctx.backend.analytics.collaborator_timers(
        ctx.user, _required(ctx, "projectHash"), timestamp_arg(ctx, "after", required=True),
        timestamp_arg(ctx, "before"), ctx.arg("groupBy", "dataUnit"))
    return ctx.page([{"userEmail": t["user_email"], "userRole": USER_ROLES[t["user_role"]],
                      "dataTitle": t["data_title"], "timeSeconds": t["seconds"]} for t in found])
