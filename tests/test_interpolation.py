"""Object interpolation through the SDK (``Project.object_interpolation``): an object tracked over key frames of a
video gets its shape moved linearly on every frame between two consecutive key frames, as the service's labeling
algorithm does; the answer is every frame the key frames span."""

import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError
from encord.orm.dataset import StorageLocation
from encord.utilities.project_user import ProjectUserRole

ADMIN = "admin@example.com"


def make_project(emulator, client):
    dataset = client.create_dataset("tracks", StorageLocation.AWS)
    emulator.register_data_rows(dataset.dataset_hash, [{"data_title": "a.png", "data_type": "IMAGE"}])
    return client.get_project(client.create_project("tracks", [dataset.dataset_hash]))


def box(x, y, w=0.2, h=0.1):
    return {"objectHash": "box1", "featureHash": "f-box", "manualAnnotation": True,
            "boundingBox": {"x": x, "y": y, "w": w, "h": h}}


def polygon(points, object_hash="poly1"):
    return {"objectHash": object_hash, "featureHash": "f-poly", "manualAnnotation": True,
            "polygon": {str(i): {"x": x, "y": y} for i, (x, y) in enumerate(points)}}


def point(x, y):
    return {"objectHash": "pt1", "featureHash": "f-pt", "manualAnnotation": True, "point": {"0": {"x": x, "y": y}}}


def test_tracked_objects_are_filled_in_between_their_key_frames(emulator):
    project = make_project(emulator, emulator.user_client(ADMIN))
    key_frames = {"0": {"objects": [box(0.1, 0.1), polygon([(0.0, 0.0), (0.4, 0.0), (0.4, 0.4)]), point(0.5, 0.5)]},
                  "2": {"objects": [polygon([(0.2, 0.2), (0.6, 0.2), (0.6, 0.8)]), point(0.9, 0.1)]},
                  "4": {"objects": [box(0.5, 0.3, w=0.4)]}}
    result = project.object_interpolation(key_frames, ["box1", "poly1"])
    assert list(result) == ["0", "1", "2", "3", "4"]
    assert result["0"]["objects"] == key_frames["0"]["objects"]
    assert [o["objectHash"] for o in result["1"]["objects"]] == ["box1", "poly1"]
    assert [o["objectHash"] for o in result["2"]["objects"]] == ["poly1", "pt1", "box1"]
    moved = result["1"]["objects"][0]
    assert moved["boundingBox"] == pytest.approx({"x": 0.2, "y": 0.15, "w": 0.25, "h": 0.1})
    assert result["3"]["objects"][0]["boundingBox"] == pytest.approx({"x": 0.4, "y": 0.25, "w": 0.35, "h": 0.1})
    assert (moved["featureHash"], moved["manualAnnotation"]) == ("f-box", False)
    assert {k: pytest.approx(v) for k, v in result["1"]["objects"][1]["polygon"].items()} == {
        "0": {"x": 0.1, "y": 0.1}, "1": {"x": 0.5, "y": 0.1}, "2": {"x": 0.5, "y": 0.6}}
    assert [o["objectHash"] for o in result["3"]["objects"]] == ["box1"]


def test_rotatable_boxes_polylines_and_points_are_interpolated_too(encord_emulator):
    project = make_project(encord_emulator, encord_emulator.user_client(ADMIN))
    rotated = {"objectHash": "r1", "rotatableBoundingBox": {"x": 0.0, "y": 0.0, "w": 0.2, "h": 0.2, "theta": 0}}
    line = {"objectHash": "l1", "polyline": {"0": {"x": 0.0, "y": 0.0}, "1": {"x": 1.0, "y": 0.0}}}
    key_frames = {"10": {"objects": [rotated, line, point(0.0, 1.0)]},
                  "12": {"objects": [{**rotated, "rotatableBoundingBox": {**rotated["rotatableBoundingBox"],
                                                                          "x": 0.4, "theta": 90}},
                                     {**line, "polyline": {"0": {"x": 0.0, "y": 0.5}, "1": {"x": 1.0, "y": 0.5}}},
                                     point(1.0, 0.0)]}}
    middle = project.object_interpolation(key_frames, ["r1", "l1", "pt1"])["11"]["objects"]
    assert middle[0]["rotatableBoundingBox"] == pytest.approx({"x": 0.2, "y": 0.0, "w": 0.2, "h": 0.2, "theta": 45})
    assert middle[1]["polyline"] == {"0": {"x": 0.0, "y": 0.25}, "1": {"x": 1.0, "y": 0.25}}
    assert middle[2]["point"] == {"0": {"x": 0.5, "y": 0.5}}


@pytest.mark.parametrize(("key_frames", "objects", "message"), [
    ({"0": {"objects": [polygon([(0, 0), (1, 0), (1, 1)])]}, "3": {"objects": [polygon([(0, 0), (1, 1)])]}},
     ["poly1"], "key_frames: the polygon of object poly1 has different vertices on frames 0 and 3; interpolation "
                "needs the same number of vertices."),
    ({"0": {"objects": [box(0, 0)]}, "3": {"objects": [{**polygon([(0, 0)]), "objectHash": "box1"}]}},
     ["box1"], "key_frames: object box1 is a boundingBox on frame 0 and a polygon on frame 3; interpolation needs "
               "the same shape."),
    ({"0": {"objects": [box(0, 0)]}}, ["nope"], "objects_to_interpolate: object nope is in none of the key frames."),
    ({"first": {"objects": [box(0, 0)]}}, ["box1"], "key_frames: 'first' is not a frame number."),
    ({"0": {"objects": [{"objectHash": "m1", "bitmask": {}}]}, "2": {"objects": [{"objectHash": "m1"}]}}, ["m1"],
     "key_frames: object m1 on frame 0 has no shape interpolation supports (boundingBox, rotatableBoundingBox, "
     "point, polygon, polygons, polyline)."),
])
def test_key_frames_that_cannot_be_interpolated_are_refused(encord_emulator, key_frames, objects, message):
    project = make_project(encord_emulator, encord_emulator.user_client(ADMIN))
    with pytest.raises(InvalidArgumentsError) as e:
        project.object_interpolation(key_frames, objects)
    assert e.value.message == message


def test_a_removed_collaborator_may_no_longer_interpolate_in_the_project(encord_emulator):
    project = make_project(encord_emulator, encord_emulator.user_client(ADMIN))
    encord_emulator.register_user("annotator@example.com")
    project.add_users(["annotator@example.com"], ProjectUserRole.ANNOTATOR)
    theirs = encord_emulator.user_client("annotator@example.com").get_project(project.project_hash)
    key_frames = {"0": {"objects": [box(0, 0)]}, "2": {"objects": [box(1, 1)]}}
    assert list(theirs.object_interpolation(key_frames, ["box1"])) == ["0", "1", "2"]
    project.remove_users(["annotator@example.com"])
    with pytest.raises(AuthorisationError) as e:
        theirs.object_interpolation(key_frames, ["box1"])
    assert e.value.message == "You are not authorised to access this asset."
