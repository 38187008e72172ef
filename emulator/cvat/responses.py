"""CVAT import on the wire: the SDK's CvatImportStartPayload in, CvatImportGetResultResponse out."""

from __future__ import annotations

from emulator.core.wire import RestRequest


def start_import(ctx: RestRequest) -> str:
    body = ctx.body
    record = ctx.backend.cvat.start_import(
        ctx.user, body["annotationsBase64"], body["datasetUuid"], body["reviewMode"],
        {item["dataPath"]: {"data_link": item["dataLink"], "title": item["title"]} for item in body["data"]},
        body["transformBoundingBoxesToPolygons"])
    return record["import_uuid"]


def import_result(ctx: RestRequest, import_uuid: str) -> dict:
    record = ctx.backend.cvat.result(ctx.user, import_uuid, float(ctx.arg("timeoutSeconds", "0")))
    return {"status": record["status"], "projectUuid": record.get("project_hash"), "issues": record.get("issues")}
