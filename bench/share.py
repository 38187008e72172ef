"""The emulator's share of an SDK call's wall time in-process, against its floor: the same SDK calls answered by a
trivial ``responses`` responder that hands back the answers the emulator gave (recorded in the same run), which is
what the SDK, requests and responses cost with no emulator at all. Share = (emulator - floor) / emulator.

Operations: get_dataset (without its data rows); list_label_rows_v2 of a project of N rows; a bundled initialise_labels and save of N rows;
an upload job of N/5 images given with their metadata (so that no media is read), with the media reading apart (the
same job on real PNGs read from moto). ``--stored M`` first stores M more data rows, each with a label row, in
another dataset and project, which the operations must not pay for.

    .venv/bin/python bench/share.py [--rows 1000] [--stored 0] [--repeat 300]
"""

import argparse
import io
import re
import statistics
import time

from encord.objects import Object, OntologyStructure, Shape
from encord.objects.coordinates import BoundingBoxCoordinates
from encord.orm.dataset import StorageLocation
from PIL import Image

from emulator import EmulatorConfig, mock_encord
from emulator.mock import METHODS, _RequestsMock
from emulator.testing import EmulatorHandle

BUCKET = "bench-bucket"
METADATA = {"mimeType": "image/png", "fileSize": 100, "width": 32, "height": 24}


class Recorder:
    """Records the answers mock_encord gives, then hands them back, in order, as the floor's responder."""

    def __init__(self, active):
        self.active, self.answers = active, []
        self.forward = active._forward

    def __enter__(self):
        def recorded(prepared, prefix):
            answer = self.forward(prepared, prefix)
            self.answers.append((prepared.method, prepared.path_url.split("?")[0], answer))
            return answer

        self.active._forward = recorded
        return self

    def __exit__(self, *exc):
        del self.active._forward

    def floor(self):
        answers = iter(self.answers)

        def replay(prepared):
            method, path, answer = next(answers)
            assert (method, path) == (prepared.method, prepared.path_url.split("?")[0]), (method, path, prepared.url)
            return answer

        # The same RequestsMock as mock_encord's (it keeps no record of the calls), so that only the emulator differs.
        mock = _RequestsMock(assert_all_requests_are_fired=False)
        for method in METHODS:
            mock.add_callback(method, re.compile(r"https://api\.encord\.com/.*"), callback=replay)
        return mock


def measure(mock, setup, operation, repeat: int, rounds: int = 5) -> tuple[float, float]:
    """Seconds per operation through the emulator, and against the floor, each time from the same state: the
    median over rounds, each timing ``repeat`` operations through the emulator then the floor's replay of them."""
    state = mock.backend.store.export_state()
    emulator, floor = [], []
    for _ in range(rounds):
        subject = setup()
        with Recorder(mock_encord._active) as recorder:
            started = time.perf_counter()
            for _ in range(repeat):
                operation(subject)
            emulator.append((time.perf_counter() - started) / repeat)
        mock.backend.store.import_state(state)
        subject = setup()
        with recorder.floor():
            started = time.perf_counter()
            for _ in range(repeat):
                operation(subject)
            floor.append((time.perf_counter() - started) / repeat)
        mock.backend.store.import_state(state)
    return statistics.median(emulator), statistics.median(floor)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def project_of(emulator, client, integration, rows: int, title: str):
    dataset = client.get_dataset(client.create_dataset(title, StorageLocation.AWS).dataset_hash)
    job = dataset.add_private_data_to_dataset_start(integration["id"], {"images": [
        {"objectUrl": f"s3://{BUCKET}/{title}/{i}.png", "imageMetadata": METADATA} for i in range(rows)]})
    dataset.add_private_data_to_dataset_get_result(job, timeout_seconds=600)
    structure = OntologyStructure()
    structure.add_object("Box", Shape.BOUNDING_BOX)
    ontology = client.create_ontology(title, structure=structure)
    project = client.get_project(client.create_project(title, [dataset.dataset_hash],
                                                       ontology_hash=ontology.ontology_hash))
    return dataset, project


def initialise_and_save(project):
    box = project.ontology_structure.get_child_by_title("Box", type_=Object)

    def run(label_rows):
        with project.create_bundle() as bundle:
            for label_row in label_rows:
                label_row.initialise_labels(bundle=bundle)
        for label_row in label_rows:
            instance = box.create_instance()
            instance.set_for_frames(BoundingBoxCoordinates(height=0.1, width=0.1, top_left_x=0.2, top_left_y=0.2),
                                    frames=0)
            label_row.add_object_instance(instance)
        with project.create_bundle() as bundle:
            for label_row in label_rows:
                label_row.save(bundle=bundle)

    return run


def upload(dataset, integration, images: int, prefix: str, metadata: bool):
    def run(_):
        spec = {"images": [{"objectUrl": f"s3://{BUCKET}/{prefix}/{i}.png", **({"imageMetadata": METADATA}
                                                                               if metadata else {})}
                           for i in range(images)]}
        job = dataset.add_private_data_to_dataset_start(integration["id"], spec)
        result = dataset.add_private_data_to_dataset_get_result(job, timeout_seconds=600)
        assert result.units_done_count == images, result

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--stored", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=300, help="repetitions of get_dataset (over 5 rounds)")
    args = parser.parse_args()
    images = args.rows // 5
    with mock_encord(EmulatorConfig()) as mock:
        emulator = EmulatorHandle(mock.url, None, mock.backend)
        client = emulator.user_client()
        emulator.s3.create_bucket(Bucket=BUCKET)
        for i in range(images):
            emulator.s3.put_object(Bucket=BUCKET, Key=f"real/{i}.png", Body=png())
        integration = emulator.add_integration("bench", "AWS", [BUCKET])
        if args.stored:
            _, elsewhere = project_of(emulator, client, integration, args.stored, "stored")
            initialise_and_save(elsewhere)(elsewhere.list_label_rows_v2())
        dataset, project = project_of(emulator, client, integration, args.rows, "bench")
        figures = [
            ("get_dataset", measure(mock, lambda: None,
                                    lambda _: client.get_dataset(dataset.dataset_hash, include_data_rows=False),
                                    args.repeat // 5)),
            (f"list_label_rows_v2, {args.rows} rows", measure(mock, lambda: None,
                                                              lambda _: project.list_label_rows_v2(), 1)),
            (f"initialise + save, {args.rows} rows, bundled", measure(mock, project.list_label_rows_v2,
                                                                     initialise_and_save(project), 1)),
            (f"upload job, {images} images", measure(mock, lambda: None,
                                                     upload(dataset, integration, images, "meta", True), 1)),
        ]
        started = time.perf_counter()
        upload(dataset, integration, images, "real", False)(None)
        with_media = time.perf_counter() - started
    print(f"{args.stored} more rows stored elsewhere")
    print(f"{'operation':<44} {'floor ms':>9} {'emulator ms':>12} {'share':>6}")
    for name, (emulator_s, floor_s) in figures:
        print(f"{name:<44} {floor_s * 1000:9.2f} {emulator_s * 1000:12.2f} "
              f"{100 * (emulator_s - floor_s) / emulator_s:5.1f}%")
    print(f"upload job of {images} PNGs read from moto (media reading included): {with_media * 1000:.0f} ms")


if __name__ == "__main__":
    main()
