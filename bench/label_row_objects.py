"""What a label row's object count costs: saving one row of N bounding boxes on a video through the real SDK (the
emulator's refusal of more than ``max_objects_per_label_row`` is turned off), then listing the project's label rows
and reading the row back, each timed inside the emulator (summed from its per-request log lines) and as wall time.
The figures chose the limit's default.

    .venv/bin/python bench/label_row_objects.py [--objects 1000,10000,50000]
"""

import argparse
import time

from encord.objects import Object, OntologyStructure, Shape
from encord.objects.coordinates import BoundingBoxCoordinates
from encord.objects.frames import Range
from encord.orm.dataset import StorageLocation

from emulator import EmulatorConfig, mock_encord
from emulator.testing import EmulatorHandle
from emulator_time import server_time

FRAMES = 1000


def run(objects: int) -> None:
    with server_time() as server:
        with mock_encord(EmulatorConfig(max_objects_per_label_row=10 ** 9)) as mock:
            emulator = EmulatorHandle(mock.url, None, mock.backend)
            client = emulator.user_client()
            dataset = client.get_dataset(client.create_dataset("bench", StorageLocation.AWS).dataset_hash)
            emulator.register_data_rows(dataset.dataset_hash, [{
                "data_type": "VIDEO", "data_title": "clip.mp4", "file_link": "s3://bench/clip.mp4", "frames_per_second": 25, "duration": FRAMES / 25,
                "width": 64, "height": 48, "file_size": 100, "file_type": "video/mp4"}])
            structure = OntologyStructure()
            structure.add_object("Box", Shape.BOUNDING_BOX)
            ontology = client.create_ontology("bench", structure=structure)
            project = client.get_project(client.create_project("bench", [dataset.dataset_hash],
                                                               ontology_hash=ontology.ontology_hash))
            [label_row] = project.list_label_rows_v2()
            label_row.initialise_labels()
            box = project.ontology_structure.get_child_by_title("Box", type_=Object)
            for _ in range(objects // FRAMES or 1):
                instance = box.create_instance()
                instance.set_for_frames(BoundingBoxCoordinates(height=0.1, width=0.1, top_left_x=0.2, top_left_y=0.2),
                                        frames=Range(0, min(objects, FRAMES) - 1))
                label_row.add_object_instance(instance)

            def timed(phase) -> str:
                server.ms = 0.0
                started = time.perf_counter()
                phase()
                return f"{time.perf_counter() - started:6.2f} s wall, {server.ms / 1000:6.2f} s in the emulator"

            saved = timed(label_row.save)
            listed = timed(project.list_label_rows_v2)
            read = timed(lambda: project.list_label_rows_v2()[0].initialise_labels())
    print(f"{objects:>7} objects: save {saved}; list {listed}; list and read back {read}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objects", default="1000,10000,50000")
    for objects in (int(n) for n in parser.parse_args().objects.split(",")):
        run(objects)


if __name__ == "__main__":
    main()
