"""What the dashboard shows: the control API's view of the state (``GET /_emulator/state`` without its secrets, the
upload jobs as ``GET /_emulator/upload-jobs`` shows them), read afresh for every page and arranged for it. It writes
nothing."""

from __future__ import annotations

from emulator.backend import EmulatorBackend
from emulator.control.models import exported_state
from emulator.datasets.exceptions import DatasetNotFound
from emulator.datasets.models import DATA_ROWS, DATASETS
from emulator.export.responses import version_view
from emulator.ingestion.responses import job_view
from emulator.labels.exceptions import LabelRowNotFound
from emulator.labels.models import LABEL_ROWS, frame_count, frame_keyed
from emulator.ontologies.models import ONTOLOGIES, features
from emulator.projects.exceptions import ProjectNotFound
from emulator.projects.models import PROJECTS


def _created(doc: dict) -> str:
    return doc.get("created_at") or ""


def frames_of(unit_labels: dict, keyed: bool) -> dict[str, dict]:
    """A data unit's labels by frame: a video's as stored, an image's (stored unkeyed) as its frame 0."""
    return unit_labels if keyed else ({"0": unit_labels} if unit_labels else {})


class Snapshot:
    """The state as the control API exports it, at the moment a page is asked for."""

    def __init__(self, backend: EmulatorBackend):
        self.backend = backend
        self.tables = exported_state(backend, include_secrets=False)["tables"]

    def _docs(self, kind: str) -> list[dict]:
        return sorted(self.tables.get(kind, {}).values(), key=_created)

    def _doc(self, kind: str, key: str, not_found: Exception) -> dict:
        doc = self.tables.get(kind, {}).get(key)
        if doc is None:
            raise not_found
        return doc

    def counts(self) -> dict[str, int]:
        return {kind: len(self.tables.get(kind, {})) for kind in (DATASETS, DATA_ROWS, ONTOLOGIES, PROJECTS,
                                                                   LABEL_ROWS)}

    def datasets(self) -> list[dict]:
        return self._docs(DATASETS)

    def dataset(self, dataset_hash: str) -> dict:
        return self._doc(DATASETS, dataset_hash, DatasetNotFound(dataset_hash))

    def data_rows(self, dataset_hashes: list[str]) -> list[dict]:
        rows = [r for r in self.tables.get(DATA_ROWS, {}).values() if r["dataset_hash"] in dataset_hashes]
        return sorted(rows, key=lambda r: (r["created_at"], r["data_title"]))

    def ontologies(self) -> list[dict]:
        return self._docs(ONTOLOGIES)

    def projects(self) -> list[dict]:
        return self._docs(PROJECTS)

    def project(self, project_hash: str) -> dict:
        return self._doc(PROJECTS, project_hash, ProjectNotFound(project_hash))

    def upload_jobs(self) -> list[dict]:
        return [job_view(job) for job in self.backend.upload_jobs.list_jobs()]

    def label_versions(self, project: dict) -> list[dict]:
        """The project's exports, as ``GET /_emulator/projects/<hash>/exports`` lists them (newest first)."""
        return [version_view(v) for v in self.backend.exports.label_versions(project["project_hash"])]

    def project_entries(self, project: dict) -> list[dict]:
        """Every data unit of a project with its label rows (one per branch; none until initialised), its task's
        status and workflow stage, as the label-row listing reports them."""
        labels = self.backend.labels
        by_data: dict[str, list[dict]] = {}
        for label_row in self._docs(LABEL_ROWS):
            if label_row["project_hash"] == project["project_hash"]:
                by_data.setdefault(label_row["data_hash"], []).append(label_row)
        entries = []
        for row in self.data_rows(project["dataset_hashes"]):
            task = labels.task(project, row["data_hash"])
            stage = labels.stage_of(project, task)
            for label_row in sorted(by_data.get(row["data_hash"], []), key=lambda r: r["branch_name"]) or [None]:
                entries.append({"row": row, "label_row": label_row, "stage": stage["title"] if stage else None,
                                "task_status": labels.annotation_task_status(task, stage)})
        return entries

    def label_row_view(self, project: dict, label_hash: str) -> dict:
        """A label row as the label-row view draws it: each data unit's signed media link and size, its objects
        and classifications by frame, the ontology's features (name, colour, shape) and the answers."""
        label_row = self.tables.get(LABEL_ROWS, {}).get(label_hash)
        if label_row is None or label_row["project_hash"] != project["project_hash"]:
            raise LabelRowNotFound(label_hash)
        row = self.tables[DATA_ROWS][label_row["data_hash"]]
        ontology = self.tables.get(ONTOLOGIES, {}).get(project["ontology_hash"], {"editor": {}})
        sign = self.backend.media_signer.sign_object_url
        keyed = frame_keyed(row)
        if row["data_type"] == "IMG_GROUP" and row.get("images_data"):
            units = [{"key": image["image_hash"], "title": image["title"], "link": sign(image["file_link"]),
                      "width": image["width"], "height": image["height"], "frames": 1, "fps": None,
                      "video": False} for image in row["images_data"]]
        else:
            units = [{"key": row["data_hash"], "title": row["data_title"], "link": sign(row["file_link"]),
                      "width": row["width"] or 0, "height": row["height"] or 0, "frames": frame_count(row),
                      "fps": row.get("frames_per_second"), "video": row["data_type"] == "VIDEO"}]
        for unit in units:
            unit["labels"] = frames_of(label_row["unit_labels"].get(unit["key"], {}), keyed)
        known = {h: {"name": f.node.get("name"), "color": f.node.get("color"), "shape": f.node.get("shape")}
                 for h, f in features(ontology["editor"]).items() if f.kind == "object"}
        return {"label_row": label_row, "row": row, "units": units, "features": known,
                "objects": labelled_objects(units, label_row["object_answers"], known),
                "classifications": labelled_classifications(units, label_row["classification_answers"]),
                "skeleton_edges": skeleton_edges(ontology["editor"])}


def skeleton_edges(editor: dict) -> dict[str, list[list[str]]]:
    """Each skeleton object's edges, as pairs of its vertex names, from the ontology's templates."""
    edges = {}
    for template in editor.get("skeleton_templates", []):
        template = template.get("template") or {}
        vertices = template.get("skeleton") or {}
        pairs = [[vertices[a]["name"], vertices[b]["name"]] for a, ends in (template.get("skeletonEdges") or {}).items()
                 for b in ends if a in vertices and b in vertices]
        edges[template.get("feature_node_hash", "")] = pairs
    return edges


def answer_texts(answer: dict) -> list[str]:
    """An object's or classification's answers as lines of text: ``attribute: option, option`` or the text given."""
    lines = []
    for entry in answer.get("classifications", []):
        given = entry.get("answers")
        chosen = ", ".join(str(a.get("name", a.get("value", ""))) for a in given) if isinstance(given, list) else given
        lines.append(f"{entry.get('name', '')}: {chosen}")
    return lines


def labelled_objects(units: list[dict], object_answers: dict, known: dict) -> list[dict]:
    """Each object instance once, with the frames it is labelled in, its colour and its answers."""
    found: dict[str, dict] = {}
    for unit in units:
        for frame, labels in sorted(unit["labels"].items(), key=lambda item: int(item[0])):
            for obj in labels.get("objects", []):
                feature = known.get(obj.get("featureHash"), {})
                entry = found.setdefault(obj.get("objectHash"), {
                    "object_hash": obj.get("objectHash"), "name": feature.get("name", obj.get("name")),
                    "shape": obj.get("shape"), "color": feature.get("color", obj.get("color")), "frames": [],
                    "answers": answer_texts(object_answers.get(obj.get("objectHash"), {}))})
                entry["frames"].append(int(frame))
    return list(found.values())


def labelled_classifications(units: list[dict], classification_answers: dict) -> list[dict]:
    frames: dict[str, list[int]] = {}
    for unit in units:
        for frame, labels in unit["labels"].items():
            for classification in labels.get("classifications", []):
                frames.setdefault(classification.get("classificationHash"), []).append(int(frame))
    return [{"answers": answer_texts(answer), "frames": sorted(frames.get(classification_hash, []))}
            for classification_hash, answer in classification_answers.items()]
