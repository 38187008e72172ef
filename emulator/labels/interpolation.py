"""Object interpolation, the labeling algorithm the SDK runs on the service (``Project.object_interpolation``).

Each object to interpolate is tracked across the key frames it is labelled in (by its object hash); on every frame
between two consecutive key frames it gets a copy of itself on the earlier one, its shape moved linearly towards the
later one: every coordinate of a bounding box, rotatable bounding box (its angle too), point, polygon or polyline.
Shapes to interpolate must stay the same kind with the same vertices. The answer is every frame the key frames span,
keyed by frame number: the key frames as given and the frames filled in between.
"""

from __future__ import annotations

import copy

from emulator.labels import exceptions as exc

SHAPES = ("boundingBox", "rotatableBoundingBox", "point", "polygon", "polygons", "polyline")


def frame_numbers(key_frames: dict) -> dict[int, dict]:
    """The key frames by frame number (their keys are the frame numbers, as strings)."""
    numbered = {}
    for key, frame in key_frames.items():
        if not key.isdigit():
            raise exc.NotAFrameNumber(key)
        numbered[int(key)] = frame
    return numbered


def shape_of(obj: dict, frame: int) -> str:
    """The object's shape key: the polygon of a legacy row comes with its ``polygons`` too, and is moved as one."""
    shapes = [shape for shape in SHAPES if shape in obj]
    if not shapes:
        raise exc.ShapeNotInterpolated(obj["objectHash"], frame, SHAPES)
    return shapes[0]


def lerp(start, end, t: float, mismatch: Exception):
    """``start`` moved a fraction ``t`` of the way to ``end``, coordinate by coordinate; both of one structure."""
    if isinstance(start, dict) and isinstance(end, dict) and start.keys() == end.keys():
        return {key: lerp(start[key], end[key], t, mismatch) for key in start}
    if isinstance(start, list) and isinstance(end, list) and len(start) == len(end):
        return [lerp(a, b, t, mismatch) for a, b in zip(start, end)]
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, end)):
        return start + (end - start) * t
    if start == end:
        return start
    raise mismatch


def interpolated_between(obj: dict, frame: int, following: dict, next_frame: int) -> dict[int, dict]:
    """The object on each frame strictly between two of its key frames."""
    shape, next_shape = shape_of(obj, frame), shape_of(following, next_frame)
    if shape != next_shape:
        raise exc.ShapeChanged(obj["objectHash"], frame, shape, next_frame, next_shape)
    moved = [key for key in SHAPES if key in obj and key in following]
    filled = {}
    for between in range(frame + 1, next_frame):
        t = (between - frame) / (next_frame - frame)
        instance = copy.deepcopy(obj)
        for key in moved:
            instance[key] = lerp(obj[key], following[key], t,
                                 exc.VertexCountsDiffer(obj["objectHash"], key, frame, next_frame))
        instance["manualAnnotation"] = False
        filled[between] = instance
    return filled


def interpolate_objects(key_frames: dict, object_hashes: list[str]) -> dict[str, dict]:
    if not key_frames or not object_hashes:
        raise exc.NothingToInterpolate()
    frames = frame_numbers(key_frames)
    answer = {number: {**frame, "objects": list(frame.get("objects", []))} for number, frame in frames.items()}
    for object_hash in dict.fromkeys(object_hashes):
        track = sorted(((number, obj) for number, frame in frames.items()
                        for obj in frame.get("objects", []) if obj["objectHash"] == object_hash),
                       key=lambda keyed: keyed[0])
        if not track:
            raise exc.ObjectInNoKeyFrame(object_hash)
        for (frame, obj), (next_frame, following) in zip(track, track[1:]):
            for number, instance in interpolated_between(obj, frame, following, next_frame).items():
                answer.setdefault(number, {"objects": [], "classifications": []})["objects"].append(instance)
    return {str(number): answer[number] for number in sorted(answer)}
