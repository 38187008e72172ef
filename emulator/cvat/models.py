"""CVAT imports: the export's annotations parsed (as hostile input), its images ingested into the dataset the SDK
made, then an ontology from its labels, a project over the dataset, and one label row per image whose CVAT shapes
are normalised to the image's size.

The SDK uploads the images to Encord storage, creates the dataset, then starts the import; the import's images are
registered by an upload job (ingestion reads them, its per-unit rules apply), and the import completes when the
SDK's long poll sees that job ended."""

from __future__ import annotations

import base64
import binascii
import secrets
import uuid
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as defused

from emulator.auth.models import User
from emulator.core import timefmt
from emulator.core.store import Store
from emulator.cvat import exceptions as exc
from emulator.datasets.models import DatasetBackend
from emulator.ingestion.models import PENDING, UploadJobBackend, result_units
from emulator.ingestion.spec import SourceFile, UploadSpec, UploadUnit
from emulator.labels.models import MAIN, LabelBackend
from emulator.ontologies.models import OntologyBackend
from emulator.projects.models import ProjectBackend

CVAT_IMPORTS = "cvat_import"
DONE, ERROR = "DONE", "ERROR"
SHAPES = {"box": "bounding_box", "polygon": "polygon", "polyline": "polyline", "points": "point"}
UNSUPPORTED_SHAPES = ("ellipse", "cuboid", "mask", "skeleton")
STAGE_BY_REVIEW_MODE = {"unlabelled": 0, "labelled": 1, "reviewed": 2}  # in the default workflow's stages
COLORS = ("#D33115", "#FCDC00", "#68BC00", "#009CE0", "#7B64FF", "#FA28FF")
# CVAT's attribute input types as Encord attribute types; a type CVAT adds later is kept as free text.
ATTRIBUTE_TYPES = {"select": "radio", "radio": "radio", "checkbox": "checklist", "text": "text", "number": "text"}
CHECKED = {"true": True, "false": False}


def parse_export(annotations_base64: str) -> ET.Element:
    """The ``<annotations>`` root of a CVAT for images 1.1 export (a task's or a project's)."""
    try:
        annotations = base64.b64decode(annotations_base64, validate=True)
    except (binascii.Error, ValueError):
        raise exc.NotACvatExport("annotationsBase64 is not base64") from None
    try:
        # The annotations are user input: a DTD could declare entities that expand without bound or read local
        # files, so defusedxml refuses any document type declaration, not only entities.
        root = defused.fromstring(annotations, forbid_dtd=True)
    except DefusedXmlException:
        raise exc.NotACvatExport("it declares a document type or entities, which are not accepted") from None
    except ET.ParseError as e:
        raise exc.NotACvatExport(f"the XML does not parse ({e})") from None
    if root.tag != "annotations":
        raise exc.NotACvatExport(f"the root element is <{root.tag}>, not <annotations>")
    meta = root.find("meta")
    if meta is None or (meta.find("task") is None and meta.find("project") is None):
        raise exc.NotACvatExport("its <meta> names neither a task nor a project")
    for image in root.iter("image"):
        check_image_geometry(image)
    return root


def check_image_geometry(image: ET.Element) -> None:
    """An image's size is positive pixels and each of its shapes' coordinates are numbers, or the export is refused
    before anything of it is imported."""
    try:
        width, height = float(image.get("width")), float(image.get("height"))
        if width <= 0 or height <= 0:
            raise ValueError
        for element in image:
            if element.tag in SHAPES:
                shape_coordinates(element, shape_of(element, False), width, height)
    except (TypeError, ValueError):
        raise exc.NotACvatExport(f"image {image.get('name')!r} has a size or shape coordinates that are not "
                                 "numbers") from None


def export_name(root: ET.Element) -> str:
    meta = root.find("meta")
    source = meta.find("project") if meta.find("project") is not None else meta.find("task")
    return source.findtext("name") or "CVAT import"


def shape_of(element: ET.Element, transform_boxes: bool) -> str:
    shape = SHAPES[element.tag]
    return "polygon" if transform_boxes and shape == "bounding_box" else shape


def declared_attributes(root: ET.Element) -> dict[str, dict[str, dict]]:
    """Per CVAT label name, its attributes as ``<meta>`` declares them: input type and declared values."""
    declared = {}
    for label in root.find("meta").iter("label"):
        attributes = declared.setdefault(label.findtext("name") or "", {})
        for attribute in label.iter("attribute"):
            values = [v for v in (attribute.findtext("values") or "").split("\n") if v]
            attributes.setdefault(attribute.findtext("name") or "",
                                  {"input_type": attribute.findtext("input_type") or "text", "values": values})
    return declared


def option_value(name: str) -> str:
    return name.lower().replace(" ", "_")


def editor_attribute(attribute_id: str, name: str, declaration: dict) -> dict:
    """A CVAT attribute as an Encord one: select and radio as a radio of the declared values, a checkbox as a
    checklist of one option (checked or not), text and number as text."""
    kind = ATTRIBUTE_TYPES.get(declaration["input_type"], "text")
    attribute = {"id": attribute_id, "name": name, "type": kind, "required": False,
                 "featureNodeHash": secrets.token_hex(4)}
    labels = declaration["values"] if kind == "radio" else [name] if kind == "checklist" else []
    if labels:
        attribute["options"] = [{"id": f"{attribute_id}.{k + 1}", "label": label, "value": option_value(label),
                                 "featureNodeHash": secrets.token_hex(4), **({"options": []} if kind == "radio" else {})}
                                for k, label in enumerate(labels)]
    return attribute


def cvat_ontology(root: ET.Element, transform_boxes: bool) -> dict:
    """One object per CVAT label and shape it is drawn with, with the label's attributes; one classification per
    label used as a tag, a radio of the one option (the tag) that nests the label's attributes."""
    declared = declared_attributes(root)
    objects, classifications = {}, {}
    for image in root.iter("image"):
        for element in image:
            label = element.get("label", "")
            if element.tag in SHAPES:
                objects.setdefault((label, shape_of(element, transform_boxes)), None)
            elif element.tag == "tag":
                classifications.setdefault(label, None)
    editor_objects = [{"id": str(i + 1), "name": label, "color": COLORS[i % len(COLORS)], "shape": shape,
                       "featureNodeHash": secrets.token_hex(4), "required": False, "attributes": [
                           editor_attribute(f"{i + 1}.{j + 1}", name, declaration)
                           for j, (name, declaration) in enumerate(declared.get(label, {}).items())]}
                      for i, (label, shape) in enumerate(objects)]
    editor_classifications = [
        {"id": str(len(objects) + i + 1), "featureNodeHash": secrets.token_hex(4), "attributes": [
            {"id": f"{len(objects) + i + 1}.1", "name": label, "type": "radio", "required": False,
             "featureNodeHash": secrets.token_hex(4), "options": [
                 {"id": f"{len(objects) + i + 1}.1.1", "label": label, "value": label.lower(),
                  "featureNodeHash": secrets.token_hex(4), "options": [
                      editor_attribute(f"{len(objects) + i + 1}.1.1.{j + 1}", name, declaration)
                      for j, (name, declaration) in enumerate(declared.get(label, {}).items())]}]}]}
        for i, label in enumerate(classifications)]
    return {"objects": editor_objects, "classifications": editor_classifications}


def normalised_points(points: str, width: float, height: float) -> dict:
    pairs = [pair.split(",") for pair in points.split(";") if pair]
    return {str(i): {"x": float(x) / width, "y": float(y) / height} for i, (x, y) in enumerate(pairs)}


def shape_coordinates(element: ET.Element, shape: str, width: float, height: float) -> dict:
    """CVAT's pixel coordinates as Encord's, fractions of the image's width and height."""
    if element.tag == "box":
        xtl, ytl = float(element.get("xtl")) / width, float(element.get("ytl")) / height
        xbr, ybr = float(element.get("xbr")) / width, float(element.get("ybr")) / height
        if shape == "polygon":
            return {"polygon": {"0": {"x": xtl, "y": ytl}, "1": {"x": xbr, "y": ytl}, "2": {"x": xbr, "y": ybr},
                                "3": {"x": xtl, "y": ybr}}}
        return {"boundingBox": {"x": xtl, "y": ytl, "w": xbr - xtl, "h": ybr - ytl}}
    key = {"polygon": "polygon", "polyline": "polyline", "point": "point"}[shape]
    return {key: normalised_points(element.get("points", ""), width, height)}


def is_declared_value(declaration: dict, value: str) -> bool:
    """A select or radio value is one of the declared values, a checkbox's is true or false, a number's a number
    within the declared minimum and maximum (CVAT declares "min, max, step"); text is free."""
    kind = declaration["input_type"]
    if kind in ("select", "radio"):
        return value in declaration["values"]
    if kind == "checkbox":
        return value.lower() in CHECKED
    if kind == "number":
        return is_number_within(value, declaration["values"])
    return True


def is_number_within(value: str, bounds: list[str]) -> bool:
    try:
        number = float(value)
    except ValueError:
        return False
    try:
        low, high = float(bounds[0]), float(bounds[1])
    except (IndexError, ValueError):
        return True
    return low <= number <= high


def attribute_answer(attribute: dict, value: str) -> dict | None:
    """A declared value as the label row's answer: the chosen option, the checked option, or the text; an unchecked
    box or an empty text is no answer."""
    if attribute["type"] == "text":
        answers = value
    else:
        chosen = ([o for o in attribute["options"] if o["label"] == value][:1] if attribute["type"] == "radio"
                  else attribute["options"] if CHECKED[value.lower()] else [])
        answers = [{"name": o["label"], "value": o["value"], "featureHash": o["featureNodeHash"]} for o in chosen]
    if not answers:
        return None
    return {"name": attribute["name"], "value": option_value(attribute["name"]), "answers": answers,
            "featureHash": attribute["featureNodeHash"], "manualAnnotation": True}


def element_answers(element: ET.Element, ontology_attributes: list[dict], declared: dict, issues: dict,
                    where: str) -> list[dict]:
    """The answers of a shape's or tag's ``<attribute name="…">value</attribute>``; an attribute its label does not
    declare, or a value not among the declared ones, is a warning and stays unanswered."""
    attributes = {a["name"]: a for a in ontology_attributes}
    declarations = declared.get(element.get("label", ""), {})
    given = {a.get("name", ""): a.text or "" for a in element.findall("attribute")}
    answers = []
    for name, value in given.items():
        if name not in attributes:
            add_issue(issues, "warnings", "Attribute not declared for its label", f"{where}: {name}")
        elif not is_declared_value(declarations[name], value):
            add_issue(issues, "warnings", "Attribute value not among its declared values", f"{where}: {name}={value}")
        elif (answer := attribute_answer(attributes[name], value)) is not None:
            answers.append(answer)
    return answers


def new_issues() -> dict:
    return {"errors": [], "warnings": [], "infos": []}


def add_issue(issues: dict, level: str, issue_type: str, instance: str) -> None:
    for issue in issues[level]:
        if issue["issue_type"] == issue_type:
            issue["instances"].append(instance)
            return
    issues[level].append({"issue_type": issue_type, "instances": [instance]})


class CvatImportBackend:
    def __init__(self, store: Store, datasets: DatasetBackend, upload_jobs: UploadJobBackend,
                 ontologies: OntologyBackend, projects: ProjectBackend, labels: LabelBackend):
        self.store = store
        self.datasets = datasets
        self.upload_jobs = upload_jobs
        self.ontologies = ontologies
        self.projects = projects
        self.labels = labels

    def start_import(self, user: User, annotations_base64: str, dataset_hash: str, review_mode: str,
                     data: dict[str, dict], transform_boxes: bool) -> dict:
        """Refuse what is not a CVAT export up front; register the uploaded images into the dataset."""
        self.datasets.administered_dataset(user, dataset_hash)
        parse_export(annotations_base64)
        record = {"import_uuid": str(uuid.uuid4()), "owner_email": user.email, "dataset_hash": dataset_hash,
                  "review_mode": review_mode, "transform_boxes": transform_boxes, "data": data,
                  "annotations_base64": annotations_base64, "status": PENDING, "job_id": None,
                  "created_at": timefmt.now_iso()}
        with self.store.transaction() as tx:
            if data:
                units = [UploadUnit("image", [SourceFile(item["data_link"], item["title"])], item["title"])
                         for item in data.values()]
                record["job_id"] = self.upload_jobs.start_dataset_job(user, dataset_hash, None, UploadSpec(units),
                                                                      True, None)["id"]
            tx.put(CVAT_IMPORTS, record["import_uuid"], record)
        return record

    def result(self, user: User, import_uuid: str, timeout_seconds: float) -> dict:
        """Hold the poll while the images are ingested; the first poll that sees them ingested completes it."""
        record = self.store.get(CVAT_IMPORTS, import_uuid)
        if record is None or record["owner_email"] != user.email:
            raise exc.CvatImportNotFound(import_uuid)
        if record["status"] != PENDING:
            return record
        job = None
        if record["job_id"] is not None:
            self.upload_jobs.wait_until_ended(record["job_id"], timeout_seconds)
            job = self.upload_jobs.current(record["job_id"])
            if job["status"] == PENDING:
                return record
        with self.store.transaction() as tx:
            record = tx.get(CVAT_IMPORTS, import_uuid)
            if record["status"] == PENDING:
                record.update(self._complete(user, record, job))
                tx.put(CVAT_IMPORTS, import_uuid, record)
        return record

    def _complete(self, user: User, record: dict, job: dict | None) -> dict:
        issues = new_issues()
        data_hashes = self._ingested_images(record, job, issues)
        if not data_hashes:
            add_issue(issues, "errors", "No images could be imported", record["dataset_hash"])
            return {"status": ERROR, "issues": issues}
        root = parse_export(record["annotations_base64"])
        editor = cvat_ontology(root, record["transform_boxes"])
        name = export_name(root)
        ontology = self.ontologies.create_ontology(user, f"{name} ontology", "", editor)
        project = self.projects.create_project(user, name, "", [record["dataset_hash"]], ontology["ontology_hash"])
        self._import_labels(user, project["project_hash"], root, editor, data_hashes, record["transform_boxes"],
                            issues)
        self._place_tasks_for_review_mode(user, project, record["review_mode"])
        return {"status": DONE, "project_hash": project["project_hash"], "issues": issues}

    def _place_tasks_for_review_mode(self, user: User, project: dict, review_mode: str) -> None:
        """Unlabelled: the tasks wait in Annotate; labelled: a reviewer still approves them (Review); reviewed: no
        more work (Complete)."""
        stages = project["workflow"]["stages"]
        destination = stages[STAGE_BY_REVIEW_MODE[review_mode]]
        if destination["uuid"] != stages[0]["uuid"]:
            tasks = self.labels.stage_tasks(user, project["project_hash"], stages[0]["uuid"])
            self.labels.move_tasks(user, project["project_hash"], stages[0]["uuid"], destination["uuid"],
                                   [task["uuid"] for _, task in tasks])

    @staticmethod
    def _ingested_images(record: dict, job: dict | None, issues: dict) -> dict[str, str]:
        """The data hash of each CVAT image name (the image's path in the export) whose upload was ingested."""
        if job is None:
            return {}
        landed, failed = result_units(job)
        data_hash_by_title = {unit["title"]: unit["data_hash"] for unit in landed}
        for unit in failed:
            add_issue(issues, "errors", "Image could not be ingested", f"{unit['title']}: {unit['error']}")
        return {path: data_hash_by_title[item["title"]] for path, item in record["data"].items()
                if item["title"] in data_hash_by_title}

    def _import_labels(self, user: User, project_hash: str, root: ET.Element, editor: dict,
                       data_hashes: dict[str, str], transform_boxes: bool, issues: dict) -> None:
        objects = {(o["name"], o["shape"]): o for o in editor["objects"]}
        classifications = {c["attributes"][0]["name"]: c for c in editor["classifications"]}
        declared = declared_attributes(root)
        images = {image.get("name"): image for image in root.iter("image")}
        for name in images.keys() - data_hashes.keys():
            add_issue(issues, "errors", "Image in the annotations is missing from the export's images", name)
        rows = [(data_hashes[name], image) for name, image in images.items() if name in data_hashes]
        views = self.labels.create_label_rows(user, project_hash, [data_hash for data_hash, _ in rows], MAIN)
        bodies = [self._label_row_body(view.label_row["label_hash"], data_hash, image, objects, classifications,
                                       declared, transform_boxes, issues, user.email)
                  for view, (data_hash, image) in zip(views, rows)]
        self.labels.save_label_rows(user, project_hash, [b["label_hash"] for b in bodies], bodies, False)

    @staticmethod
    def _label_row_body(label_hash: str, data_hash: str, image: ET.Element, objects: dict, classifications: dict,
                        declared: dict, transform_boxes: bool, issues: dict, email: str) -> dict:
        width, height = float(image.get("width")), float(image.get("height"))
        now = timefmt.now_iso()
        instances, answers, tags, tag_answers = [], {}, [], {}
        for element in image:
            if element.tag in SHAPES:
                shape = shape_of(element, transform_boxes)
                feature = objects[(element.get("label", ""), shape)]
                object_hash = secrets.token_hex(4)
                instances.append({"objectHash": object_hash, "featureHash": feature["featureNodeHash"],
                                  "name": feature["name"], "value": feature["name"].lower(),
                                  "color": feature["color"], "shape": shape, "createdBy": email,
                                  "createdAt": now, "confidence": 1.0, "manualAnnotation": True,
                                  **shape_coordinates(element, shape, width, height)})
                answers[object_hash] = {"objectHash": object_hash, "classifications": element_answers(
                    element, feature["attributes"], declared, issues, f"{image.get('name')}: {feature['name']}")}
            elif element.tag == "tag":
                classification = classifications[element.get("label", "")]
                attribute = classification["attributes"][0]
                option = attribute["options"][0]
                classification_hash = secrets.token_hex(4)
                tags.append({"classificationHash": classification_hash,
                             "featureHash": classification["featureNodeHash"], "name": attribute["name"],
                             "value": option["value"], "createdBy": email, "createdAt": now, "confidence": 1.0,
                             "manualAnnotation": True})
                tag_answers[classification_hash] = {
                    "classificationHash": classification_hash, "featureHash": classification["featureNodeHash"],
                    "range": [[0, 0]], "spaces": {}, "createdBy": email, "createdAt": now, "confidence": 1.0,
                    "manualAnnotation": True, "classifications": [
                    {"name": attribute["name"], "value": option["value"], "featureHash": attribute["featureNodeHash"],
                     "answers": [{"name": option["label"], "value": option["value"],
                                  "featureHash": option["featureNodeHash"]}], "manualAnnotation": True},
                    *element_answers(element, option["options"], declared, issues,
                                     f"{image.get('name')}: {attribute['name']}")]}
            elif element.tag in UNSUPPORTED_SHAPES:
                add_issue(issues, "warnings", f"Unsupported shape: {element.tag}",
                          f"{image.get('name')}: {element.get('label', '')}")
        return {"label_hash": label_hash, "branch_name": MAIN,
                "data_units": {data_hash: {"labels": {"objects": instances, "classifications": tags}}},
                "object_answers": answers, "classification_answers": tag_answers, "object_actions": {}}
