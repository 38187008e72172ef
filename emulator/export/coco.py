"""An export as COCO: the same rows as the JSON export, in pixels. Images are an image's (or image group's) files
and a video's or DICOM series' labelled frames; categories are the ontology's objects (ids from 1); annotations are
the objects, a bitmask as COCO RLE made with pycocotools (Encord's ``rleString`` is COCO's string alphabet over the
mask in row-major order, COCO's over it in column-major order)."""

from __future__ import annotations

import math

import numpy as np
from pycocotools import mask as rle

FRAME_KEYED = ("video", "dicom")


def categories(editor: dict) -> list[dict]:
    templates = {t["template"].get("feature_node_hash"): t["template"] for t in editor.get("skeleton_templates", [])}
    found = []
    for index, obj in enumerate(editor.get("objects", []), 1):
        category = {"id": index, "name": obj["name"], "supercategory": obj["shape"],
                    "feature_hash": obj["featureNodeHash"], "color": obj.get("color")}
        template = templates.get(obj["featureNodeHash"])
        if obj["shape"] == "skeleton" and template is not None:
            vertices = template["skeleton"]
            category["keypoints"] = [vertices[k]["name"] for k in sorted(vertices, key=int)]
            category["skeleton"] = [[int(a) + 1, int(b) + 1] for a, ends in template.get("skeletonEdges", {}).items()
                                    for b in ends]
        found.append(category)
    return found


def _points(points: dict | list) -> list[dict]:
    return [points[k] for k in sorted(points, key=int)] if isinstance(points, dict) else list(points)


def _bounds(xs: list[float], ys: list[float]) -> list[float]:
    return [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)] if xs else [0.0, 0.0, 0.0, 0.0]


def _polygon_area(xs: list[float], ys: list[float]) -> float:
    """The shoelace formula."""
    return abs(sum(xs[i] * ys[i - 1] - xs[i - 1] * ys[i] for i in range(len(xs)))) / 2


def _box(box: dict, width: int, height: int) -> tuple[float, float, float, float]:
    return box["x"] * width, box["y"] * height, box["w"] * width, box["h"] * height


def _rotated_corners(box: dict, width: int, height: int) -> tuple[list[float], list[float]]:
    """The corners of a box turned ``theta`` degrees clockwise about its centre (image y points down)."""
    x, y, w, h = _box(box, width, height)
    cx, cy = x + w / 2, y + h / 2
    turn = math.radians(box.get("theta", 0))
    corners = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    return ([cx + dx * math.cos(turn) - dy * math.sin(turn) for dx, dy in corners],
            [cy + dx * math.sin(turn) + dy * math.cos(turn) for dx, dy in corners])


def bitmask_rle(bitmask: dict, width: int, height: int) -> dict:
    """Encord's bitmask as COCO RLE over the whole image."""
    row_major = rle.decode({"counts": bitmask["rleString"].encode("ascii"),
                            "size": [bitmask["width"], bitmask["height"]]}).T
    mask = np.zeros((height, width), dtype=np.uint8)
    top, left = bitmask.get("top", 0), bitmask.get("left", 0)
    mask[top:top + bitmask["height"], left:left + bitmask["width"]] = row_major[:height - top, :width - left]
    encoded = rle.encode(np.asfortranarray(mask))
    return {"size": [height, width], "counts": encoded["counts"].decode("ascii")}


def geometry(obj: dict, width: int, height: int) -> dict:
    """bbox, area, segmentation (and keypoints) of one object, in pixels."""
    shape = obj["shape"]
    if shape == "bounding_box":
        x, y, w, h = _box(obj["boundingBox"], width, height)
        return {"bbox": [x, y, w, h], "area": w * h, "segmentation": [[x, y, x + w, y, x + w, y + h, x, y + h]],
                "iscrowd": 0}
    if shape == "rotatable_bounding_box":
        xs, ys = _rotated_corners(obj["rotatableBoundingBox"], width, height)
        _, _, w, h = _box(obj["rotatableBoundingBox"], width, height)
        return {"bbox": _bounds(xs, ys), "area": w * h, "segmentation": [[c for p in zip(xs, ys) for c in p]],
                "iscrowd": 0, "rotation": obj["rotatableBoundingBox"].get("theta", 0)}
    if shape == "bitmask":
        encoded = bitmask_rle(obj["bitmask"], width, height)
        coco_rle = {"size": encoded["size"], "counts": encoded["counts"].encode("ascii")}
        return {"bbox": rle.toBbox(coco_rle).tolist(), "area": float(rle.area(coco_rle)), "segmentation": encoded,
                "iscrowd": 1}
    points = _points(obj.get(shape, {}))  # polygon, polyline, point, skeleton: vertices under the shape's name
    xs, ys = [p["x"] * width for p in points], [p["y"] * height for p in points]
    flat = [c for p in zip(xs, ys) for c in p]
    found = {"bbox": _bounds(xs, ys), "area": 0.0, "segmentation": [], "iscrowd": 0}
    if shape == "polygon":
        found.update(area=_polygon_area(xs, ys), segmentation=[flat])
    elif shape == "polyline":
        found["polyline"] = flat
    else:  # point, skeleton: COCO keypoints, each labelled and visible (2)
        found.update(keypoints=[c for x, y in zip(xs, ys) for c in (x, y, 2)], num_keypoints=len(points))
    return found


def _image_frames(entry: dict, unit: dict) -> list[str]:
    """The frames of a file that become COCO images: an image's one frame; a video's or a series' labelled ones."""
    if entry["data_type"] not in FRAME_KEYED:
        return list(unit["labels"]) or ["0"]
    return [f for f, labels in unit["labels"].items() if labels.get("objects") or labels.get("classifications")]


def document(rows: list[dict], editor: dict, project: dict, version: dict) -> dict:
    cats = categories(editor)
    category_of = {c["feature_hash"]: c["id"] for c in cats}
    images, annotations, tracks = [], [], {}
    for entry in rows:
        for unit in entry["data_units"].values():
            for frame in _image_frames(entry, unit):
                labels = unit["labels"].get(frame, {})
                width, height = unit["width"], unit["height"]
                image_id = len(images) + 1
                link = unit["data_links"][int(frame)] if "data_links" in unit else unit["data_link"]
                images.append({"id": image_id, "file_name": unit["data_title"], "coco_url": link, "width": width,
                               "height": height, "label_hash": entry["label_hash"], "data_hash": unit["data_hash"],
                               "frame": int(frame), "classifications": labels.get("classifications", [])})
                for obj in labels.get("objects", []):
                    answers = entry["object_answers"].get(obj["objectHash"], {}).get("classifications", [])
                    annotations.append({
                        "id": len(annotations) + 1, "image_id": image_id,
                        "category_id": category_of[obj["featureHash"]],
                        **geometry(obj, width, height),
                        "track_id": tracks.setdefault(obj["objectHash"], len(tracks) + 1),
                        "encord_track_uuid": obj["objectHash"], "manual_annotation": obj.get("manualAnnotation"),
                        "confidence": obj.get("confidence"), "attributes": answers,
                    })
    return {"info": {"description": project["title"], "version": version["version_name"],
                     "export_hash": version["export_hash"], "date_created": version["exported_at"],
                     "contributor": version["user_email"]},
            "licenses": [], "categories": cats, "images": images, "annotations": annotations}
