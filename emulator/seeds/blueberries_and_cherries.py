"""Seed 000's example: the "Blueberries and Cherries" project and ontology, over media ingested from a bucket.

The project keeps the documentation's hash, so the documented scripts run as written. Media are generated to the
sizes and lengths the examples need: blueberry_003.jpg is 1254x836 and Blueberries_video.mp4 1920x1080 (the
whole-frame bitmask examples), Cherries_video.mp4 runs past frame 448 and Blueberries_video.mp4 past frame 359.
"""

from __future__ import annotations

import secrets

from emulator.auth.models import User
from emulator.core.errors import EmulatorError
from emulator.datasets.models import DataRowFilters
from emulator.ingestion.models import UPLOAD_JOBS, Progression
from emulator.ingestion.spec import spec_from_files
from emulator.projects.exceptions import ProjectExists
from emulator.projects.models import PROJECTS
from emulator.seeds import media

NAME = "blueberries-and-cherries"
PROJECT_HASH = "7d4ead9c-4087-4832-a301-eb2545e7d43b"
BUCKET = "blueberries-and-cherries"

IMAGES = {
    "cherry_001.png": ("PNG", 640, 480, (170, 20, 40)),
    "apple_001.png": ("PNG", 640, 480, (200, 40, 30)),
    "persimmon_001.jpg": ("JPEG", 640, 480, (230, 120, 20)),
    "blueberry_003.jpg": ("JPEG", 1254, 836, (60, 70, 160)),
    "strawberries_10.jpg": ("JPEG", 640, 480, (220, 30, 50)),
    "apple_003.jpg": ("JPEG", 640, 480, (120, 180, 40)),
}
VIDEOS = {"Cherries_video.mp4": (640, 360, 450), "Blueberries_video.mp4": (1920, 1080, 360)}


class SeedFailed(EmulatorError):
    pass


def _hash() -> str:
    return secrets.token_hex(4)


def _options(prefix: str, labels: list[str]) -> list[dict]:
    return [{"id": f"{prefix}.{i}", "label": label, "value": label.lower().replace(" ", "_"),
             "featureNodeHash": _hash(), "archived": False, "options": []} for i, label in enumerate(labels, 1)]


def ontology_editor() -> dict:
    """The seed's ontology in the editor form the SDK writes."""
    objects = [("Cherry", "bounding_box", "#D33115"), ("Other type of fruit", "rotatable_bounding_box", "#E27300"),
               ("Persimmon", "polygon", "#16406C"), ("Branch", "polyline", "#FE9200"),
               ("Pedicel", "point", "#FCDC00"), ("Blueberry", "bitmask", "#DBDF00")]
    editor_objects = [{"id": str(i), "name": name, "color": colour, "shape": shape, "featureNodeHash": _hash(),
                       "required": False, "archived": False, "attributes": []}
                      for i, (name, shape, colour) in enumerate(objects, 1)]
    strawberry_hash = _hash()
    editor_objects.append({"id": str(len(objects) + 1), "name": "Strawberry", "color": "#A4DD00", "shape": "skeleton",
                           "featureNodeHash": strawberry_hash, "required": False, "archived": False, "attributes": []})
    triangle = {
        "name": "Triangle", "width": 0.2, "height": 0.2, "feature_node_hash": strawberry_hash, "shape": "skeleton",
        "skeleton": {str(i): {"x": x, "y": y, "name": name, "color": "#00000", "value": name.lower(),
                              "featureHash": _hash()}
                     for i, (name, x, y) in enumerate([("Top", 0.1, 0.0), ("Left", 0.0, 0.2), ("Right", 0.2, 0.2)])},
        "skeletonEdges": {"0": {"1": {"color": "#00ff00"}}, "1": {"2": {"color": "#00ff00"}},
                          "2": {"0": {"color": "#00ff00"}}},
    }
    classifications = [
        {"id": "1", "featureNodeHash": _hash(), "attributes": [
            {"id": "1.1", "name": "Blueberry or cherry?", "type": "radio", "featureNodeHash": _hash(),
             "required": False, "dynamic": False, "options": _options("1.1", ["Blueberry", "Cherry"])}]},
        {"id": "2", "featureNodeHash": _hash(), "attributes": [
            {"id": "2.1", "name": "Many types of fruit?", "type": "checklist", "featureNodeHash": _hash(),
             "required": False, "dynamic": False,
             "options": _options("2.1", ["Apple", "Kiwi", "Persimmon", "Blueberry", "Cherry"])}]},
    ]
    return {"objects": editor_objects, "classifications": classifications, "skeleton_templates": [{"template": triangle}]}


def seed(backend, owner: User) -> dict:
    """Create the scenario for ``owner``; the upload job runs to its end before this returns."""
    if backend.store.get(PROJECTS, PROJECT_HASH) is not None:
        raise ProjectExists(PROJECT_HASH)  # before anything is written
    for title, (fmt, width, height, colour) in IMAGES.items():
        backend.buckets.put_object(BUCKET, title, media.image(fmt, width, height, colour))
    for title, (width, height, frames) in VIDEOS.items():
        backend.buckets.put_object(BUCKET, title, media.video(width, height, frames))
    integration = backend.integrations.create_integration("Blueberries and Cherries bucket", "AWS", [BUCKET],
                                                          write=False, users=[])
    dataset = backend.datasets.create_dataset(owner, "Blueberries and Cherries", "Seed 000's example data", True)
    spec = {"images": [{"objectUrl": f"s3://{BUCKET}/{title}", "title": title} for title in IMAGES],
            "videos": [{"objectUrl": f"s3://{BUCKET}/{title}", "title": title} for title in VIDEOS]}
    job = backend.upload_jobs.start_dataset_job(owner, dataset["dataset_hash"], integration["id"],
                                                spec_from_files(spec), ignore_errors=False, file_name=None,
                                                progression=Progression())
    backend.upload_jobs.wait_until_ended(job["id"], timeout_seconds=60)
    ended = backend.store.get(UPLOAD_JOBS, job["id"])
    if ended["status"] != "DONE":
        raise SeedFailed(f"the seed's upload job ended {ended['status']}: {ended['errors']}")
    ontology = backend.ontologies.create_ontology(owner, "Blueberries and Cherries Ontology", "", ontology_editor())
    project = backend.projects.create_project(owner, "Blueberries and Cherries", "", [dataset["dataset_hash"]],
                                              ontology["ontology_hash"], project_hash=PROJECT_HASH)
    rows = backend.datasets.data_rows(dataset["dataset_hash"], DataRowFilters())
    return {"project_hash": project["project_hash"], "dataset_hash": dataset["dataset_hash"],
            "ontology_hash": ontology["ontology_hash"], "integration_id": integration["id"],
            "data_hashes": {row["data_title"]: row["data_hash"] for row in rows}}
