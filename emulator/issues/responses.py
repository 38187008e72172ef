"""Task issues and issue tags on the wire."""

from __future__ import annotations

from emulator.core.errors import InvalidArgumentsError
from emulator.core.wire import RestRequest

COORDINATE_AXES = {"frameCoordinate": ("x", "y"), "sceneCoordinate": ("x", "y", "z")}


def anchor_from_wire(anchor: dict) -> dict:
    axes = COORDINATE_AXES.get(anchor["type"])
    return {"type": anchor["type"], "data_hash": anchor["dataUuid"], "space_id": anchor.get("spaceId"),
            "frame_index": anchor.get("frameIndex"), "annotation_id": anchor.get("annotationId"),
            "frame_ranges": anchor.get("frameRanges"),
            "coordinate": {axis: anchor[axis] for axis in axes} if axes else None}


def issue_wire(issue: dict, tags: list[dict]) -> dict:
    """The SDK's Issue union, told apart by ``type``: what each kind of anchor adds to the thread."""
    wire = {"type": issue["anchor_type"], "uuid": issue["uuid"], "dataUuid": issue["data_hash"],
            "comments": [{"content": c["content"], "authorEmail": c["author_email"], "createdAt": c["created_at"]}
                         for c in issue["comments"]],
            "tags": [{"name": t["name"], "uuid": t["uuid"]} for t in tags], "resolutionHistory": []}
    if issue["anchor_type"] != "sceneCoordinate":
        wire["spaceId"] = issue["space_id"]
    if issue["frame_index"] is not None:
        wire["frameIndex"] = issue["frame_index"]
    if issue["coordinate"] is not None:
        wire["coordinate"] = issue["coordinate"]
    if issue["anchor_type"] == "annotation":
        wire.update(annotationId=issue["annotation_id"], frameRanges=issue["frame_ranges"])
    return wire


def add_issues(ctx: RestRequest, project_hash: str) -> None:
    ctx.backend.issues.add_issues(ctx.user, project_hash, [
        {"anchor": anchor_from_wire(new["anchor"]), "comment": new["comment"], "issue_tags": new["issueTags"]}
        for new in ctx.body["issues"]])


def list_issues(ctx: RestRequest, project_hash: str) -> dict:
    data_hash = ctx.arg("dataUnitId")
    if data_hash is None:
        raise InvalidArgumentsError("dataUnitId: the data unit whose issues to list is required.")
    found = ctx.backend.issues.issues_of(ctx.user, project_hash, data_hash)
    return ctx.page([issue_wire(issue, tags) for issue, tags in found])


def delete_issues(ctx: RestRequest, project_hash: str) -> None:
    ctx.backend.issues.delete_issues(ctx.user, project_hash, ctx.body["issueUuids"])


def add_issue_tags(ctx: RestRequest, project_hash: str) -> None:
    ctx.backend.issues.link_issue_tags(ctx.user, project_hash, ctx.body["issueTagNames"])


def issue_tags(ctx: RestRequest, project_hash: str) -> dict:
    return ctx.page([{"name": t["name"], "uuid": t["uuid"]}
                     for t in ctx.backend.issues.issue_tags(ctx.user, project_hash)])
