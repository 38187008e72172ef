"""Point clouds and 3D scenes through the real SDK: scene files uploaded from local disk and scenes of point-cloud
streams registered from a bucket, their PCD files read by their header; scene label rows holding cuboids, 3D points
and 3D polylines on the scene's frames, saved under the service's checks."""

import media_factory as mf
import pytest
from encord.beta.scene.builder import SceneBuilder
from encord.beta.scene.intrinsics import intrinsics_pinhole
from encord.exceptions import CorruptedLabelError, EncordException, InvalidArgumentsError
from encord.objects import OntologyStructure, Shape
from encord.objects.coordinates import CuboidCoordinates, PointCoordinate3D, PolylineCoordinates
from encord.orm.dataset import StorageLocation
from encord.orm.storage import DataUploadItems, DataUploadScene, StorageItemType
from test_labels import save_forged

BUCKET = "lidar-bucket"
USER = "labeller@example.com"


def scene_project(client, item_uuids):
    """A project over a dataset of the scene items, its ontology a cuboid, a point and a polyline."""
    dataset = client.get_dataset(client.create_dataset("Drives", StorageLocation.CORD_STORAGE).dataset_hash)
    dataset.link_items(item_uuids)
    structure = OntologyStructure()
    for title, shape in (("Car", Shape.CUBOID), ("Pole", Shape.POINT), ("Lane", Shape.POLYLINE)):
        structure.add_object(title, shape)
    ontology = client.create_ontology("3D", structure=structure)
    project = client.get_project(client.create_project("Lidar", [dataset.dataset_hash],
                                                       ontology_hash=ontology.ontology_hash))
    return project, ontology


def instance(ontology, title, coordinates, frame):
    obj = ontology.structure.get_child_by_title(title).create_instance()
    obj.set_for_frames(coordinates, frames=frame)
    return obj


def bucket_scene(emulator, frames):
    """A folder and a scene of one point-cloud stream, one PCD per frame, registered from a bucket."""
    integration = emulator.add_integration("lidar", "AWS", [BUCKET])
    scene = SceneBuilder()
    stream = scene.add_pcd_stream("lidar")
    for frame in range(frames):
        emulator.put_object(BUCKET, f"drive/{frame}.pcd", mf.pcd(((frame, 0, 0), (frame, 1, 0))))
        stream.add_pcd(uri=f"s3://{BUCKET}/drive/{frame}.pcd", timestamp=frame / 10)
    client = emulator.user_client(USER)
    folder = client.create_storage_folder("Drives")
    return client, folder, integration, scene


def uploaded_url(emulator):
    """Where the last upload job found its file."""
    return emulator.control("GET", "upload-jobs")["upload_jobs"][-1]["units"][0]["object_urls"][0]


def test_a_scene_file_from_local_disk_is_labelled_with_cuboids_3d_points_and_polylines(emulator, tmp_path):
    (tmp_path / "street.pcd").write_bytes(mf.pcd())
    client = emulator.user_client(USER)
    item_uuid = client.create_storage_folder("Scenes").upload_scene_file(tmp_path / "street.pcd",
                                                                         client_metadata={"car": "A"})
    item = client.get_storage_item(item_uuid)
    assert (item.name, item.item_type, item.frame_count, item.client_metadata) == (
        "street.pcd", StorageItemType.SCENE, 1, {"car": "A"})
    project, ontology = scene_project(client, [item_uuid])
    [row] = project.list_label_rows_v2()
    assert row.data_type.value == "scene"
    row.initialise_labels()
    cuboid = CuboidCoordinates(position=[1.0, 2.0, 0.5], orientation=[0.0, 0.0, 1.57], size=[4.2, 1.8, 1.5])
    lane = PolylineCoordinates([PointCoordinate3D(x=0, y=0, z=0), PointCoordinate3D(x=5, y=0.5, z=0.1)])
    for title, coordinates in (("Car", cuboid), ("Pole", PointCoordinate3D(x=3, y=-1, z=2.5)), ("Lane", lane)):
        row.add_object_instance(instance(ontology, title, coordinates, 0))
    row.save()
    [again] = project.list_label_rows_v2()
    again.initialise_labels()
    assert {o.object_name: o.get_annotation(0).coordinates for o in again.get_object_instances()} == {
        "Car": cuboid, "Pole": PointCoordinate3D(x=3, y=-1, z=2.5), "Lane": lane}


def test_a_scene_of_point_cloud_streams_from_a_bucket_has_a_frame_per_instant(encord_emulator, forger):
    client, folder, integration, scene = bucket_scene(encord_emulator, frames=3)
    scene.add_pcd_stream("roof").add_pcd(uri=f"s3://{BUCKET}/drive/0.pcd", timestamp=0.0)
    item = client.get_storage_item(folder.upload_scene(scene, "Drive", integration["id"]))
    assert (item.name, item.item_type, item.frame_count) == ("Drive", StorageItemType.SCENE, 3)
    project, ontology = scene_project(client, [item.uuid])
    [row] = project.list_label_rows_v2()
    row.initialise_labels()
    box = CuboidCoordinates(position=[2.0, 0.0, 0.0], orientation=[0.0, 0.0, 0.0], size=[1.0, 1.0, 1.0])
    row.add_object_instance(instance(ontology, "Car", box, 2))
    row.save()

    def to_frame_3(values):
        labels = next(iter(values["payload"]["labels"][0]["data_units"].values()))["labels"]
        labels["3"] = labels.pop("2")

    with pytest.raises(CorruptedLabelError) as e:
        save_forged(encord_emulator, row, forger, to_frame_3)
    assert str(e.value).startswith(f"The label blurb is corrupted.\ndata_units/{row.data_hash}/labels: frame 3 is "
                                   "outside the media (it has 3 frames).")


def test_a_cuboid_without_its_size_is_refused(encord_emulator, tmp_path):
    (tmp_path / "street.pcd").write_bytes(mf.pcd())
    client = encord_emulator.user_client(USER)
    project, ontology = scene_project(client, [client.create_storage_folder("Scenes").upload_scene_file(
        tmp_path / "street.pcd")])
    [row] = project.list_label_rows_v2()
    row.initialise_labels()
    flat = CuboidCoordinates(position=[1.0, 2.0, 0.5], orientation=[0.0, 0.0, 0.0], size=[4.2, 1.8])
    row.add_object_instance(instance(ontology, "Car", flat, 0))
    with pytest.raises(InvalidArgumentsError) as e:
        row.save()
    assert e.value.message == (f"/payload/labels/0/data_units/{row.data_hash}/labels/0/objects/0/cuboid/size: "
                               "[4.2, 1.8] is too short")
    [again] = project.list_label_rows_v2()
    again.initialise_labels()
    assert again.get_object_instances() == []


def test_a_file_that_is_no_point_cloud_is_not_registered(encord_emulator, tmp_path):
    (tmp_path / "notes.pcd").write_bytes(mf.text("these are notes, not a point cloud"))
    folder = encord_emulator.user_client(USER).create_storage_folder("Scenes")
    with pytest.raises(EncordException) as e:
        folder.upload_scene_file(tmp_path / "notes.pcd")
    assert e.value.message == (f"folder.add_data errors occurred ['{uploaded_url(encord_emulator)}: the file cannot "
                               "be read as a PCD point cloud: it is a file of type text/plain, not PCD']")
    assert list(folder.list_items()) == []


def test_a_scene_file_of_a_format_the_emulator_does_not_read_and_a_missing_point_cloud(encord_emulator, tmp_path):
    (tmp_path / "street.ply").write_bytes(b"ply\nformat ascii 1.0\nend_header\n")
    client, folder, integration, scene = bucket_scene(encord_emulator, frames=1)
    with pytest.raises(EncordException) as e:
        folder.upload_scene_file(tmp_path / "street.ply")
    assert e.value.message == (f"folder.add_data errors occurred [\"{uploaded_url(encord_emulator)}: scene files of "
                               "format 'ply' are not read by the emulator (it reads pcd).\"]")
    scene.add_pcd_stream("roof").add_pcd(uri=f"s3://{BUCKET}/drive/gone.pcd", timestamp=0.0)
    with pytest.raises(EncordException) as e:
        folder.upload_scene(scene, "Drive", integration["id"])
    assert e.value.message == (f"folder.add_data errors occurred [\"s3://{BUCKET}/drive/gone.pcd: the object does not "
                               f"exist in bucket '{BUCKET}'.\"]")
    assert list(folder.list_items()) == []


def test_scenes_of_streams_the_emulator_does_not_read_are_refused(encord_emulator):
    client, folder, integration, scene = bucket_scene(encord_emulator, frames=1)
    encord_emulator.put_object(BUCKET, "drive/front.png", mf.png(64, 48))
    scene.add_image_stream("front", width=64, height=48, intrinsics=intrinsics_pinhole(fx=1, fy=1, ox=32, oy=24),
                           timestamp=0.0).add_image(uri=f"s3://{BUCKET}/drive/front.png", timestamp=0.0)
    with pytest.raises(EncordException) as e:
        folder.upload_scene(scene, "Drive", integration["id"])
    assert e.value.message == ("folder.add_data errors occurred [\"Scene 'Drive': stream 'front' is of type image; the "
                               "emulator reads scenes of point-cloud streams (with their cameras and frames of "
                               "reference).\"]")
    poses_only = {"base": {"type": "frame_of_reference", "id": "base", "events": [
        {"timestamp": 0.0, "pose": {"position": [0, 0, 0], "rotation": [0, 0, 0, 1]}}]}}
    job = folder.add_private_data_to_folder_start(integration["id"], DataUploadItems(
        scenes=[DataUploadScene(title="Poses", scene=poses_only)]))
    result = folder.add_private_data_to_folder_get_result(job)
    assert (result.status.value, result.errors) == ("ERROR", ["Scene 'Poses' has no point-cloud events."])
