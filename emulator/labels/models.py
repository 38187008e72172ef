"""Label rows, workflow tasks and their rules.

A label row is one data unit's labels in one project on one branch. It exists once initialised (created); saving a
row that was never created is refused, as are labels that do not fit the project's ontology or the media. A data unit
that has no label row yet is still listed (uninitialised, ``label_hash`` null). Every data unit of a project has a
task: in a workflow project it sits in one stage of the workflow, in a manual-QA project it has a status of its own.
"""

from __future__ import annotations

import functools
import itertools
import re
import uuid
from dataclasses import dataclass
from typing import Callable
from datetime import timedelta

from emulator.auth.models import ADMIN, User, role_of
from emulator.core import filters, timefmt
from emulator.core.errors import InvalidArgumentsError
from emulator.core.store import Store
from emulator.datasets.models import DATA_ROWS, DatasetBackend
from emulator.ingestion.html_nodes import node_named
from emulator.labels import exceptions as exc
from emulator.labels import interpolation
from emulator.ontologies.models import features
from emulator.projects.exceptions import NotAManualQaProject, ProjectNotFound
from emulator.projects.models import (COPY_LABELS, MANUAL_QA, PROJECTS, ProjectBackend, ProjectCopyOptions, first_stage,
                                      pathway_taken, require_workflow, stage_after, stage_by_uuid, stage_of_type)

LABEL_ROWS = "label_row"
# (project, data unit, branch) -> label hash, so creating a row checks for an existing one without a scan
LABEL_ROW_KEYS = "label_row_key"
TASKS = "task"
LABEL_REVIEWS = "label_review"
LABEL_LOGS = "label_log"
MAIN = "main"
# What a listing of label rows (LabelRowMetadata) reads of each: not its labels, which can be large.
LABEL_ROW_METADATA = ("label_hash", "data_hash", "branch_name", "created_at", "last_edited_at", "label_status",
                      "validation_errors")
# What a listing's wire (labels/responses.py metadata_wire) reads of each data row: it copies these only.
DATA_ROW_METADATA = ("data_hash", "dataset_hash", "data_title", "data_type", "file_link", "file_type", "created_at",
                     "number_of_frames", "images_data", "frames_per_second", "duration", "height", "width",
                     "backing_item_uuid", "client_metadata")
BRANCH_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")
TASK_NAMESPACE = uuid.UUID("6f1e4a8e-0c55-4f55-9a57-0d6d2b1f7c3e")

# What the listing reports as annotation_task_status for a task in each kind of stage.
TASK_STATUS_BY_STAGE = {"ANNOTATION": "QUEUED", "REVIEW": "IN_REVIEW", "DONE": "COMPLETED", "AGENT": "QUEUED",
                        "CONSENSUS_ANNOTATION": "QUEUED", "CONSENSUS_REVIEW": "IN_REVIEW"}


@dataclass(frozen=True)
class LabelRowFilters:
    branch_name: str | None = None
    include_all_label_branches: bool = False
    include_uninitialised_labels: bool = True
    data_hashes: tuple[str, ...] | None = None
    label_hashes: tuple[str, ...] | None = None
    data_title_eq: str | None = None
    data_title_like: str | None = None
    edited_before: str | None = None
    edited_after: str | None = None
    label_statuses: tuple[str, ...] | None = None
    shadow_data_state: str | None = None
    workflow_graph_node_title_eq: str | None = None
    workflow_graph_node_title_like: str | None = None


@dataclass(frozen=True)
class LabelRowView:
    """What the wire says of a data unit's label row, read in one pass over a listing or a bundle: the data row, its
    label row (None while uninitialised), its task and the task's stage (None in a manual-QA project), the status
    listings report and the title of its dataset."""

    row: dict
    label_row: dict | None
    task: dict
    stage: dict | None
    annotation_task_status: str
    dataset_title: str
    spaces: dict[str, dict]


# Who may move tasks between stages of a workflow (the web app's task management).
TASK_MANAGERS = (ADMIN, "team_manager")


# -- the rules --------------------------------------------------------------------------------------------------------

def check_may_move_tasks(role: str | None, project_hash: str) -> None:
    if role not in TASK_MANAGERS:
        raise exc.NotAllowedToMoveTasks(project_hash)


PATHWAY_ACTION = "PATHWAY_ACTION"


def check_action_fits_stage(kind: str, stage: dict) -> None:
    """An agent stage's tasks proceed down its pathways, and only its tasks do."""
    if (kind == PATHWAY_ACTION) != (stage["stageType"] == "AGENT"):
        raise exc.ActionNotOfStage(kind, stage["title"], stage["stageType"])


# What a label review may become by each review action, from which statuses.
LABEL_REVIEW_ACTIONS = {"APPROVE": ("APPROVED", ("NEW", "REOPENED", "RESOLVED")),
                        "REJECT": ("REJECTED", ("NEW", "REOPENED", "RESOLVED")),
                        "REOPEN": ("REOPENED", ("APPROVED", "REJECTED"))}
PENDING_REVIEW = LABEL_REVIEW_ACTIONS["APPROVE"][1]


def label_review_status_after(action: str, review: dict) -> str:
    """A pending review (new, reopened, or resolved by the annotator) is approved or rejected; a decided one is
    reopened."""
    status, allowed_from = LABEL_REVIEW_ACTIONS[action]
    if review["status"] not in allowed_from:
        raise exc.LabelReviewNotInStatus(review["uuid"], review["status"], action, allowed_from)
    return status


def reviewed_labels(label_row: dict | None) -> list[tuple[str, str]]:
    """What a review stage reviews of a task: each object and classification instance of its main-branch labels,
    as (label type, label id), objects first, in the order they were labelled."""
    if label_row is None:
        return []
    objects = _frame_objects({key: {"labels": unit} for key, unit in label_row["unit_labels"].items()})
    object_hashes = list(dict.fromkeys(o["objectHash"] for o in objects if o.get("objectHash")))
    return ([("Object", h) for h in object_hashes]
            + [("Classification", h) for h in label_row["classification_answers"]])


# The label log's actions (the SDK's encord.orm.label_log.Action) that the emulator's own handlers take.
LOG_ADD, LOG_EDIT, LOG_DELETE = 0, 1, 2
LOG_APPROVE_LABEL, LOG_REJECT_LABEL = 12, 13
LOG_TASK_ACTIONS = {"SUBMIT": 11, "APPROVE": 33, "REJECT": 34}
LOG_LABEL_REVIEW_ACTIONS = {"APPROVE": LOG_APPROVE_LABEL, "REJECT": LOG_REJECT_LABEL}


def _instances(unit_labels: dict, object_answers: dict, classification_answers: dict) -> dict[str, dict]:
    """Each object and classification instance of a row: its feature, the first frame it is labelled in and all
    that a save may change of it."""
    found: dict[str, dict] = {}
    for key, labels in unit_labels.items():
        frames = {"0": labels} if "objects" in labels or "classifications" in labels else labels
        for frame, frame_labels in sorted(frames.items(), key=lambda f: int(f[0]) if f[0].isdigit() else 0):
            for kind, hash_key in (("objects", "objectHash"), ("classifications", "classificationHash")):
                for label in frame_labels.get(kind, []):
                    entry = found.setdefault(label.get(hash_key), {
                        "feature_hash": label.get("featureHash"), "frame": int(frame) if frame.isdigit() else 0,
                        "content": []})
                    entry["content"].append((key, frame, label))
    for instance_hash, answer in {**object_answers, **classification_answers}.items():
        found.setdefault(instance_hash, {"feature_hash": answer.get("featureHash"), "frame": None, "content": []})
        found[instance_hash]["content"].append(answer)
    return found


def label_changes(before: dict, body: dict) -> list[tuple[int, str, dict]]:
    """What a save logs: each instance added, edited or deleted, as (action, instance hash, instance)."""
    old = _instances(before["unit_labels"], before["object_answers"], before["classification_answers"])
    new = _instances({key: unit.get("labels") or {} for key, unit in body.get("data_units", {}).items()},
                     body.get("object_answers", {}), body.get("classification_answers", {}))
    changes = [(LOG_ADD if h not in old else LOG_EDIT, h, i) for h, i in new.items()
               if h not in old or old[h]["content"] != i["content"]]
    return changes + [(LOG_DELETE, h, i) for h, i in old.items() if h not in new]


def feature_name(feature) -> str | None:
    """A label's name in the ontology: an object's name, a classification's question (its first attribute)."""
    if feature is None:
        return None
    attributes = feature.node.get("attributes") or [{}]
    return feature.node.get("name") or attributes[0].get("name")


EDITOR_LOGS_MAX_RANGE_DAYS = 30


def check_editor_logs_range(start_time: str | None, end_time: str | None) -> None:
    """Editor logs are asked for from a start to an end time, at most 30 days apart."""
    start, end = filters.parse_time("startTime", start_time), filters.parse_time("endTime", end_time)
    if start is None or end is None:
        raise exc.EditorLogsRangeRequired()
    if not timedelta(0) <= end - start <= timedelta(days=EDITOR_LOGS_MAX_RANGE_DAYS):
        raise exc.EditorLogsRangeTooLong(EDITOR_LOGS_MAX_RANGE_DAYS)


def status_after_move(project: dict, origin_stage_uuid: str, destination: dict) -> str:
    """A task moved to the final stage is COMPLETED; moved back to an earlier stage, REOPENED (a task reopened from
    Complete goes back to annotation so); moved forward, NEW in its new stage."""
    if destination["stageType"] == "DONE":
        return "COMPLETED"
    order = [s["uuid"] for s in require_workflow(project)["stages"]]
    return "REOPENED" if order.index(destination["uuid"]) < order.index(origin_stage_uuid) else "NEW"


def check_bundle_limit(count: int) -> None:
    """One request carries at most 1,000 label rows (the SDK's bundle limit; a larger bundle_size is refused)."""
    if count > exc.MAX_LABEL_ROWS_PER_REQUEST:
        raise exc.MultiLabelLimit(count)


def check_branch_name(branch_name: str) -> None:
    if not BRANCH_NAME.match(branch_name):
        raise exc.InvalidBranchName(branch_name)


def check_label_hash_matches(requested: str, body: dict) -> None:
    if body.get("label_hash") != requested:
        raise exc.LabelHashMismatch(requested, body.get("label_hash"))


def _values_of(value, key: str, found: list[str]) -> list[str]:
    """Every string value of ``key`` anywhere inside nested dicts and lists, in document order, appended to
    ``found``: a plain recursion over containers only, half the cost of a generator per level on every saved row."""
    if type(value) is dict:
        for k, v in value.items():
            if k == key and type(v) is str:
                found.append(v)
            elif type(v) is dict or type(v) is list:
                _values_of(v, key, found)
    elif type(value) is list:
        for item in value:
            if type(item) is dict or type(item) is list:
                _values_of(item, key, found)
    return found


def _frame_objects(data_units: dict) -> list[dict]:
    objects = []
    for unit in data_units.values():
        labels = unit.get("labels") or {}
        frames = [labels] if "objects" in labels else list(labels.values())
        for frame in frames:
            objects.extend(frame.get("objects", []))
    return objects


def check_objects_per_label_row(label_hash: str, body: dict, maximum: int) -> None:
    """A label row holds at most ``max_objects_per_label_row`` objects, counted per frame they are labelled in (a
    stand-in for the service's 50 MB per label row, which none of its errors names)."""
    count = len(_frame_objects(body.get("data_units", {})))
    if count > maximum:
        raise exc.TooManyObjects(label_hash, count, maximum)


def check_features_in_ontology(body: dict, known: dict) -> None:
    for part in ("data_units", "object_answers", "classification_answers", "object_actions"):
        for feature_hash in _values_of(body.get(part, {}), "featureHash", []):
            if feature_hash not in known:
                raise exc.FeatureDoesNotExist(feature_hash, part)


def check_object_answers_complete(body: dict) -> None:
    """Every object labelled in a frame has its entry in ``object_answers``."""
    answers = body.get("object_answers", {})
    for obj in _frame_objects(body.get("data_units", {})):
        if obj.get("objectHash") not in answers:
            raise exc.AnswerDictionaryIncomplete(obj.get("objectHash"))


IMAGE_LABEL_KEYS = {"objects", "classifications"}


def check_frames_within_media(body: dict, unit_keys: set[str], frame_count: int, frame_keyed: bool) -> None:
    """Labels lie inside the media: known data units; in video-like media and PDFs (a frame is a page), frame keys
    below the frame count; in an image, its label lists and no frame keys at all (an image has no frames to key)."""
    for key, unit in body.get("data_units", {}).items():
        if key not in unit_keys:
            raise exc.CorruptedLabel(payload=f"data_units: {key} is not a data unit of this data row.")
        labels = unit.get("labels") or {}
        if frame_keyed:
            for frame in labels:
                if not frame.isdigit() or int(frame) >= frame_count:
                    raise exc.CorruptedLabel(payload=f"data_units/{key}/labels: frame {frame} is outside the media "
                                                     f"(it has {frame_count} frames).")
        elif unexpected := sorted(set(labels) - IMAGE_LABEL_KEYS):  # stored, it would never be read back
            raise exc.CorruptedLabel(payload=f"data_units/{key}/labels: {unexpected[0]!r} is not a label list of an "
                                             "image (expected objects and classifications).")


@dataclass(frozen=True)
class MediaExtent:
    """What a row's ranges count and the last value they may reach: frames of video-like media (the last frame),
    milliseconds of audio (its duration), character offsets of a text file (its length: a range may end at the end of the text)."""

    unit: str
    last: int


def media_extent(row: dict) -> MediaExtent | None:
    """None where the media's extent is unknown: a text file whose metadata was given rather than read, or an HTML
    file, whose regions are addressed by node and offset rather than by a character range of the file (they are
    checked by ``check_html_ranges_within_media``)."""
    if row["data_type"] == "AUDIO":
        return MediaExtent("milliseconds", round(row["duration"] * 1000)) if row.get("duration") is not None else None
    if row["data_type"] == "PLAIN_TEXT":
        known = row.get("characters") is not None and row["file_type"] != "text/html"
        return MediaExtent("characters", row["characters"]) if known else None
    return MediaExtent("frames", frame_count(row) - 1)


def check_ranges_within_media(body: dict, extent: MediaExtent | None) -> None:
    """Ranges lie inside the media: of classifications and dynamic answers, in frames; of audio and text objects
    (and their classifications), in milliseconds and characters."""
    if extent is None:
        return
    for part in ("object_answers", "classification_answers", "object_actions"):
        for entry_hash, entry in body.get(part, {}).items():
            ranges = [entry.get("range", [])] + [a.get("range", []) for a in entry.get("actions", [])]
            for start, end in (r for rs in ranges for r in rs):
                if start < 0 or end > extent.last or start > end:
                    raise exc.CorruptedLabel(payload=f"{part}/{entry_hash}: range [{start}, {end}] is outside the "
                                                     f"media ({extent.unit} 0 to {extent.last}).")


def check_html_ranges_within_media(body: dict, nodes: dict[str, list[int]] | None) -> None:
    """HTML ranges lie inside the HTML file: each end names an element of the document (by XPath) at an offset within
    that element's text, and a range does not start after it ends (in the document's text)."""
    if nodes is None:
        return
    for entry_hash, entry in body.get("object_answers", {}).items():
        where = f"object_answers/{entry_hash}"
        for html_range in entry.get("range_html") or []:
            (start_xpath, start_offset), (end_xpath, end_offset) = ((html_range[e]["xpath"], html_range[e]["offset"])
                                                                    for e in ("start", "end"))
            positions = []
            for xpath, offset in ((start_xpath, start_offset), (end_xpath, end_offset)):
                node = node_named(xpath, nodes)
                if node is None:
                    raise exc.CorruptedLabel(payload=f"{where}: range node {xpath} is not an element of the media.")
                text_start, length = nodes[node]
                if not 0 <= offset <= length:
                    raise exc.CorruptedLabel(payload=f"{where}: range offset {offset} in {xpath} is outside the media "
                                                     f"(characters 0 to {length} of that node).")
                positions.append(text_start + offset)
            if positions[0] > positions[1]:
                raise exc.CorruptedLabel(payload=f"{where}: range from {start_xpath} offset {start_offset} to "
                                                 f"{end_xpath} offset {end_offset} starts after it ends.")


def unanswered_required_attributes(body: dict, known: dict) -> list[str]:
    """Every static required attribute left unanswered (what makes a stored row invalid): an object's or a
    classification's, and those nested under the options chosen, at any depth."""
    feature_of = {o.get("objectHash"): o.get("featureHash") for o in _frame_objects(body.get("data_units", {}))}
    found = []
    for object_hash, answer in body.get("object_answers", {}).items():
        obj = known.get(feature_of.get(object_hash, ""))
        if obj is not None:
            found += _unanswered(obj.node.get("attributes", []), _answers_by_feature(answer),
                                 f"object_answers/{object_hash}")
    for classification_hash, answer in body.get("classification_answers", {}).items():
        classification = known.get(answer.get("featureHash", ""))
        if classification is not None:
            # The root attribute is answered by the classification's presence; what it nests may not be.
            answers = _answers_by_feature(answer)
            for attribute in classification.node.get("attributes", []):
                found += _unanswered(_chosen_options_attributes(attribute, answers), answers,
                                     f"classification_answers/{classification_hash}")
    return found


def _answers_by_feature(answer: dict) -> dict[str, dict]:
    """An answer's entries, nested attributes included (the label format lists them flat), by feature hash."""
    return {entry.get("featureHash"): entry for entry in answer.get("classifications", [])}


def _chosen_options_attributes(attribute: dict, answers: dict[str, dict]) -> list[dict]:
    chosen = answers.get(attribute["featureNodeHash"], {}).get("answers")
    chosen_hashes = {a.get("featureHash") for a in chosen} if isinstance(chosen, list) else set()
    return [nested for option in attribute.get("options", []) if option.get("featureNodeHash") in chosen_hashes
            for nested in option.get("options", [])]


def _unanswered(attributes: list[dict], answers: dict[str, dict], where: str) -> list[str]:
    found = []
    for attribute in attributes:
        if attribute.get("dynamic"):
            continue  # answered per frame range, not required on the row
        if attribute["featureNodeHash"] not in answers:
            if attribute.get("required"):
                found.append(f"{where}: required attribute '{attribute['name']}' is not answered.")
            continue
        found += _unanswered(_chosen_options_attributes(attribute, answers), answers, where)
    return found


def check_required_attributes(missing: list[str]) -> None:
    """validate_before_saving: the save is refused while a required attribute is unanswered."""
    if missing:
        raise exc.CorruptedLabel(payload=missing[0])


def kept_to_features(label_row: dict, object_hashes: set[str] | None, classification_hashes: set[str] | None) -> dict:
    """A stored label row with the objects and classifications of the features chosen only (all when None), and the
    answers and actions of what is kept (a read's include_object/classification_feature_hashes, an export's filters)."""
    return kept_labels(label_row,
                       lambda o: object_hashes is None or o.get("featureHash") in object_hashes,
                       lambda c: classification_hashes is None or c.get("featureHash") in classification_hashes)


def kept_labels(label_row: dict, keep_object, keep_classification) -> dict:
    """A stored label row with the objects and classifications kept only (each predicate is asked of an instance's
    frame label or answer, which both carry its hash and feature hash), and the answers and actions of all but the
    objects removed."""
    def kept_frame(labels: dict) -> dict:
        return {**labels,
                "objects": [o for o in labels.get("objects", []) if keep_object(o)],
                "classifications": [c for c in labels.get("classifications", []) if keep_classification(c)]}

    units = {key: kept_frame(labels) if "objects" in labels or "classifications" in labels
             else {frame: kept_frame(frame_labels) for frame, frame_labels in labels.items()}
             for key, labels in label_row["unit_labels"].items()}
    removed = _labelled_objects(label_row["unit_labels"]) - _labelled_objects(units)
    return {**label_row, "unit_labels": units,
            "object_answers": {h: a for h, a in label_row["object_answers"].items() if h not in removed},
            "object_actions": {h: a for h, a in label_row["object_actions"].items() if h not in removed},
            "classification_answers": {h: a for h, a in label_row["classification_answers"].items()
                                       if keep_classification({**a, "classificationHash": h})}}


def _labelled_objects(unit_labels: dict) -> set[str]:
    return {o.get("objectHash") for o in _frame_objects({key: {"labels": unit} for key, unit in unit_labels.items()})}


# A label's review approval state (the SDK's ReviewApprovalState), from the status of its review.
REVIEW_APPROVAL_STATES = {"APPROVED": "APPROVED", "REJECTED": "REJECTED", "NEW": "PENDING", "REOPENED": "PENDING",
                          "RESOLVED": "PENDING"}


def review_approval_state(review_status: str | None) -> str:
    """What copy_project's label statuses filter on: a label never sent to review is NOT_SELECTED_FOR_REVIEW."""
    return "NOT_SELECTED_FOR_REVIEW" if review_status is None else REVIEW_APPROVAL_STATES[review_status]


def label_status_after_save(body: dict) -> str:
    """A saved row with labels is LABELLED; one saved empty stays LABEL_IN_PROGRESS."""
    has_labels = bool(_frame_objects(body.get("data_units", {}))) or bool(body.get("classification_answers"))
    return "LABELLED" if has_labels else "LABEL_IN_PROGRESS"


SPACE_TYPES = {"image": "image", "video": "video"}  # the space a data group's item is labelled in, by its type


def group_space(layout_key: str, child: dict) -> dict:
    return {"space_type": SPACE_TYPES[child["item_type"]], "layout_key": layout_key, "file_name": child["name"],
            "url": child["url"], "width": child["width"], "height": child["height"],
            "number_of_frames": child["frame_count"] or 1, "duration": child["duration"], "fps": child["fps"]}


def check_spaces_within_media(body: dict, spaces: dict[str, dict]) -> None:
    """A data group's labels lie in its spaces, each keyed by frames inside the space's media (an image has one)."""
    for space_id, space in body.get("spaces", {}).items():
        if space_id not in spaces:
            raise exc.CorruptedLabel(payload=f"spaces: {space_id} is not a space of this data row.")
        count = spaces[space_id]["number_of_frames"]
        for frame in space.get("labels") or {}:
            if not frame.isdigit() or int(frame) >= count:
                raise exc.CorruptedLabel(payload=f"spaces/{space_id}/labels: frame {frame} is outside the media "
                                                 f"(it has {count} frames).")


def with_space_labels(body: dict) -> dict:
    """A saved row with each space's labels as a data unit of its own, as the row's labels are stored and checked."""
    spaces = {space_id: {"labels": space.get("labels") or {}} for space_id, space in body.get("spaces", {}).items()}
    return {**body, "data_units": {**body.get("data_units", {}), **spaces}}


def stages_by_uuid(project: dict) -> dict[str, dict]:
    """A workflow project's stages by uuid (none in a manual-QA project)."""
    return {stage["uuid"]: stage for stage in (project.get("workflow") or {}).get("stages", [])}


@functools.lru_cache(maxsize=1 << 16)
def task_uuid(project_hash: str, data_hash: str) -> str:
    """A data unit's task's uuid: the same each time it is asked (named from the project and the unit), so a task
    nothing moved yet need not be stored; kept for the units listed most (a listing asks one per row)."""
    return str(uuid.uuid5(TASK_NAMESPACE, f"{project_hash}:{data_hash}"))


def frame_count(row: dict) -> int:
    if row.get("number_of_frames"):
        return row["number_of_frames"]
    if row.get("images_data"):
        return len(row["images_data"])
    if row.get("frames_per_second") and row.get("duration"):
        return round(row["frames_per_second"] * row["duration"])
    return 1


def unit_keys(row: dict) -> list[str]:
    """Image groups have one data unit per image; everything else one data unit named by its data hash."""
    if row["data_type"] == "IMG_GROUP" and row.get("images_data"):
        return [image["image_hash"] for image in row["images_data"]]
    return [row["data_hash"]]


def frame_keyed(row: dict) -> bool:
    return row["data_type"] in ("VIDEO", "DICOM", "NIFTI", "SCENE", "PDF")


class LabelBackend:
    def __init__(self, store: Store, datasets: DatasetBackend, projects: ProjectBackend, max_objects_per_row: int):
        self.store = store
        self.max_objects_per_row = max_objects_per_row
        self.datasets = datasets
        self.projects = projects
        store.index(LABEL_ROWS, "project_hash")
        store.index(TASKS, "project_hash")
        store.index(LABEL_REVIEWS, "task_uuid")
        store.index(LABEL_LOGS, "project_hash")
        self._log_sequence = itertools.count()  # orders the entries one request logs in the same microsecond
        self._task_action_observers: list[Callable[[User, dict, str, str], None]] = []

    def observe_task_actions(self, observer: Callable[[User, dict, str, str], None]) -> None:
        """Who is told of each task action taken (the user, the task, the stage it was taken in and the action,
        as analytics names it: assign, release, submit, approve, reject, move)."""
        self._task_action_observers.append(observer)

    def _task_action_taken(self, user: User, task: dict, stage_uuid: str, action: str) -> None:
        for observer in self._task_action_observers:
            observer(user, task, stage_uuid, action)

    # -- tasks --------------------------------------------------------------------------------------------------------

    def task(self, project: dict, data_hash: str) -> dict:
        """A data unit's task: where it sits in the workflow (in the first stage until something moves it), or in a
        manual-QA project its status (queued until something changes it)."""
        stored = self.store.get(TASKS, f"{project['project_hash']}:{data_hash}")
        return stored if stored is not None else self._task_not_yet_moved(project, data_hash)

    def tasks(self, project: dict) -> dict[str, dict]:
        """The stored tasks of a project (those something moved or changed), by data hash, in one read: a listing
        of many rows reads them at once rather than one ``task`` each."""
        return {t["data_hash"]: t for t in self.store.find_by(TASKS, "project_hash", [project["project_hash"]])}

    def _task_among(self, project: dict, data_hash: str, moved: dict[str, dict]) -> dict:
        """``task``, of the project's stored tasks read already (``tasks``)."""
        return moved.get(data_hash) or self._task_not_yet_moved(project, data_hash)

    def _task_not_yet_moved(self, project: dict, data_hash: str) -> dict:
        """A task nothing moved yet, as ``task`` describes it (not stored until something changes it)."""
        task = {"uuid": task_uuid(project["project_hash"], data_hash),
                "project_hash": project["project_hash"], "data_hash": data_hash,
                "created_at": project["created_at"], "updated_at": project["created_at"], "assignee": None}
        if project["project_type"] == MANUAL_QA:
            return {**task, "stage_uuid": None, "status": "QUEUED", "priority": None}
        return {**task, "stage_uuid": first_stage(project)["uuid"], "status": "NEW", "priority": 0.5}

    def _save_task(self, task: dict) -> None:
        task["updated_at"] = timefmt.now_iso()
        self.store.put(TASKS, f"{task['project_hash']}:{task['data_hash']}", task)

    @staticmethod
    def stage_of(project: dict, task: dict, stages: dict[str, dict] | None = None) -> dict | None:
        """The task's workflow stage (None in a manual-QA project); of ``stages`` (``stages_by_uuid``) when a loop
        over many tasks holds them already."""
        if task["stage_uuid"] is None:
            return None
        return (stages or stages_by_uuid(project))[task["stage_uuid"]]

    @staticmethod
    def annotation_task_status(task: dict, stage: dict | None) -> str:
        """What listings report: a manual-QA task's own status, or what the kind of a workflow task's stage means."""
        return task["status"] if stage is None else TASK_STATUS_BY_STAGE.get(stage["stageType"])

    def _views(self, project: dict, entries: list[tuple[dict, dict | None]],
               tasks: dict[str, dict] | None = None) -> list[LabelRowView]:
        """Each (data row, label row) with what its wire needs; the project and its datasets are read once, and the
        tasks when ``tasks`` (by data hash) holds them already."""
        titles = self.datasets.titles(project["dataset_hashes"])
        stages = stages_by_uuid(project)
        views = []
        for row, label_row in entries:
            task = tasks[row["data_hash"]] if tasks is not None else self.task(project, row["data_hash"])
            stage = self.stage_of(project, task, stages)
            views.append(LabelRowView(row, label_row, task, stage, self.annotation_task_status(task, stage),
                                      titles[row["dataset_hash"]], self.spaces(row)))
        return views

    def spaces(self, row: dict) -> dict[str, dict]:
        """What a data group's label row labels: a space per image or video it holds (named by the item's uuid),
        with its layout key, file and media; other data rows, and a group's items of other types, have none."""
        if row["data_type"] != "GROUP":
            return {}
        return {child["uuid"]: group_space(key, child)
                for key, child in self.datasets.storage.data_group_children(row["backing_item_uuid"])
                if child["item_type"] in SPACE_TYPES}

    def set_annotation_task_status(self, project_hash: str, data_hash: str, status: str) -> dict:
        """Move a manual-QA task (the control API's stand-in for the web app's annotators and reviewers)."""
        with self.store.transaction():
            project = self.store.get(PROJECTS, project_hash)
            if project is None:
                raise ProjectNotFound(project_hash)
            if project["project_type"] != MANUAL_QA:
                raise NotAManualQaProject(project_hash)
            self.data_row(project, data_hash)
            task = self.task(project, data_hash)
            task["status"] = status
            self._save_task(task)
        return task

    # -- what a project holds -------------------------------------------------------------------------------------------

    def data_rows(self, project: dict, fields: tuple[str, ...] | None = None) -> list[dict]:
        """The project's data rows, oldest first (each with ``fields`` only, when named)."""
        rows = self.store.find_by(DATA_ROWS, "dataset_hash", project["dataset_hashes"], fields=fields)
        return sorted(rows, key=lambda r: (r["created_at"], r["data_title"]))

    def data_row(self, project: dict, data_hash: str) -> dict:
        row = self.store.get(DATA_ROWS, data_hash)
        if row is None or row["dataset_hash"] not in project["dataset_hashes"]:
            raise exc.DataUnitNotInProject(data_hash)
        return row

    def annotations(self, project: dict, row: dict) -> set[tuple[int, str]]:
        """Each (frame, object or classification hash) labelled on a data unit's main-branch label row: in its frames'
        labels, or (as the SDK saves an image group's classifications) in the frame ranges of its answers."""
        keyed = self.store.get(LABEL_ROW_KEYS, f"{project['project_hash']}:{row['data_hash']}:{MAIN}")
        if keyed is None:
            return set()
        label_row = self.store.get(LABEL_ROWS, keyed["label_hash"])
        found = set()
        for index, key in enumerate(unit_keys(row)):
            labels = label_row["unit_labels"].get(key) or {}
            frames = ({index: labels} if "objects" in labels or "classifications" in labels
                      else {int(frame): frame_labels for frame, frame_labels in labels.items()})
            for frame, frame_labels in frames.items():
                found |= {(frame, o["objectHash"]) for o in frame_labels.get("objects", [])}
                found |= {(frame, c["classificationHash"]) for c in frame_labels.get("classifications", [])}
        for annotation_id, answer in {**label_row["object_answers"], **label_row["classification_answers"]}.items():
            found |= {(frame, annotation_id) for first, last in answer.get("range") or []
                      for frame in range(first, last + 1)}
        return found

    def label_rows(self, project_hash: str, fields: tuple[str, ...] | None = None) -> list[dict]:
        return self.store.find_by(LABEL_ROWS, "project_hash", [project_hash], fields=fields)

    # -- listing ------------------------------------------------------------------------------------------------------

    def list_label_rows(self, user: User, project_hash: str, f: LabelRowFilters,
                        metadata_only: bool = False) -> list[LabelRowView]:
        """Every listed entry, with every filter applied; ``metadata_only``: each label row with its
        ``LABEL_ROW_METADATA`` fields only (a listing's wire), not its labels."""
        if f.branch_name is not None and f.include_all_label_branches:
            raise exc.BranchWithAllBranches()
        project = self.projects.get_project(user, project_hash)
        if f.shadow_data_state == "SHADOW_DATA":
            # Shadow data is a benchmark-QA project's annotator view; the emulator makes no such project, so every
            # data unit is production data.
            return []
        branch = f.branch_name or MAIN
        by_data: dict[str, list[dict]] = {}
        for label_row in self.label_rows(project_hash, LABEL_ROW_METADATA if metadata_only else None):
            by_data.setdefault(label_row["data_hash"], []).append(label_row)
        edited_after = filters.parse_time("edited_after", f.edited_after)
        edited_before = filters.parse_time("edited_before", f.edited_before)
        data_hashes = set(f.data_hashes) if f.data_hashes is not None else None
        label_hashes = set(f.label_hashes) if f.label_hashes is not None else None
        listed, tasks, moved, stages = [], {}, self.tasks(project), stages_by_uuid(project)
        for row in self.data_rows(project, DATA_ROW_METADATA if metadata_only else None):
            if data_hashes is not None and row["data_hash"] not in data_hashes:
                continue
            if f.data_title_eq is not None and row["data_title"] != f.data_title_eq:
                continue
            if f.data_title_like is not None and not filters.sql_like(f.data_title_like, row["data_title"]):
                continue
            task = tasks[row["data_hash"]] = self._task_among(project, row["data_hash"], moved)
            stage = self.stage_of(project, task, stages)
            if f.workflow_graph_node_title_eq is not None and \
                    (stage is None or stage["title"] != f.workflow_graph_node_title_eq):
                continue
            if f.workflow_graph_node_title_like is not None and \
                    (stage is None or not filters.sql_like(f.workflow_graph_node_title_like, stage["title"])):
                continue
            if f.label_statuses is not None and self.annotation_task_status(task, stage) not in f.label_statuses:
                continue
            existing = sorted(by_data.get(row["data_hash"], []), key=lambda r: r["branch_name"])
            if f.include_all_label_branches:
                entries = existing or [None]
            else:
                entries = [next((r for r in existing if r["branch_name"] == branch), None)]
            for label_row in entries:
                if label_row is None and not f.include_uninitialised_labels:
                    continue
                if label_hashes is not None and (label_row is None or label_row["label_hash"] not in label_hashes):
                    continue
                stamp = label_row["last_edited_at"] if label_row else None
                if not filters.within(stamp, edited_after, edited_before):
                    continue
                listed.append((row, label_row))
        return self._views(project, listed, tasks)

    def branches(self, user: User, project_hash: str) -> list[str]:
        """A project's label branches: main (always there), then every other branch a label row was created on."""
        self.projects.get_project(user, project_hash)
        return [MAIN, *sorted({r["branch_name"] for r in self.label_rows(project_hash)} - {MAIN})]

    # -- create, read, save -------------------------------------------------------------------------------------------

    def create_label_rows(self, user: User, project_hash: str, data_hashes: list[str], branch_name: str) -> list[LabelRowView]:
        check_bundle_limit(len(data_hashes))
        check_branch_name(branch_name)
        with self.store.transaction() as tx:
            project = self.projects.get_project(user, project_hash)
            created = []
            for data_hash in data_hashes:
                row = self.data_row(project, data_hash)
                row_key = f"{project_hash}:{data_hash}:{branch_name}"
                existing = tx.get(LABEL_ROW_KEYS, row_key)
                if existing:
                    raise exc.LabelRowExists(data_hash, branch_name, existing["label_hash"])
                now = timefmt.now_iso()
                label_row = {
                    "label_hash": str(uuid.uuid4()), "project_hash": project_hash, "data_hash": data_hash,
                    "dataset_hash": row["dataset_hash"], "branch_name": branch_name, "created_at": now,
                    "last_edited_at": now, "label_status": "LABEL_IN_PROGRESS", "version": 0,
                    "unit_labels": {key: {} for key in unit_keys(row)},
                    "object_answers": {}, "classification_answers": {}, "object_actions": {},
                }
                tx.put(LABEL_ROWS, label_row["label_hash"], label_row)
                tx.put(LABEL_ROW_KEYS, row_key, {"label_hash": label_row["label_hash"]})
                created.append((row, label_row))
            return self._views(project, created)

    def get_label_rows(self, user: User, project_hash: str, label_hashes: list[str]) -> list[LabelRowView]:
        check_bundle_limit(len(label_hashes))
        project = self.projects.get_project(user, project_hash)
        found = []
        for label_hash in label_hashes:
            label_row = self.store.get(LABEL_ROWS, label_hash)
            if label_row is None or label_row["project_hash"] != project_hash:
                raise exc.LabelRowNotFound(label_hash)
            found.append((self.data_row(project, label_row["data_hash"]), label_row))
        return self._views(project, found)

    def branch_label_rows(self, user: User, project_hash: str, label_hashes: list[str],
                          branch_name: str) -> list[LabelRowView]:
        """Label rows of a project read in bulk on one branch (get_label_classifications): each must be there."""
        check_branch_name(branch_name)
        views = self.get_label_rows(user, project_hash, label_hashes)
        for view in views:
            if view.label_row["branch_name"] != branch_name:
                raise exc.LabelRowNotOnBranch(view.label_row["label_hash"], branch_name)
        return views

    def save_label_rows(self, user: User, project_hash: str, label_hashes: list[str], bodies: list[dict],
                        validate_before_saving: bool) -> None:
        """Save whole rows: every rule is checked for every row before anything is written."""
        check_bundle_limit(len(label_hashes))
        if len(bodies) != len(label_hashes):
            raise InvalidArgumentsError(f"labels: {len(bodies)} label rows for {len(label_hashes)} label hashes.")
        with self.store.transaction() as tx:
            project = self.projects.get_project(user, project_hash)
            known = features(self.projects.ontologies.get_ontology(user, project["ontology_hash"])["editor"])
            for label_hash, body in zip(label_hashes, bodies):
                check_label_hash_matches(label_hash, body)
                labelled = with_space_labels(body)
                check_objects_per_label_row(label_hash, labelled, self.max_objects_per_row)
                label_row = tx.get(LABEL_ROWS, label_hash)
                branch = body.get("branch_name", MAIN)
                if label_row is None or label_row["project_hash"] != project_hash or label_row["branch_name"] != branch:
                    raise exc.LabelRowNotInitialised(label_hash, project_hash, branch)
                row = self.data_row(project, label_row["data_hash"])
                check_features_in_ontology(labelled, known)
                check_object_answers_complete(labelled)
                check_frames_within_media(body, set(unit_keys(row)), frame_count(row), frame_keyed(row))
                check_ranges_within_media(body, media_extent(row))
                check_html_ranges_within_media(body, row.get("html_nodes"))
                check_spaces_within_media(body, self.spaces(row))
                missing = unanswered_required_attributes(labelled, known)
                if validate_before_saving:
                    check_required_attributes(missing)
                for action, instance_hash, instance in label_changes(label_row, labelled):
                    self._log(user, project_hash, label_row["data_hash"], action, instance_hash,
                              instance["feature_hash"], feature_name(known.get(instance["feature_hash"] or "")),
                              instance["frame"])
                label_row.update(
                    unit_labels={key: unit.get("labels") or {} for key, unit in labelled.get("data_units", {}).items()},
                    object_answers=labelled.get("object_answers", {}),
                    classification_answers=labelled.get("classification_answers", {}),
                    object_actions=labelled.get("object_actions", {}),
                    label_status=label_status_after_save(labelled),
                    last_edited_at=timefmt.now_iso(),
                    version=label_row.get("version", 0) + 1,
                    validation_errors=missing,
                )
                tx.put(LABEL_ROWS, label_hash, label_row)

    def validation_errors(self, user: User, project_hash: str, label_hash: str) -> tuple[dict, list[str]]:
        """What made the stored row invalid when it was saved (a save without validate_before_saving keeps it)."""
        [view] = self.get_label_rows(user, project_hash, [label_hash])
        return view.label_row, view.label_row.get("validation_errors", [])

    # -- project copies -----------------------------------------------------------------------------------------------

    def copy_project(self, user: User, project_hash: str, options: ProjectCopyOptions) -> dict:
        """A copy of a project (``ProjectBackend.copy_project``); with its labels when asked: of each data unit the
        copy holds, the original's main-branch label row, if it is among the label rows asked for, as a new label
        row of the copy with the labels in the review states asked for. The copy's tasks start in its first stage."""
        with self.store.transaction() as tx:
            original, copy, copies = self.projects.copy_project(user, project_hash, options)
            if COPY_LABELS not in options.copied:
                return copy
            rows = {r["label_hash"]: r for r in self.label_rows(project_hash) if r["branch_name"] == MAIN}
            for label_hash in options.label_hashes or ():
                if label_hash not in rows:
                    raise exc.LabelRowNotFound(label_hash)
            for label_row in rows.values():
                if label_row["data_hash"] not in copies or \
                        (options.label_hashes is not None and label_row["label_hash"] not in options.label_hashes):
                    continue
                kept = self._labels_in_review_states(original, label_row, options.label_review_states)
                data_hash = copies[label_row["data_hash"]]
                label_row_copy = {
                    **kept, "label_hash": str(uuid.uuid4()), "project_hash": copy["project_hash"],
                    "data_hash": data_hash, "dataset_hash": tx.get(DATA_ROWS, data_hash)["dataset_hash"],
                    "unit_labels": {data_hash if key == label_row["data_hash"] else key: labels
                                    for key, labels in kept["unit_labels"].items()}}
                tx.put(LABEL_ROWS, label_row_copy["label_hash"], label_row_copy)
                tx.put(LABEL_ROW_KEYS, f"{copy['project_hash']}:{data_hash}:{MAIN}",
                       {"label_hash": label_row_copy["label_hash"]})
        return copy

    def _labels_in_review_states(self, project: dict, label_row: dict, states: tuple[str, ...] | None) -> dict:
        """A label row with the labels whose review approval state is among ``states`` only (all when None)."""
        if states is None:
            return label_row
        task = self.task(project, label_row["data_hash"])
        status_of = {r["label_id"]: r["status"] for r in self._task_label_reviews(task, None)}

        def kept(label: dict) -> bool:
            instance_hash = label.get("objectHash") or label.get("classificationHash")
            return review_approval_state(status_of.get(instance_hash)) in states

        return kept_labels(label_row, kept, kept)

    # -- data deleted from datasets -----------------------------------------------------------------------------------

    def delete_data(self, user: User, dataset_hash: str, data_hashes: list[str]) -> None:
        """Data units removed from a dataset (``DatasetBackend.delete_data_rows``) leave every project that holds
        the dataset: their label rows (on every branch), tasks and label reviews go with them."""
        with self.store.transaction() as tx:
            removed = {row["data_hash"] for row in self.datasets.delete_data_rows(user, dataset_hash, data_hashes)}
            for label_row in self.store.find(LABEL_ROWS, lambda r: r["data_hash"] in removed):
                tx.delete(LABEL_ROWS, label_row["label_hash"])
                tx.delete(LABEL_ROW_KEYS,
                          f"{label_row['project_hash']}:{label_row['data_hash']}:{label_row['branch_name']}")
            for task in self.store.find(TASKS, lambda t: t["data_hash"] in removed):
                tx.delete(TASKS, f"{task['project_hash']}:{task['data_hash']}")
            for review in self.store.find(LABEL_REVIEWS, lambda r: r["data_hash"] in removed):
                tx.delete(LABEL_REVIEWS, review["uuid"])

    # -- copies between branches --------------------------------------------------------------------------------------

    def copy_labels_to_branch(self, user: User, project_hash: str, source_branch: str, target_branch: str,
                              overwrite: bool, data_hashes: list[str] | None, label_hashes: list[str] | None) -> int:
        """Copy label rows of the source branch (those of the data units and label hashes asked, all when None)
        into the target branch: a data unit without a row there gets a new one; one with a row keeps it unless
        ``overwrite``, then the row takes the source's labels. Returns how many rows were created or updated."""
        check_branch_name(target_branch)
        if source_branch == target_branch:
            raise exc.SameSourceAndTargetBranch(source_branch)
        with self.store.transaction() as tx:
            project = self.projects.get_project(user, project_hash)
            if label_hashes is None:
                sources = [r for r in self.label_rows(project_hash) if r["branch_name"] == source_branch]
            else:
                sources = [view.label_row
                           for view in self.branch_label_rows(user, project_hash, label_hashes, source_branch)]
            for data_hash in data_hashes or ():
                self.data_row(project, data_hash)
            copied = 0
            for source in sources:
                if data_hashes is not None and source["data_hash"] not in data_hashes:
                    continue
                row_key = f"{project_hash}:{source['data_hash']}:{target_branch}"
                existing = tx.get(LABEL_ROW_KEYS, row_key)
                if existing and not overwrite:
                    continue
                target = tx.get(LABEL_ROWS, existing["label_hash"]) if existing else {
                    "label_hash": str(uuid.uuid4()), "project_hash": project_hash, "data_hash": source["data_hash"],
                    "dataset_hash": source["dataset_hash"], "branch_name": target_branch,
                    "created_at": timefmt.now_iso(), "version": 0}
                target.update(unit_labels=source["unit_labels"], object_answers=source["object_answers"],
                              classification_answers=source["classification_answers"],
                              object_actions=source["object_actions"], label_status=source["label_status"],
                              validation_errors=source.get("validation_errors", []),
                              last_edited_at=timefmt.now_iso(), version=target["version"] + 1)
                tx.put(LABEL_ROWS, target["label_hash"], target)
                tx.put(LABEL_ROW_KEYS, row_key, {"label_hash": target["label_hash"]})
                copied += 1
        return copied

    # -- workflow -----------------------------------------------------------------------------------------------------

    def workflow_action(self, user: User, project_hash: str, label_hashes: list[str], action: str) -> None:
        """complete: to the final stage; reopen: back to the first stage."""
        if action not in ("complete", "reopen"):
            raise exc.InvalidWorkflowAction(action)
        with self.store.transaction():
            project = self.projects.get_project(user, project_hash)
            require_workflow(project)
            for view in self.get_label_rows(user, project_hash, label_hashes):
                task = view.task
                self._task_action_taken(user, task, task["stage_uuid"], "move")
                if action == "complete":
                    task.update(stage_uuid=stage_of_type(project, "DONE")["uuid"], status="COMPLETED")
                else:
                    task.update(stage_uuid=first_stage(project)["uuid"], status="REOPENED")
                self._save_task(task)

    def interpolate_objects(self, user: User, project_hash: str, key_frames: dict, object_hashes: list[str]) -> dict:
        """Object interpolation, for a project's collaborators."""
        self.projects.get_project(user, project_hash)
        return interpolation.interpolate_objects(key_frames, object_hashes)

    def set_priorities(self, user: User, project_hash: str, priorities: list[tuple[str, float]]) -> None:
        with self.store.transaction():
            project = self.projects.get_project(user, project_hash)
            require_workflow(project)
            for data_hash, priority in priorities:
                self.data_row(project, data_hash)
                if not 0.0 <= priority <= 1.0:
                    raise InvalidArgumentsError(f"priorities: {priority} for {data_hash} is not between 0 and 1.")
                task = self.task(project, data_hash)
                task["priority"] = priority
                self._save_task(task)

    def stage_tasks(self, user: User, project_hash: str, stage_uuid: str) -> list[tuple[dict, dict]]:
        project = self.projects.get_project(user, project_hash)
        stage_by_uuid(project, stage_uuid)
        moved = self.tasks(project)
        tasks = [(row, self._task_among(project, row["data_hash"], moved)) for row in self.data_rows(project)]
        return [(row, task) for row, task in tasks if task["stage_uuid"] == stage_uuid]

    def stage_with_tasks(self, user: User, project_hash: str, stage_uuid: str) -> tuple[dict, list[tuple[dict, dict]]]:
        """A stage of the project's workflow and the tasks in it."""
        return (stage_by_uuid(self.projects.get_project(user, project_hash), stage_uuid),
                self.stage_tasks(user, project_hash, stage_uuid))

    def stage_actions(self, user: User, project_hash: str, stage_uuid: str, actions: list[dict]) -> None:
        """Task actions in a stage: SUBMIT (annotation) / APPROVE (review) move a task to the next stage, REJECT
        sends it back to the first, ASSIGN and RELEASE change who holds it, PATHWAY_ACTION (agent) sends it down a
        pathway of the stage to its destination. All of a request's actions or none."""
        with self.store.transaction():
            tasks = {task["uuid"]: task for _, task in self.stage_tasks(user, project_hash, stage_uuid)}
            project = self.projects.get_project(user, project_hash)
            stage = stage_by_uuid(project, stage_uuid)
            for action in actions:
                task = tasks.get(action["taskUuid"])
                if task is None:
                    raise exc.TaskNotInStage(action["taskUuid"], stage_uuid)
                kind = action["action"]
                check_action_fits_stage(kind, stage)
                task["last_actioned_by"] = user.email
                if kind in ("SUBMIT", "APPROVE", "REJECT", "ASSIGN", "RELEASE"):
                    self._task_action_taken(user, task, stage_uuid, kind.lower())
                if kind in LOG_TASK_ACTIONS:
                    self._log(user, project_hash, task["data_hash"], LOG_TASK_ACTIONS[kind])
                if kind in ("SUBMIT", "APPROVE"):
                    if kind == "SUBMIT" and action.get("resolveLabelReviews", True):
                        self._decide_label_reviews(task, None, ("REJECTED",), "RESOLVED")
                    if kind == "APPROVE" and action.get("approveLabelReviews", True):
                        self._decide_label_reviews(task, stage_uuid, PENDING_REVIEW, "APPROVED")
                    following = stage_after(project, stage_uuid, task["uuid"])
                    task.update(stage_uuid=following["uuid"],
                                status="COMPLETED" if following["stageType"] == "DONE" else "NEW",
                                assignee=action.get("assignee") if action.get("retainAssignee") else None)
                    self._open_label_reviews(project, task, following)
                elif kind == "REJECT":
                    if action.get("rejectLabelReviews", True):
                        self._decide_label_reviews(task, stage_uuid, PENDING_REVIEW, "REJECTED")
                    task.update(stage_uuid=first_stage(project)["uuid"], status="REOPENED", assignee=None)
                elif kind == "ASSIGN":
                    task.update(status="ASSIGNED", assignee=action["assignee"])
                elif kind == "RELEASE":
                    task.update(status="RELEASED", assignee=None)
                elif kind == PATHWAY_ACTION:
                    pathway = pathway_taken(stage, action.get("pathwayUuid"), action.get("pathwayName"))
                    following = stage_by_uuid(project, pathway["destinationUuid"])
                    task.update(stage_uuid=following["uuid"],
                                status="COMPLETED" if following["stageType"] == "DONE" else "NEW", assignee=None)
                    self._open_label_reviews(project, task, following)
                else:
                    raise InvalidArgumentsError(f"action: unknown task action {kind!r}; expected SUBMIT, APPROVE, "
                                                f"REJECT, ASSIGN, RELEASE or {PATHWAY_ACTION}.")
                self._save_task(task)

    def move_tasks(self, user: User, project_hash: str, origin_stage_uuid: str, destination_stage_uuid: str,
                   task_uuids: list[str]) -> None:
        """Move tasks from a stage to any other stage of the project's workflow, as the web app's task management
        does (its admins and team managers only). All of a request's tasks or none."""
        with self.store.transaction():
            tasks = {task["uuid"]: task for _, task in self.stage_tasks(user, project_hash, origin_stage_uuid)}
            project = self.projects.get_project(user, project_hash)
            check_may_move_tasks(role_of(user, project), project_hash)
            destination = stage_by_uuid(project, destination_stage_uuid)
            if destination_stage_uuid == origin_stage_uuid:
                raise exc.TasksAlreadyInStage(destination["title"])
            status = status_after_move(project, origin_stage_uuid, destination)
            for task_uuid in task_uuids:
                task = tasks.get(task_uuid)
                if task is None:
                    raise exc.TaskNotInStage(task_uuid, origin_stage_uuid)
                self._task_action_taken(user, task, origin_stage_uuid, "move")
                task.update(stage_uuid=destination_stage_uuid, status=status, assignee=None)
                self._save_task(task)
                self._open_label_reviews(project, task, destination)

    def main_branch_labels(self, project: dict, data_hash: str) -> list[tuple[str, str]]:
        """The object and classification instances of a data unit's main-branch labels (what a review stage
        reviews, and what an issue may be anchored to), as (label type, label id)."""
        key = self.store.get(LABEL_ROW_KEYS, f"{project['project_hash']}:{data_hash}:{MAIN}")
        return reviewed_labels(self.store.get(LABEL_ROWS, key["label_hash"]) if key else None)

    # -- label reviews ------------------------------------------------------------------------------------------------

    def _task_label_reviews(self, task: dict, stage_uuid: str | None) -> list[dict]:
        """A task's label reviews in a stage (in every stage when None), in the order they were opened."""
        found = self.store.find_by(LABEL_REVIEWS, "task_uuid", [task["uuid"]],
                                   lambda r: stage_uuid is None or r["stage_uuid"] == stage_uuid)
        return sorted(found, key=lambda r: r["position"])

    def _open_label_reviews(self, project: dict, task: dict, stage: dict) -> None:
        """A task entering a review stage has a review of each of its labels there: a label reviewed there before
        keeps its review (and its status), a new label gets a NEW one, a label since deleted loses its."""
        if stage["stageType"] != "REVIEW":
            return
        existing = {r["label_id"]: r for r in self._task_label_reviews(task, stage["uuid"])}
        labels = self.main_branch_labels(project, task["data_hash"])
        for position, (label_type, label_id) in enumerate(labels):
            review = existing.pop(label_id, None) or {
                "uuid": str(uuid.uuid4()), "project_hash": project["project_hash"], "task_uuid": task["uuid"],
                "data_hash": task["data_hash"], "stage_uuid": stage["uuid"], "label_type": label_type, "label_id": label_id, "status": "NEW",
                "comment": None, "comment_tags": []}
            review["position"] = position
            self.store.put(LABEL_REVIEWS, review["uuid"], review)
        for gone in existing.values():
            self.store.delete(LABEL_REVIEWS, gone["uuid"])

    def _decide_label_reviews(self, task: dict, stage_uuid: str | None, statuses: tuple[str, ...],
                              decided: str) -> None:
        """A task action's effect on its label reviews: approving or rejecting a task decides its pending reviews,
        submitting it again resolves the rejected ones."""
        for review in self._task_label_reviews(task, stage_uuid):
            if review["status"] in statuses:
                review["status"] = decided
                self.store.put(LABEL_REVIEWS, review["uuid"], review)

    def _stage_task(self, user: User, project_hash: str, stage_uuid: str, task_uuid: str) -> dict:
        task = next((t for _, t in self.stage_tasks(user, project_hash, stage_uuid) if t["uuid"] == task_uuid), None)
        if task is None:
            raise exc.TaskNotInStage(task_uuid, stage_uuid)
        return task

    def label_reviews(self, user: User, project_hash: str, stage_uuid: str, task_uuid: str) -> list[dict]:
        """The reviews of a task's labels in the review stage it is in."""
        return self._task_label_reviews(self._stage_task(user, project_hash, stage_uuid, task_uuid), stage_uuid)

    def label_review_actions(self, user: User, project_hash: str, stage_uuid: str, task_uuid: str,
                             actions: list[dict]) -> None:
        """Approve, reject (with a comment and issue tags) or reopen reviews of a task's labels. All of a request's
        actions or none."""
        with self.store.transaction():
            reviews = {r["uuid"]: r for r in self.label_reviews(user, project_hash, stage_uuid, task_uuid)}
            for action in actions:
                review = reviews.get(action["reviewUuid"])
                if review is None:
                    raise exc.LabelReviewNotOfTask(action["reviewUuid"], task_uuid, stage_uuid)
                review["status"] = label_review_status_after(action["action"], review)
                if action["action"] in LOG_LABEL_REVIEW_ACTIONS:
                    self._log(user, project_hash, review["data_hash"], LOG_LABEL_REVIEW_ACTIONS[action["action"]],
                              review["label_id"])
                if action["action"] == "REJECT":
                    review.update(comment=action.get("comment"), comment_tags=action.get("commentTags") or [])
                self.store.put(LABEL_REVIEWS, review["uuid"], review)

    # -- label logs ---------------------------------------------------------------------------------------------------

    def _log(self, user: User, project_hash: str, data_hash: str, action: int, identifier: str | None = None,
             feature_hash: str | None = None, label_name: str | None = None, frame: int | None = None) -> None:
        entry = {"log_hash": str(uuid.uuid4()), "project_hash": project_hash, "user_hash": user.user_hash,
                 "user_email": user.email, "data_hash": data_hash, "action": action, "created_at": timefmt.now_iso(),
                 "identifier": identifier, "feature_hash": feature_hash, "label_name": label_name, "frame": frame,
                 "sequence": next(self._log_sequence)}
        self.store.put(LABEL_LOGS, entry["log_hash"], entry)

    def label_logs(self, user: User, project_hash: str, user_hash: str | None, user_email: str | None,
                   data_hash: str | None, start_timestamp: int | None, end_timestamp: int | None) -> list[dict]:
        """What was done to a project's labels, oldest first: by whom (hash or email), to which data unit, from and
        to which Unix second (both included)."""
        self.projects.get_project(user, project_hash)

        def wanted(entry: dict) -> bool:
            second = int(timefmt.parse(entry["created_at"]).timestamp())
            return ((user_hash is None or entry["user_hash"] == user_hash)
                    and (user_email is None or entry["user_email"] == user_email)
                    and (data_hash is None or entry["data_hash"] == data_hash)
                    and (start_timestamp is None or second >= start_timestamp)
                    and (end_timestamp is None or second <= end_timestamp))

        found = self.store.find_by(LABEL_LOGS, "project_hash", [project_hash], wanted)
        return sorted(found, key=lambda e: (e["created_at"], e["sequence"]))

    def editor_logs(self, user: User, project_hash: str, start_time: str | None, end_time: str | None) -> list[dict]:
        """What was done in the web app's label editor: the emulator has no editor, so nothing ever was."""
        self.projects.get_project(user, project_hash)
        check_editor_logs_range(start_time, end_time)
        return []
