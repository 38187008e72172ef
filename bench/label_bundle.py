"""Bundled label saves through the real SDK: wall time of initialising N label rows in bundles, then of saving them
in bundles (each with a bounding box), and the share of each spent inside the emulator (summed from its per-request
log lines), at 1,000 and 10,000 rows.

    .venv/bin/python bench/label_bundle.py [--rows 1000,10000]
"""

import argparse
import time

from encord.objects import Object, OntologyStructure, Shape
from encord.objects.coordinates import BoundingBoxCoordinates
from encord.orm.dataset import StorageLocation

from emulator import EmulatorConfig, mock_encord
from emulator.testing import EmulatorHandle
from emulator_time import server_time


def run(rows: int) -> None:
    with server_time() as server:
        with mock_encord(EmulatorConfig()) as mock:
            emulator = EmulatorHandle(mock.url, None, mock.backend)
            client = emulator.user_client()
            integration = emulator.add_integration("bench", "AWS", ["bench-bucket"])
            dataset = client.get_dataset(client.create_dataset("bench", StorageLocation.AWS).dataset_hash)
            metadata = {"mimeType": "image/png", "fileSize": 100, "width": 64, "height": 48}
            job = dataset.add_private_data_to_dataset_start(integration["id"], {"images": [
                {"objectUrl": f"s3://bench-bucket/{i}.png", "imageMetadata": metadata} for i in range(rows)]})
            dataset.add_private_data_to_dataset_get_result(job, timeout_seconds=600)
            structure = OntologyStructure()
            structure.add_object("Box", Shape.BOUNDING_BOX)
            ontology = client.create_ontology("bench", structure=structure)
            project = client.get_project(client.create_project("bench", [dataset.dataset_hash],
                                                               ontology_hash=ontology.ontology_hash))
            label_rows = project.list_label_rows_v2()
            box = project.ontology_structure.get_child_by_title("Box", type_=Object)

            def timed(phase) -> tuple[float, float]:
                server.ms = 0.0
                started = time.perf_counter()
                phase()
                return time.perf_counter() - started, server.ms / 1000

            def initialise():
                with project.create_bundle() as bundle:
                    for label_row in label_rows:
                        label_row.initialise_labels(bundle=bundle)

            def save():
                with project.create_bundle() as bundle:
                    for label_row in label_rows:
                        label_row.save(bundle=bundle)

            initialised = timed(initialise)
            for label_row in label_rows:
                instance = box.create_instance()
                instance.set_for_frames(BoundingBoxCoordinates(height=0.1, width=0.1, top_left_x=0.2, top_left_y=0.2),
                                        frames=0)
                label_row.add_object_instance(instance)
            saved = timed(save)
    for phase, (wall, inside) in (("initialise", initialised), ("save", saved)):
        print(f"{rows:>6} rows: {phase:<10} in bundles {wall:7.2f} s wall, {inside:7.2f} s in the emulator "
              f"({100 * inside / wall:4.1f} %), {rows / wall:7.1f} rows/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="1000,10000")
    for rows in (int(n) for n in parser.parse_args().rows.split(",")):
        run(rows)


if __name__ == "__main__":
    main()
