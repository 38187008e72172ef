"""One scenario of a user's work, run by one ``encord`` release in its own virtual environment (tests/sdk_matrix).

``python scenario.py MODE`` (``in-process`` or ``server``) starts an emulator in this process, as a user's test
would, and runs every step below through the release installed beside it, adapting to what that release has (its
``StorageLocation`` and ``Shape`` members, its methods). It prints one JSON line: per step, what the SDK read back,
or the exception, its message and the last wire call the emulator answered, so a failing step names the release
(the test file), the step and the call.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
import traceback
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

import media_factory as mf
import numpy as np
from encord.objects import Shape
from encord.objects.attributes import ChecklistAttribute, RadioAttribute, TextAttribute
from encord.objects.coordinates import (BitmaskCoordinates, BoundingBoxCoordinates, PointCoordinate,
                                        PolygonCoordinates, PolylineCoordinates, RotatableBoundingBoxCoordinates,
                                        SkeletonCoordinate)
from encord.objects.ontology_structure import OntologyStructure
from encord.orm.dataset import StorageLocation

from emulator.config import EmulatorConfig
from emulator.testing import EmulatorHandle

warnings.simplefilter("ignore")  # deprecations of the older calls this scenario makes on purpose
BUCKET = "matrix"
IMAGES = ["apple.png", "pear.png"]
GROUP = ["group-1.png", "group-2.png", "group-3.png"]
DICOM = ["ct-1.dcm", "ct-2.dcm"]
VIDEO = "orchard.mp4"
STEPS = []


def step(function):
    STEPS.append(function)
    return function


def describe(coordinates) -> object:
    """Coordinates as plain data: not every release's coordinate classes compare by value."""
    if isinstance(coordinates, BitmaskCoordinates):
        return coordinates.to_dict()
    if dataclasses.is_dataclass(coordinates):
        return dataclasses.asdict(coordinates)
    if hasattr(coordinates, "to_dict"):
        return coordinates.to_dict()
    return repr(coordinates)


def object_url(key: str) -> str:
    return f"https://{BUCKET}.s3.amazonaws.com/{key}"


# -- datasets, integrations, an upload job ----------------------------------------------------------------------------

@step
def datasets(world):
    client = world["client"]
    created = {location.name: client.create_dataset(f"ds-{location.name}", location).dataset_hash
               for location in StorageLocation}
    world["dataset_hash"] = created["AWS"]
    read = {name: client.get_dataset(dataset_hash).storage_location.name for name, dataset_hash in created.items()}
    listed = sorted(entry["dataset"].title if isinstance(entry, dict) else entry.title
                    for entry in client.get_datasets())
    return {"created": sorted(created), "read": read, "listed": listed}


@step
def integrations(world):
    return sorted((integration.id, integration.title) for integration in world["client"].get_cloud_integrations())


@step
def upload_job(world):
    dataset = world["client"].get_dataset(world["dataset_hash"])
    spec = {"images": [{"objectUrl": object_url(key)} for key in IMAGES],
            "videos": [{"objectUrl": object_url(VIDEO)}],
            "image_groups": [{"title": "group", "objectUrl_0": object_url(GROUP[0]), "objectUrl_1": object_url(GROUP[1]),
                              "objectUrl_2": object_url(GROUP[2])}],
            "dicom_series": [{"title": "CT series", "objectUrl_0": object_url(DICOM[0]), "objectUrl_1": object_url(DICOM[1])}]}
    result = dataset.add_private_data_to_dataset(world["integration_id"], spec)
    return sorted(info.title for info in result.dataset_data_list)


@step
def data_rows(world):
    dataset = world["client"].get_dataset(world["dataset_hash"])
    return {"rows": sorted((row.title, row.data_type.name) for row in dataset.data_rows),
            "storage_location": dataset.storage_location.name}


@step
def local_upload(world):
    """Local files into Encord storage, through the signed upload URLs and the registration calls the release has:
    Dataset.upload_image (and a file that is no image), upload_video, create_image_group, create_dicom_series."""
    client = world["client"]
    world["local_dataset"] = client.create_dataset("ds-local", StorageLocation.CORD_STORAGE).dataset_hash
    dataset = client.get_dataset(world["local_dataset"])
    with tempfile.TemporaryDirectory() as directory:
        def local(name: str, content: bytes) -> str:
            path = Path(directory) / name
            path.write_bytes(content)
            return str(path)

        image = dataset.upload_image(local(IMAGES[0], mf.png(30, 20)))
        try:
            dataset.upload_image(local("broken.png", b"not an image"))
            refused = None
        except Exception as error:
            refused = [type(error).__name__, str(error)]
        video = dataset.upload_video(local(VIDEO, mf.mp4(32, 24, frames=4)), title="local clip")
        group = dataset.create_image_group([local(name, mf.png(16, 12)) for name in GROUP[:2]], title="local group",
                                           create_video=False)
        series = dataset.create_dicom_series(
            [local(name, mf.dicom(instance_number=number)) for number, name in enumerate(DICOM, 1)], title="local CT")
    rows = dataset.list_data_rows()
    answered = {"upload_image": image["data_hash"], "upload_video": video["data_hash"],
                "create_image_group": group[0]["data_hash"], "create_dicom_series": series["data_hash"]}
    return {"uploaded": image["title"], "refused": refused,
            "answered_rows": {call: [(row.title, row.data_type.name) for row in rows if row.uid == data_hash]
                              for call, data_hash in answered.items()},
            "rows": sorted((row.title, row.data_type.name, row.width, row.height) for row in rows)}


# -- an ontology with every shape, a project ---------------------------------------------------------------------------

def skeleton_template(structure: OntologyStructure):
    """The skeleton's template, in releases that have templates (0.1.111 on)."""
    try:
        from encord.objects.skeleton_template import SkeletonTemplate
    except ImportError:
        return None
    from encord.orm.skeleton_template import SkeletonTemplateCoordinate

    template = SkeletonTemplate(
        name="Stem", width=0.2, height=0.2,
        skeleton={"0": SkeletonTemplateCoordinate(x=0.0, y=0.0, name="top", feature_hash="aa000001"),
                  "1": SkeletonTemplateCoordinate(x=0.2, y=0.2, name="bottom", feature_hash="aa000002")},
        skeleton_edges={"0": {"1": {"color": "#000000"}}}, feature_node_hash="aa000000")
    structure.add_skeleton_template(template, feature_node_hash="aa000000")
    return template


@step
def ontology(world):
    client = world["client"]
    structure = OntologyStructure()
    for shape in Shape:
        if shape == Shape.SKELETON:
            skeleton_template(structure)
            structure.add_object("Stem", shape, feature_node_hash="aa000000")
        else:
            structure.add_object(f"obj-{shape.name}", shape)
    for name, attribute_type in (("Ripe", RadioAttribute), ("Colours", ChecklistAttribute), ("Note", TextAttribute)):
        classification = structure.add_classification()
        attribute = classification.add_attribute(attribute_type, name)
        if attribute_type is not TextAttribute:
            attribute.add_option("yes")
            attribute.add_option("no")
    created = client.create_ontology("Every shape", structure=structure)
    world["ontology_hash"] = created.ontology_hash
    read = client.get_ontology(created.ontology_hash).structure
    return {"shapes": sorted(o.shape.name for o in read.objects),
            "classifications": sorted(c.attributes[0].name for c in read.classifications)}


@step
def project(world):
    client = world["client"]
    world["project_hash"] = client.create_project("Matrix", [world["dataset_hash"]], project_description="all",
                                                  ontology_hash=world["ontology_hash"])
    project = client.get_project(world["project_hash"])
    world["project"] = project
    return {"title": project.title, "description": project.description,
            "datasets": [d["dataset_hash"] if isinstance(d, dict) else d.dataset_hash for d in project.datasets]}


@step
def get_projects(world):
    client = world["client"]
    later = datetime.now(timezone.utc) + timedelta(minutes=5)
    earlier = datetime.now(timezone.utc) - timedelta(minutes=5)
    filters = {"none": {}, "title_eq": {"title_eq": "Matrix"}, "title_like": {"title_like": "Mat%"},
               "desc_eq": {"desc_eq": "all"}, "desc_like": {"desc_like": "a%"}, "title_miss": {"title_eq": "x"},
               "created": {"created_before": later, "created_after": earlier},
               "created_after_now": {"created_after": later}, "edited_before": {"edited_before": earlier},
               "edited_after": {"edited_after": earlier.isoformat()}}
    answered = {}
    for name, clause in filters.items():
        answered[name] = [(p["project"].title, p["user_role"].name) for p in client.get_projects(**clause)]
    return answered


# -- label rows: list, initialise, save and read back every shape; bundles; workflow -------------------------------------

def rows_by_title(project):
    return {row.data_title: row for row in project.list_label_rows_v2()}


@step
def label_rows(world):
    return sorted((row.data_title, row.data_type.name, row.label_hash is None)
                  for row in world["project"].list_label_rows_v2())


def drawn(shape, template):
    """Coordinates of one instance of ``shape`` on an image of 64×48, or None for shapes not drawn on images."""
    if shape == Shape.BOUNDING_BOX:
        return BoundingBoxCoordinates(height=0.3, width=0.2, top_left_x=0.1, top_left_y=0.2)
    if shape == Shape.ROTATABLE_BOUNDING_BOX:
        return RotatableBoundingBoxCoordinates(height=0.3, width=0.2, top_left_x=0.1, top_left_y=0.2, theta=30.0)
    if shape == Shape.POLYGON:
        return PolygonCoordinates([PointCoordinate(0.1, 0.1), PointCoordinate(0.5, 0.1), PointCoordinate(0.3, 0.6)])
    if shape == Shape.POLYLINE:
        return PolylineCoordinates([PointCoordinate(0.1, 0.9), PointCoordinate(0.9, 0.1)])
    if shape == Shape.POINT:
        return PointCoordinate(0.25, 0.75)
    if shape == Shape.BITMASK:
        mask = np.zeros((48, 64), dtype=bool)
        mask[10:20, 5:30] = True
        return BitmaskCoordinates(mask)
    if shape == Shape.SKELETON and template is None:
        return None  # a release without skeleton templates cannot label skeletons (its own NotImplementedError)
    if shape == Shape.SKELETON:
        return template.create_instance([SkeletonCoordinate(x=0.4, y=0.4, name="top"),
                                         SkeletonCoordinate(x=0.6, y=0.6, name="bottom")])
    return None


def objects_read(row) -> list:
    return sorted(([instance.ontology_item.shape.name, frame, describe(annotation.coordinates)]
                   for instance in row.get_object_instances()
                   for frame, annotation in ((a.frame, a) for a in instance.get_annotations())), key=json.dumps)


@step
def labels(world):
    project = world["project"]
    structure = project.ontology_structure
    template = next(iter(getattr(structure, "skeleton_templates", {}).values()), None)
    image = rows_by_title(project)[IMAGES[0]]
    image.initialise_labels()
    written = []
    for ontology_object in structure.objects:
        coordinates = drawn(ontology_object.shape, template)
        if coordinates is None:
            continue
        instance = ontology_object.create_instance()
        instance.set_for_frames(coordinates, frames=0)
        image.add_object_instance(instance)
        written.append([ontology_object.shape.name, 0, describe(coordinates)])
    ripe = next(c for c in structure.classifications if c.attributes[0].name == "Ripe")
    answer = ripe.create_instance()
    answer.set_answer(ripe.attributes[0].options[0])
    answer.set_for_frames(frames=0)
    image.add_classification_instance(answer)
    image.save()

    video = rows_by_title(project)[VIDEO]
    video.initialise_labels()
    box = next(o for o in structure.objects if o.shape == Shape.BOUNDING_BOX)
    tracked = box.create_instance()
    tracked.set_for_frames(BoundingBoxCoordinates(height=0.2, width=0.2, top_left_x=0.1, top_left_y=0.1), frames=[0, 3])
    video.add_object_instance(tracked)
    video.save()

    image_again, video_again = (rows_by_title(project)[title] for title in (IMAGES[0], VIDEO))
    image_again.initialise_labels()
    video_again.initialise_labels()
    return {"written": sorted(written, key=json.dumps), "read": objects_read(image_again),
            "classifications": [(c.ontology_item.attributes[0].name, c.get_answer().label)
                                for c in image_again.get_classification_instances()],
            "video_frames": sorted(a.frame for i in video_again.get_object_instances() for a in i.get_annotations())}


@step
def bundles(world):
    project = world["project"]
    point = next(o for o in project.ontology_structure.objects if o.shape == Shape.POINT)
    rows = [row for title, row in sorted(rows_by_title(project).items()) if title != VIDEO]
    with project.create_bundle() as bundle:
        for row in rows:
            row.initialise_labels(bundle=bundle)
    for row in rows:
        instance = point.create_instance()
        instance.set_for_frames(PointCoordinate(0.5, 0.5), frames=0)
        row.add_object_instance(instance)
    with project.create_bundle() as bundle:
        for row in rows:
            row.save(bundle=bundle)
    counts = {}
    for title, row in sorted(rows_by_title(project).items()):
        row.initialise_labels()
        counts[title] = sum(1 for i in row.get_object_instances() if i.ontology_item.shape == Shape.POINT)
    return counts


@step
def workflow(world):
    project = world["client"].get_project(world["project_hash"])
    if not hasattr(project, "workflow"):
        return None  # releases before 0.1.111 have no workflow
    stages = [stage.title for stage in project.workflow.stages]
    annotate = project.workflow.get_stage(name=stages[0])
    before = sorted(task.data_title for task in annotate.get_tasks())
    pear = rows_by_title(project)[IMAGES[1]]
    pear.initialise_labels()
    pear.workflow_complete()
    after = sorted(task.data_title for task in annotate.get_tasks())
    return {"stages": stages, "before": before, "after": after,
            "pear": rows_by_title(project)[IMAGES[1]].workflow_graph_node.title}


# -- the calls served since the seeds, each in the releases that have it (the steps ask the release's classes) -------------------------------------------------

def stage(project, name):
    return project.workflow.get_stage(name=name)


@step
def task_moves_reviews_issues(world):
    """The apple submitted to review: its label reviews, one approved; an issue on its task (listed where the
    release can list them); the video's task moved to Complete."""
    project = world["client"].get_project(world["project_hash"])
    if not hasattr(project, "workflow"):
        return None
    next(t for t in stage(project, "Annotate 1").get_tasks() if t.data_title == IMAGES[0]).submit()
    task = next(t for t in stage(project, "Review 1").get_tasks() if t.data_title == IMAGES[0])
    answered = {}
    if hasattr(task, "get_label_reviews"):
        reviews = list(task.get_label_reviews())
        reviews[0].approve()
        answered["reviews"] = sorted(r.status.name for r in task.get_label_reviews())
    if hasattr(task, "issues"):
        task.issues.add_file_issue("too dark", [])
        answered["issues"] = [[c.content for c in issue.comments] for issue in task.issues.list()] if hasattr(
            task.issues, "list") else "added"
    video = next(t for t in stage(project, "Annotate 1").get_tasks() if t.data_title == VIDEO)
    if hasattr(video, "move"):
        video.move(destination_stage_uuid=stage(project, "Complete").uuid)
        answered["completed"] = sorted(t.data_title for t in stage(project, "Complete").get_tasks())
    return answered


@step
def project_logs_and_copy(world):
    """Label logs, interpolation and a copy (every release); branches, time spent and task actions."""
    project = world["client"].get_project(world["project_hash"])
    box = {"objectHash": "box1", "featureHash": "f-box", "manualAnnotation": True}
    key_frames = {"0": {"objects": [{**box, "boundingBox": {"x": 0.0, "y": 0.0, "w": 0.2, "h": 0.2}}]},
                  "2": {"objects": [{**box, "boundingBox": {"x": 0.4, "y": 0.2, "w": 0.2, "h": 0.2}}]}}
    middle = project.object_interpolation(key_frames, ["box1"])["1"]["objects"][0]["boundingBox"]
    copy_hash = project.copy_project(copy_datasets=True)
    answered = {"label_logs": len(project.get_label_logs()) > 0, "interpolated": middle,
                "copy": world["client"].get_project(copy_hash).title}
    if hasattr(project, "list_branches"):
        answered["branches"] = list(project.list_branches())
    since = datetime.now(timezone.utc) - timedelta(days=1)
    if hasattr(project, "list_time_spent"):
        answered["time_spent"] = list(project.list_time_spent(start=since))
    if hasattr(project, "get_task_actions"):
        answered["task_actions"] = sorted({a.action_type.name for a in project.get_task_actions(after=since)})
    return answered


@step
def organisation(world):
    """The organisation's groups, a group made, its users listed."""
    client = world["client"]
    answered = {}
    if hasattr(client, "create_group"):
        client.create_group("Pickers")
        answered["users"] = [u.email for u in client.list_organisation_users()]
    if hasattr(client, "list_groups"):
        answered["groups"] = [g.name for g in client.list_groups()]
    return answered


@step
def storage(world):
    """Storage folders: an image registered into one, found, moved into another folder, that folder moved under
    the first; a collection and a data group of the image."""
    client = world["client"]
    if not hasattr(client, "create_storage_folder"):
        return None
    orchard, shelf = (client.create_storage_folder(name, None) for name in ("orchard", "shelf"))
    job = orchard.add_private_data_to_folder_start(world["integration_id"],
                                                   {"images": [{"objectUrl": object_url(IMAGES[1]), "title": "picked.png"}]})
    orchard.add_private_data_to_folder_get_result(job)
    [item] = list(client.find_storage_items(search="picked"))
    orchard.move_items_to_folder(shelf, [item])
    shelf.move_to_folder(orchard)
    answered = {"found": item.name, "shelf": [i.name for i in shelf.list_items()],
                "under_orchard": [f.name for f in orchard.list_subfolders()]}
    if hasattr(client, "create_collection"):
        collection = client.create_collection(orchard.uuid, "picked")
        collection.add_items([item.uuid])
        answered["collection"] = [i.uuid == item.uuid for i in collection.list_items()]
    if hasattr(shelf, "create_data_groups"):
        group_uuid = shelf.create_data_groups([[item.uuid]])[0]
    elif hasattr(shelf, "create_data_group"):
        group_uuid = shelf.create_data_group([item.uuid])
    else:
        return answered
    answered["data_group"] = [child.uuid == item.uuid for child in client.get_storage_item(group_uuid).get_child_items()]
    return answered


@step
def metadata_schema(world):
    """The organisation's metadata schema, a key added: through MetadataSchema, or the dictionary of releases
    before it."""
    client = world["client"]
    if hasattr(client, "metadata_schema"):
        schema = client.metadata_schema()
        schema.add_scalar("ripeness", data_type="number")
        schema.save()
        return {"keys": client.metadata_schema().keys()}
    if hasattr(client, "set_client_metadata_schema_from_dict"):
        client.set_client_metadata_schema_from_dict({"ripeness": "number"})
        return {"keys": list(client.get_client_metadata_schema())}
    return None


@step
def delete_data(world):
    """Dataset.delete_data (every release): the local files leave their dataset."""
    dataset = world["client"].get_dataset(world["local_dataset"])
    before = dataset.list_data_rows()
    dataset.delete_data([row.uid for row in before])
    return {"before": sorted(row.title for row in before), "after": [row.title for row in dataset.list_data_rows()]}


# -- the run ------------------------------------------------------------------------------------------------------------

def put_media(handle: EmulatorHandle) -> None:
    handle.s3.create_bucket(Bucket=BUCKET)
    for key in IMAGES + GROUP:
        handle.put_object(BUCKET, key, mf.png(64, 48))
    handle.put_object(BUCKET, VIDEO, mf.mp4(64, 48, fps=5, frames=10))
    for index, key in enumerate(DICOM):
        handle.put_object(BUCKET, key, mf.dicom(sop_uid=f"1.2.3.{index}", instance_number=index))


def last_call(handle: EmulatorHandle) -> str:
    journal = handle.requests()
    return journal[-1]["operation"] if journal else "(no request reached the emulator)"


def run(handle: EmulatorHandle) -> dict:
    user = handle.register_user("matrix@example.com")
    from encord.user_client import EncordUserClient

    world = {"client": EncordUserClient.create_with_ssh_private_key(ssh_private_key=user.private_key,
                                                                    domain=handle.url),
             "integration_id": handle.add_integration("matrix", "AWS", [BUCKET], write=True)["id"]}
    put_media(handle)
    outcome = {}
    for function in STEPS:
        handle.clear_requests()
        try:
            outcome[function.__name__] = {"value": function(world)}
        except Exception as error:  # every step is tried: one failure must not hide the others
            outcome[function.__name__] = {"exception": type(error).__name__, "message": str(error),
                                          "call": last_call(handle), "traceback": traceback.format_exc()}
    return outcome


def main(mode: str) -> None:
    config = EmulatorConfig(validate_responses=True)
    if mode == "in-process":
        from emulator.mock import mock_encord

        with mock_encord(config) as mock:
            outcome = run(EmulatorHandle(mock.url, None, mock.backend))
    else:
        from emulator.server import ThreadedEncordServer

        with ThreadedEncordServer(config=config) as server:
            outcome = run(EmulatorHandle(server.url, server.s3.url, server.backend))
    import encord

    known = {"storage_locations": [location.name for location in StorageLocation],
             "shapes": [shape.name for shape in Shape]}
    print("SCENARIO " + json.dumps({"release": encord.__version__, "known": known, "steps": outcome}, default=str))


if __name__ == "__main__":
    main(sys.argv[1])
