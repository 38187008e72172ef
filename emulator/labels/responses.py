"""Label rows on the wire: listing metadata, the label row dict (create, read, save), media links, workflow."""

from __future__ import annotations

import dataclasses

from emulator.core.wire import LegacyRequest, RestRequest
from emulator.datasets.models import client_metadata_path
from emulator.labels.models import MAIN, LabelRowFilters, LabelRowView, frame_count, kept_to_features



def _uids(uid) -> tuple[list[str], bool]:
    """The SDK sends a list (bundles, ``multi_request``) or, from deprecated calls, a single hash."""
    return (list(uid), True) if isinstance(uid, list) else ([uid], False)


class MediaLinks:
    """Object URLs as stored, or signed links served by the emulator when the caller asked for them."""

    def __init__(self, ctx, signed: bool):
        self.signer = ctx.backend.media_signer
        self.signed = signed

    def __call__(self, url: str | None) -> str | None:
        return self.signer.sign_object_url(url) if self.signed and url else url


def data_units(row: dict, label_row: dict, link: MediaLinks) -> dict:
    labels = label_row["unit_labels"]
    if row["data_type"] == "IMG_GROUP" and row.get("images_data"):
        return {image["image_hash"]: {
            "data_hash": image["image_hash"], "data_title": image["title"], "data_link": link(image["file_link"]),
            "data_type": image["file_type"], "data_sequence": str(index), "width": image["width"],
            "height": image["height"], "labels": labels.get(image["image_hash"], {}),
        } for index, image in enumerate(row["images_data"])}
    unit = {"data_hash": row["data_hash"], "data_title": row["data_title"], "data_link": link(row["file_link"]),
            "data_type": row["file_type"], "data_sequence": 0, "width": row["width"] or 0,
            "height": row["height"] or 0, "labels": labels.get(row["data_hash"], {})}
    if row["data_type"] == "VIDEO":
        unit.update(data_fps=row["frames_per_second"], data_duration=row["duration"])
    elif row["data_type"] == "AUDIO":
        audio = row.get("audio") or {}
        unit.update(audio_codec=audio.get("codec"), audio_sample_rate=audio.get("sample_rate"),
                    audio_num_channels=audio.get("channels"), audio_bit_depth=audio.get("bit_depth"),
                    data_duration=row["duration"])
    elif row["data_type"] == "DICOM" and row.get("dicom"):
        unit["data_links"] = [link(s["file_uri"]) for s in row["dicom"]["slices"]]
    return {row["data_hash"]: unit}


def space_wire(space: dict, link: MediaLinks) -> dict:
    """SpaceInfo of a data group's item: its child info (layout key, file, link) and its media."""
    wire = {"space_type": space["space_type"], "width": space["width"] or 0, "height": space["height"] or 0,
            "child_info": {"layout_key": space["layout_key"], "file_name": space["file_name"],
                           "data_link": link(space["url"])}}
    if space["space_type"] == "video":
        wire.update(number_of_frames=space["number_of_frames"], data_duration=space["duration"],
                    data_fps=space["fps"])
    return wire


def spaces_wire(view: LabelRowView, link: MediaLinks, labels: dict | None) -> dict:
    """A row's spaces: with the labels stored for each (the label row), or without (its listed metadata)."""
    return {space_id: {**space_wire(space, link), **({"labels": labels.get(space_id, {})} if labels is not None else {})}
            for space_id, space in view.spaces.items()}


def label_row_wire(ctx, view: LabelRowView, signed: bool) -> dict:
    row, label_row = view.row, view.label_row
    return {
        "label_hash": label_row["label_hash"], "branch_name": label_row["branch_name"],
        "created_at": label_row["created_at"], "last_edited_at": label_row["last_edited_at"],
        "data_hash": row["data_hash"], "dataset_hash": row["dataset_hash"], "dataset_title": view.dataset_title,
        "data_title": row["data_title"], "data_type": row["data_type"].lower(),  # the SDK's DataType values
        "data_units": data_units(row, label_row, MediaLinks(ctx, signed)),
        "object_answers": label_row["object_answers"], "classification_answers": label_row["classification_answers"],
        "object_actions": label_row["object_actions"], "label_status": label_row["label_status"],
        "annotation_task_status": view.annotation_task_status,
        "is_valid": not label_row.get("validation_errors"),
        "spaces": spaces_wire(view, MediaLinks(ctx, signed), label_row["unit_labels"]),
    }


def metadata_wire(ctx, view: LabelRowView, branch: str, payload: dict) -> dict:
    """LabelRowMetadata: every key the SDK requires, with the casing it requires."""
    row, label_row, task, stage = view.row, view.label_row, view.task, view.stage
    entry = {
        "label_hash": label_row["label_hash"] if label_row else None,
        "created_at": label_row["created_at"] if label_row else None,
        "last_edited_at": label_row["last_edited_at"] if label_row else None,
        "branch_name": label_row["branch_name"] if label_row else branch,
        "data_hash": row["data_hash"], "dataset_hash": row["dataset_hash"], "dataset_title": view.dataset_title,
        "data_title": row["data_title"], "data_type": row["data_type"], "data_link": row["file_link"],
        "label_status": label_row["label_status"] if label_row else "NOT_LABELLED",
        "annotation_task_status": view.annotation_task_status, "is_shadow_data": False,
        "number_of_frames": frame_count(row), "frames_per_second": row["frames_per_second"],
        "duration": row["duration"], "height": row["height"], "width": row["width"],
        "spaces": spaces_wire(view, MediaLinks(ctx, False), None),
        "task_uuid": task["uuid"] if stage is not None else None, "priority": task["priority"],
        "file_type": row["file_type"],
        "is_valid": not (label_row or {}).get("validation_errors"),
        "backing_item_uuid": row["backing_item_uuid"],
    }
    if stage is not None and payload.get("include_workflow_graph_node", True):
        entry["workflow_graph_node"] = {"uuid": stage["uuid"], "title": stage["title"]}
    if payload.get("include_client_metadata") and payload.get("client_metadata_as_signed_url"):
        # The real service leaves client_metadata empty and signs a link to its blob; the SDK fetches and in-lines it.
        entry["client_metadata"] = None
        entry["client_metadata_signed_url"] = ctx.backend.media_signer.sign(
            client_metadata_path(row["dataset_hash"], row["data_hash"]))
    elif payload.get("include_client_metadata"):
        entry["client_metadata"] = row.get("client_metadata") or {}
    if payload.get("include_images_data") and row.get("images_data"):
        entry["images_data"] = row["images_data"]
    return entry


def list_label_rows(ctx: LegacyRequest) -> list[dict]:
    payload = ctx.payload or {}

    def optional_tuple(key):
        return tuple(payload[key]) if payload.get(key) is not None else None

    f = LabelRowFilters(
        branch_name=payload.get("branch_name"),
        include_all_label_branches=bool(payload.get("include_all_label_branches")),
        include_uninitialised_labels=payload.get("include_uninitialised_labels", True) is not False,
        data_hashes=optional_tuple("data_hashes"), label_hashes=optional_tuple("label_hashes"),
        data_title_eq=payload.get("data_title_eq"), data_title_like=payload.get("data_title_like"),
        edited_before=payload.get("edited_before"), edited_after=payload.get("edited_after"),
        label_statuses=optional_tuple("label_statuses"), shadow_data_state=payload.get("shadow_data_state"),
        workflow_graph_node_title_eq=payload.get("workflow_graph_node_title_eq"),
        workflow_graph_node_title_like=payload.get("workflow_graph_node_title_like"),
    )
    return label_rows_metadata(ctx, ctx.resource_id, f, payload)


def label_rows_metadata(ctx, project_hash: str, f: LabelRowFilters, payload: dict) -> list[dict]:
    """LabelRowMetadata of a project's rows: the metadata listing, and the legacy project read's ``label_rows``."""
    listed = ctx.backend.labels.list_label_rows(ctx.user, project_hash, f, metadata_only=True)
    branch = f.branch_name or MAIN
    return [metadata_wire(ctx, view, branch, payload) for view in listed]


def create_label_rows(ctx: LegacyRequest):
    data_hashes, multi = _uids(ctx.uid)
    payload = ctx.payload or {}
    created = ctx.backend.labels.create_label_rows(ctx.user, ctx.resource_id, data_hashes,
                                                   payload.get("branch_name") or MAIN)
    rows = [label_row_wire(ctx, view, bool(payload.get("get_signed_url"))) for view in created]
    return rows if multi else rows[0]


def _optional_set(payload: dict, key: str) -> set[str] | None:
    return set(payload[key]) if payload.get(key) is not None else None


def get_label_rows(ctx: LegacyRequest):
    """``include_object/classification_feature_hashes``: only those features' labels; ``include_export_history``:
    each row with its exports (label versions), newest first."""
    label_hashes, multi = _uids(ctx.uid)
    payload = ctx.payload or {}
    found = ctx.backend.labels.get_label_rows(ctx.user, ctx.resource_id, label_hashes)
    objects, classifications = (_optional_set(payload, "include_object_feature_hashes"),
                                _optional_set(payload, "include_classification_feature_hashes"))
    kept = [dataclasses.replace(view, label_row=kept_to_features(view.label_row, objects, classifications))
            for view in found]
    rows = [label_row_wire(ctx, view, bool(payload.get("get_signed_url"))) for view in kept]
    if payload.get("include_export_history"):
        for wire_row in rows:
            wire_row["export_history"] = ctx.backend.exports.export_history(ctx.resource_id, wire_row["label_hash"])
    return rows if multi else rows[0]


def save_label_rows(ctx: LegacyRequest) -> bool:
    label_hashes, _ = _uids(ctx.uid)
    ctx.backend.labels.save_label_rows(ctx.user, ctx.resource_id, label_hashes, ctx.payload["labels"],
                                       bool(ctx.payload.get("validate_before_saving")))
    return True


def get_data(ctx: LegacyRequest) -> dict:
    """project.get_data: the signed link must be in ``file_link``; both ``video`` and ``images`` keys present."""
    project = ctx.backend.projects.get_project(ctx.user, ctx.resource_id)
    row = ctx.backend.labels.data_row(project, ctx.uid["data_hash"])
    link = MediaLinks(ctx, bool(ctx.uid.get("get_signed_url")))
    if row["data_type"] == "VIDEO":
        return {"data_hash": row["data_hash"], "images": None,
                "video": {"data_hash": row["data_hash"], "title": row["data_title"], "file_link": link(row["file_link"])}}
    images = row.get("images_data") or [{"image_hash": row["data_hash"], "title": row["data_title"],
                                         "file_link": row["file_link"]}]
    return {"data_hash": row["data_hash"], "video": None,
            "images": [{"data_hash": row["data_hash"], "image_hash": i["image_hash"], "title": i["title"],
                        "file_link": link(i["file_link"])} for i in images]}


def workflow_action(ctx: LegacyRequest) -> bool:
    label_hashes, _ = _uids(ctx.uid)
    ctx.backend.labels.workflow_action(ctx.user, ctx.resource_id, label_hashes, ctx.payload["action"])
    return True


def set_priorities(ctx: RestRequest, project_hash: str) -> None:
    ctx.backend.labels.set_priorities(ctx.user, project_hash, [(d, p) for d, p in ctx.body["priorities"]])


# What a task of each kind of stage carries beyond the common fields: a consensus annotation task its annotators'
# subtasks, a consensus review task the options (annotators' branches) to choose from. The emulator has no label editor
# in which annotators open subtasks, so there are none of either.
STAGE_TASK_FIELDS = {"CONSENSUS_ANNOTATION": {"subtasks": []}, "CONSENSUS_REVIEW": {"options": []}}


def stage_tasks(ctx: RestRequest, project_hash: str, stage_uuid: str) -> dict:
    statuses = set(ctx.arg_list("statuses"))
    data_hashes = set(ctx.arg_list("dataHashes"))
    stage, found = ctx.backend.labels.stage_with_tasks(ctx.user, project_hash, stage_uuid)
    return ctx.page([{"uuid": task["uuid"], "createdAt": task["created_at"], "updatedAt": task["updated_at"],
                      "status": task["status"], "dataHash": row["data_hash"], "dataTitle": row["data_title"],
                      "labelBranchName": MAIN, "assignee": task["assignee"],
                      "lastActionedBy": task.get("last_actioned_by"), **STAGE_TASK_FIELDS.get(stage["stageType"], {})}
                     for row, task in found
                     if (not statuses or task["status"] in statuses)
                     and (not data_hashes or row["data_hash"] in data_hashes)])


def stage_actions(ctx: RestRequest, project_hash: str, stage_uuid: str) -> None:
    ctx.backend.labels.stage_actions(ctx.user, project_hash, stage_uuid, ctx.body)


def move_tasks(ctx: RestRequest, project_hash: str, stage_uuid: str) -> None:
    ctx.backend.labels.move_tasks(ctx.user, project_hash, stage_uuid, ctx.body["destinationStageUuid"],
                                  ctx.body["taskUuids"])


def label_reviews(ctx: RestRequest, project_hash: str, stage_uuid: str, task_uuid: str) -> dict:
    found = ctx.backend.labels.label_reviews(ctx.user, project_hash, stage_uuid, task_uuid)
    return ctx.page([{"reviewUuid": r["uuid"], "status": r["status"], "labelType": r["label_type"],
                      "labelId": r["label_id"]} for r in found])


def label_review_actions(ctx: RestRequest, project_hash: str, stage_uuid: str, task_uuid: str) -> None:
    ctx.backend.labels.label_review_actions(ctx.user, project_hash, stage_uuid, task_uuid, ctx.body)


def list_branches(ctx: RestRequest, project_hash: str) -> dict:
    return ctx.page([{"name": name} for name in ctx.backend.labels.branches(ctx.user, project_hash)], "limit")


def label_logs(ctx: LegacyRequest) -> list[dict]:
    payload = ctx.payload or {}
    found = ctx.backend.labels.label_logs(ctx.user, ctx.resource_id, payload.get("user_hash"), payload.get("user_email"),
                                          payload.get("data_hash"), payload.get("start_timestamp"),
                                          payload.get("end_timestamp"))
    return [{"log_hash": e["log_hash"], "user_hash": e["user_hash"], "user_email": e["user_email"],
             "data_hash": e["data_hash"], "action": e["action"], "created_at": e["created_at"],
             "identifier": e["identifier"], "feature_hash": e["feature_hash"], "label_name": e["label_name"],
             "time_taken": None, "frame": e["frame"]} for e in found]


def editor_logs(ctx: RestRequest, project_hash: str) -> dict:
    return ctx.page(ctx.backend.labels.editor_logs(ctx.user, project_hash, ctx.arg("startTime"), ctx.arg("endTime")))


def validation_state(ctx: RestRequest, project_hash: str, label_hash: str) -> dict:
    label_row, errors = ctx.backend.labels.validation_errors(ctx.user, project_hash, label_hash)
    return {"labelHash": label_hash, "branchName": label_row["branch_name"], "version": label_row.get("version", 0),
            "isValid": not errors, "errors": errors}


def label_classifications(ctx: RestRequest, project_hash: str) -> dict:
    """Project.get_label_classifications: each label row's classification answers (keyed by classification hash,
    as the row stores them) with its data unit and its newest export."""
    views = ctx.backend.labels.branch_label_rows(ctx.user, project_hash, ctx.body["labelUuids"],
                                                 ctx.body.get("branchName", MAIN))
    labels = []
    for view in views:
        export = ctx.backend.exports.last_export(project_hash, view.label_row["label_hash"])
        labels.append({"labelUuid": view.label_row["label_hash"], "dataUuid": view.row["data_hash"],
                       "dataTitle": view.row["data_title"], "branchName": view.label_row["branch_name"],
                       "classificationAnswers": view.label_row["classification_answers"],
                       "exportUuid": export["export_hash"] if export else None,
                       "exportedAt": export["exported_at"] if export else None})
    return {"labels": labels}


def copy_labels_to_branch(ctx: RestRequest, project_hash: str) -> dict:
    body = ctx.body
    copied = ctx.backend.labels.copy_labels_to_branch(
        ctx.user, project_hash, body["sourceBranchName"], body["targetBranchName"], body.get("overwrite", False),
        body.get("dataUuids"), body.get("labelUuids"))
    return {"copiedCount": copied}


def object_interpolation(ctx: LegacyRequest) -> dict:
    parameters = ctx.payload["algorithm_parameters"]
    return ctx.backend.labels.interpolate_objects(ctx.user, ctx.resource_id, parameters["key_frames"],
                                                  parameters["objects_to_interpolate"])
