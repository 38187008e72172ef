"""Exports (label versions): seed 003's JSON (and COCO) export of a project's label rows, and their history.

An export is made as the web app's "Export and save" makes it: of the label rows selected (all of a branch by
default), kept to the label statuses and the ontology's objects and classifications chosen, with the media links
signed or not. Each export is a label version: it has an ``export_hash``, the time it was made and the email of the
user who made it; it is kept (the file as it was made) to be listed and downloaded again, and every row it exported
carries it in its ``export_history``, newest first. The label rows, projects and datasets are asked of their
backends; the label versions are this backend's own table.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from emulator.auth.exceptions import UnknownUser
from emulator.auth.models import UserBackend
from emulator.buckets.models import MediaSigner
from emulator.core import timefmt
from emulator.core.store import Store
from emulator.datasets.models import DatasetBackend
from emulator.export import coco
from emulator.export import exceptions as exc
from emulator.labels.models import MAIN, LabelBackend, LabelRowFilters, check_branch_name, kept_to_features
from emulator.ontologies.models import features
from emulator.projects.models import MANUAL_QA, ProjectBackend

LABEL_VERSIONS = "label_version"
JSON, COCO = "json", "coco"
LABEL_STATUSES = ("NOT_LABELLED", "LABEL_IN_PROGRESS", "LABELLED", "REVIEW_IN_PROGRESS", "REVIEWED",
                  "REVIEWED_TWICE")
IMAGE_FRAME = "0"  # seed 003 keys an image's labels by its one frame, as it keys a video's


@dataclass(frozen=True)
class ExportOptions:
    """The web app's export dialog: which rows, which format, signed links or not, which statuses and features."""

    format: str = JSON
    label_hashes: tuple[str, ...] | None = None
    signed_urls: bool = False
    statuses: tuple[str, ...] | None = None
    object_feature_hashes: tuple[str, ...] | None = None
    classification_feature_hashes: tuple[str, ...] | None = None
    branch_name: str = MAIN
    version_name: str | None = None
    user_email: str | None = None

    def recorded(self) -> dict:
        """The options as the label version keeps them."""
        return {"format": self.format, "label_hashes": _listed(self.label_hashes), "signed_urls": self.signed_urls,
                "statuses": _listed(self.statuses), "object_feature_hashes": _listed(self.object_feature_hashes),
                "classification_feature_hashes": _listed(self.classification_feature_hashes),
                "branch_name": self.branch_name}


def _listed(values: tuple[str, ...] | None) -> list[str] | None:
    return list(values) if values is not None else None


# -- the rules --------------------------------------------------------------------------------------------------------

def check_statuses(statuses: tuple[str, ...] | None) -> None:
    for status in statuses or ():
        if status not in LABEL_STATUSES:
            raise exc.UnknownLabelStatus(status, LABEL_STATUSES)


def check_features(option: str, feature_hashes: tuple[str, ...] | None, known: dict, kind: str) -> None:
    """A feature filter names objects (or classifications) of the project's ontology, nothing else."""
    for feature_hash in feature_hashes or ():
        feature = known.get(feature_hash)
        if feature is None or feature.kind != kind:
            raise exc.UnknownFeature(option, feature_hash, kind)


def check_label_hashes(label_hashes: tuple[str, ...] | None, on_branch: set[str], project_hash: str,
                       branch_name: str) -> None:
    """The rows selected are label rows of this project on the branch exported."""
    for label_hash in label_hashes or ():
        if label_hash not in on_branch:
            raise exc.LabelRowNotExportable(label_hash, project_hash, branch_name)


def exported_at_text(iso: str) -> str:
    """The time of an export as seed 003 prints it: ``Mon, 02 Oct 2023 14:35:30 UTC``."""
    return timefmt.parse(iso).strftime("%a, %d %b %Y %H:%M:%S UTC")


def row_time_text(iso: str) -> str:
    """A label row's created_at / last_edited_at as seed 003 prints them: ``2023-03-23 11:42:14``."""
    return timefmt.legacy(iso)


def history_entry(version: dict) -> dict:
    return {"export_hash": version["export_hash"], "exported_at": exported_at_text(version["exported_at"]),
            "user_email": version["user_email"]}


def newest_first(versions: list[dict]) -> list[dict]:
    return sorted(versions, key=lambda v: v["exported_at"], reverse=True)


def _frames(unit_labels: dict) -> dict[str, dict]:
    """A data unit's labels by frame: an image's one list of objects and classifications is its frame 0."""
    return {IMAGE_FRAME: unit_labels} if "objects" in unit_labels or "classifications" in unit_labels \
        else dict(unit_labels)


def skeleton_as_seed_encodes(obj: dict, known: dict) -> dict:
    """A skeleton's vertices with the name, colour and value their template gives them (the SDK saves the name and
    the feature hash only)."""
    if obj.get("shape") != "skeleton":
        return obj
    vertices = {}
    for key, vertex in obj.get("skeleton", {}).items():
        template = known[vertex["featureHash"]].node if vertex.get("featureHash") in known else {}
        vertices[key] = {"x": vertex["x"], "y": vertex["y"], "name": vertex.get("name", template.get("name")),
                         "color": template.get("color"), "value": template.get("value"),
                         "featureHash": vertex.get("featureHash")}
    return {**obj, "skeleton": vertices}


def frame_classification(classification_hash: str, answer: dict) -> dict:
    """A classification as seed 003 lists it in a frame, from its entry in classification_answers."""
    root = (answer.get("classifications") or [{}])[0]
    return {"name": root.get("name"), "value": root.get("value"), "createdAt": answer.get("createdAt"),
            "createdBy": answer.get("createdBy"), "confidence": answer.get("confidence", 1.0),
            "featureHash": answer.get("featureHash"), "lastEditedAt": answer.get("lastEditedAt"),
            "classificationHash": classification_hash, "manualAnnotation": answer.get("manualAnnotation", True)}


def ranged_classifications(label_row: dict, per_unit: bool) -> dict[tuple[str, str], list[dict]]:
    """Where each classification applies, by (data unit, frame): every frame of its range (the SDK keeps the range in
    classification_answers and leaves the frames' lists empty); in an image group the range counts images."""
    unit_keys = list(label_row["unit_labels"])
    found: dict[tuple[str, str], list[dict]] = {}
    for classification_hash, answer in label_row["classification_answers"].items():
        for start, end in answer.get("range") or []:
            for index in range(start, min(end + 1, len(unit_keys)) if per_unit else end + 1):
                place = (unit_keys[index], IMAGE_FRAME) if per_unit else (unit_keys[0], str(index))
                found.setdefault(place, []).append(frame_classification(classification_hash, answer))
    return found


def kept_labels(label_row: dict, options: ExportOptions, known: dict, per_unit: bool) -> dict:
    """The row's labels kept to the objects and classifications chosen, by frame, each classification in every
    frame of its range, skeletons as seed 003 encodes them."""
    label_row = kept_to_features(label_row, _chosen(options.object_feature_hashes),
                                 _chosen(options.classification_feature_hashes))
    ranged = ranged_classifications(label_row, per_unit)
    units = {}
    for unit_key, unit_labels in label_row["unit_labels"].items():
        frames = _frames(unit_labels)
        frames.update({frame: {} for unit, frame in ranged if unit == unit_key and frame not in frames})
        kept = {}
        for frame, labels in sorted(frames.items(), key=lambda f: int(f[0])):
            listed = {c["classificationHash"]: c for c in labels.get("classifications", [])}
            listed.update({c["classificationHash"]: c for c in ranged.get((unit_key, frame), [])
                           if c["classificationHash"] not in listed})
            kept[frame] = {**labels, "objects": [skeleton_as_seed_encodes(o, known) for o in labels.get("objects", [])],
                           "classifications": list(listed.values())}
        units[unit_key] = kept
    return {"units": units, "object_answers": label_row["object_answers"],
            "object_actions": label_row["object_actions"],
            "classification_answers": label_row["classification_answers"]}


def _chosen(feature_hashes: tuple[str, ...] | None) -> set[str] | None:
    return set(feature_hashes) if feature_hashes is not None else None


def dicom_slice_metadata(dicom_slice: dict) -> dict:
    return {"dicom_instance_uid": dicom_slice["dicom_instance_uid"], "multiframe_frame_number": None,
            "file_uri": dicom_slice["file_uri"], "width": dicom_slice["width"], "height": dicom_slice["height"]}


def export_data_units(row: dict, units: dict[str, dict], link) -> dict:
    """Seed 003's ``data_units``: every file of the data unit, its labels by frame (a DICOM series' by slice, each
    with the slice's metadata), its link, size, and a video's fps and duration."""
    if row["data_type"] == "IMG_GROUP" and row.get("images_data"):
        return {image["image_hash"]: {
            "data_hash": image["image_hash"], "data_title": image["title"], "data_type": image["file_type"],
            "data_sequence": index, "labels": units.get(image["image_hash"], {}), "data_link": link(image["file_link"]),
            "width": image["width"], "height": image["height"],
        } for index, image in enumerate(row["images_data"])}
    labels = units.get(row["data_hash"], {})
    unit = {"data_hash": row["data_hash"], "data_title": row["data_title"], "data_type": row["file_type"],
            "data_sequence": 0, "labels": labels, "data_link": link(row["file_link"]),
            "width": row["width"] or 0, "height": row["height"] or 0}
    if row["data_type"] == "VIDEO":
        unit.update(data_fps=row["frames_per_second"], data_duration=row["duration"])
    elif row["data_type"] == "DICOM" and row.get("dicom"):
        dicom = row["dicom"]
        unit["labels"] = {str(i): {"objects": [], "classifications": [], **labels.get(str(i), {}),
                                   "metadata": dicom_slice_metadata(s)} for i, s in enumerate(dicom["slices"])}
        unit["metadata"] = {"patient_id": dicom["patient_id"], "study_uid": dicom["study_uid"],
                            "series_uid": dicom["series_uid"]}
        unit["data_links"] = [link(s["file_uri"]) for s in dicom["slices"]]
    return {row["data_hash"]: unit}


def exported_row(row: dict, label_row: dict, context: dict, history: list[dict], version: dict, link) -> dict:
    """One data unit of a JSON export, every key of seed 003 in its order."""
    kept = kept_labels(label_row, context["options"], context["features"], row["data_type"] == "IMG_GROUP")
    entry = {
        "label_hash": label_row["label_hash"],
        "created_at": row_time_text(label_row["created_at"]),
        "last_edited_at": row_time_text(label_row["last_edited_at"]),
        "dataset_hash": row["dataset_hash"], "dataset_title": context["dataset_titles"][row["dataset_hash"]],
        "data_title": row["data_title"], "data_hash": row["data_hash"],
        "data_type": row["data_type"].lower(),  # the SDK's DataType values: image, video, img_group, dicom
        "is_image_sequence": bool(row.get("is_optimised_image_group")) if row["data_type"] == "IMG_GROUP" else None,
        "video_link": link(row["file_link"]) if row["data_type"] == "VIDEO" else None,
        "data_units": export_data_units(row, kept["units"], link),
        "object_answers": kept["object_answers"], "classification_answers": kept["classification_answers"],
        "object_actions": kept["object_actions"], "label_status": label_row["label_status"],
        "export_history": [history_entry(v) for v in newest_first([version, *history])],
        "export_hash": version["export_hash"], "exported_at": exported_at_text(version["exported_at"]),
    }
    if context["project"]["project_type"] == MANUAL_QA:
        entry["annotation_task_status"] = context["task_status"][label_row["label_hash"]]
    return entry


class ExportBackend:
    def __init__(self, store: Store, users: UserBackend, datasets: DatasetBackend, projects: ProjectBackend,
                 labels: LabelBackend, media_signer: MediaSigner):
        self.store = store
        self.users = users
        self.datasets = datasets
        self.projects = projects
        self.labels = labels
        self.media_signer = media_signer
        store.index(LABEL_VERSIONS, "project_hash")

    def _exporter(self, project_hash: str, email: str | None):
        """Who exports: the user named, else the project's creator."""
        email = email or self.projects.creator_email(project_hash)
        try:
            return self.users.member_by_email(email)
        except UnknownUser:
            raise exc.UnknownExporter(email) from None

    def _link(self, signed: bool):
        return lambda url: self.media_signer.sign_object_url(url) if signed and url else url

    def export(self, project_hash: str, options: ExportOptions) -> dict:
        """Make an export and keep it as a label version; every option is checked before anything is recorded."""
        check_statuses(options.statuses)
        check_branch_name(options.branch_name)
        with self.store.transaction() as tx:
            user = self._exporter(project_hash, options.user_email)
            project = self.projects.get_project(user, project_hash)
            editor = self.projects.project_ontology(user, project_hash, project["ontology_hash"])["editor"]
            known = features(editor)
            check_features("object_feature_hashes", options.object_feature_hashes, known, "object")
            check_features("classification_feature_hashes", options.classification_feature_hashes, known,
                           "classification")
            listed = self.labels.list_label_rows(user, project_hash, LabelRowFilters(
                branch_name=options.branch_name, include_uninitialised_labels=False))
            check_label_hashes(options.label_hashes, {view.label_row["label_hash"] for view in listed}, project_hash,
                               options.branch_name)
            selected = [view for view in listed
                        if (options.label_hashes is None or view.label_row["label_hash"] in options.label_hashes)
                        and (options.statuses is None or view.label_row["label_status"] in options.statuses)]
            versions = self.store.find_by(LABEL_VERSIONS, "project_hash", [project_hash])
            version = {"export_hash": str(uuid.uuid4()), "project_hash": project_hash,
                       "version_name": options.version_name or f"Label version {len(versions) + 1}",
                       "format": options.format, "exported_at": timefmt.now_iso(), "user_email": user.email,
                       "label_hashes": [view.label_row["label_hash"] for view in selected],
                       "options": options.recorded()}
            context = {"options": options, "project": project, "features": known,
                       "dataset_titles": self.datasets.titles(project["dataset_hashes"]),
                       "task_status": {view.label_row["label_hash"]: view.annotation_task_status
                                       for view in selected}}
            link = self._link(options.signed_urls)
            rows = [exported_row(view.row, view.label_row, context,
                                 _history_of(versions, view.label_row["label_hash"]), version, link)
                    for view in selected]
            version["document"] = (coco.document(rows, editor, project, version) if options.format == COCO
                                   else rows)
            tx.put(LABEL_VERSIONS, version["export_hash"], version)
        return version

    def label_versions(self, project_hash: str) -> list[dict]:
        """A project's label versions, newest first (the control API's view: no user, the project must exist)."""
        self.projects.creator_email(project_hash)
        return newest_first(self.store.find_by(LABEL_VERSIONS, "project_hash", [project_hash]))

    def label_version(self, project_hash: str, export_hash: str) -> dict:
        version = self.store.get(LABEL_VERSIONS, export_hash)
        if version is None or version["project_hash"] != project_hash:
            raise exc.LabelVersionNotFound(export_hash, project_hash)
        return version

    def export_history(self, project_hash: str, label_hash: str) -> list[dict]:
        """Every export of a label row, newest first, as the label-row reads give it (include_export_history)."""
        versions = self.store.find_by(LABEL_VERSIONS, "project_hash", [project_hash])
        return [history_entry(v) for v in newest_first(_history_of(versions, label_hash))]


    def last_export(self, project_hash: str, label_hash: str) -> dict | None:
        """A label row's newest export (None if it was never exported)."""
        versions = newest_first(_history_of(self.store.find_by(LABEL_VERSIONS, "project_hash", [project_hash]),
                                            label_hash))
        return versions[0] if versions else None


def _history_of(versions: list[dict], label_hash: str) -> list[dict]:
    return [v for v in versions if label_hash in v["label_hashes"]]
