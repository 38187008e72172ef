"""Upload specs, in both dialects the SDK sends, turned into the units an upload job processes.

* ``files``: the JSON import spec exactly as the user wrote it (``videos``, ``images``, ``image_groups`` with
  ``objectUrl_N`` keys, ``dicom_series``, ``audio``, ``text``, ``pdf``, ``nifti``; ``skip_duplicate_urls``,
  ``upsert_metadata``), checked against ``contracts/upload-spec.schema.json``.
* ``dataItems``: the SDK's structured ``DataUploadItems`` (camelCase), checked against
  ``contracts/upload-data-items.schema.json``.

A unit is what the service counts in a job: one video, image, audio, text, PDF or NIfTI file; one image group or
image sequence; one DICOM series; one scene (a self-contained scene file, or streams of point-cloud files).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from emulator.core import contracts
from emulator.core.errors import InvalidArgumentsError

OBJECT_URL_N = re.compile(r"^objectUrl_([0-9]+)$")

# Single-file spec keys → (unit kind, key of the customer-provided media metadata)
SINGLE_FILE_KEYS = {
    "videos": ("video", "videoMetadata"),
    "images": ("image", "imageMetadata"),
    "audio": ("audio", "audioMetadata"),
    "text": ("text", "textMetadata"),
    "pdf": ("pdf", "pdfMetadata"),
    "nifti": ("nifti", None),
}

ACTION_DESCRIPTIONS = {
    "video": "Uploading video",
    "image": "Uploading image",
    "image_group": "Uploading image group",
    "image_sequence": "Uploading image sequence",
    "dicom_series": "Uploading DICOM series",
    "audio": "Uploading audio",
    "text": "Uploading text",
    "pdf": "Uploading PDF",
    "nifti": "Uploading NIfTI",
    "scene": "Uploading scene",
}


@dataclass
class SourceFile:
    url: str
    title: str | None = None
    metadata: dict | None = None  # customer-provided media metadata: used as given, the object is not read


@dataclass
class UploadUnit:
    kind: str
    files: list[SourceFile]
    title: str | None = None
    client_metadata: dict = field(default_factory=dict)
    scene: dict | None = None  # a scene's payload as the SDK sent it: {"url", "format"} or its streams by name

    @property
    def urls(self) -> list[str]:
        return [f.url for f in self.files]

    def to_doc(self) -> dict:
        # asdict, spelled out: asdict deep-copies field by field, which cost an upload job of 200 images ~10 ms (the
        # store copies what it stores anyway).
        return {"kind": self.kind, "files": [{"url": f.url, "title": f.title, "metadata": f.metadata}
                                             for f in self.files],
                "title": self.title, "client_metadata": self.client_metadata, "scene": self.scene}

    @classmethod
    def from_doc(cls, doc: dict) -> "UploadUnit":
        return cls(kind=doc["kind"], files=[SourceFile(**f) for f in doc["files"]], title=doc["title"],
                   client_metadata=doc["client_metadata"], scene=doc.get("scene"))


@dataclass
class UploadSpec:
    units: list[UploadUnit]
    skip_duplicate_urls: bool = False
    upsert_metadata: bool = False


def snake_case_keys(metadata: dict | None) -> dict | None:
    """Media metadata arrives camelCase (``mimeType``) or snake_case (``mime_type``); keep one form."""
    if metadata is None:
        return None
    return {re.sub(r"(?<!^)(?=[A-Z])", "_", k).lower(): v for k, v in metadata.items()}


def _ordered_object_urls(item: dict) -> list[str]:
    """``objectUrl_N`` keys in the order of N (the position of each file in the group or series)."""
    numbered = sorted((int(m.group(1)), value) for key, value in item.items() if (m := OBJECT_URL_N.match(key)))
    return [value for _, value in numbered]


def spec_from_files(files: dict) -> UploadSpec:
    """Units in the order the spec lists them (its keys, then each list's items)."""
    contracts.validate("upload-spec", files)
    units: list[UploadUnit] = []
    for key, items in files.items():
        if key in SINGLE_FILE_KEYS:
            kind, metadata_key = SINGLE_FILE_KEYS[key]
            for item in items:
                metadata = snake_case_keys(item.get(metadata_key)) if metadata_key else None
                units.append(UploadUnit(kind=kind, title=item.get("title"),
                                        client_metadata=item.get("clientMetadata", {}),
                                        files=[SourceFile(item["objectUrl"], item.get("title"), metadata)]))
        elif key == "image_groups":
            for index, group in enumerate(items):
                urls = _require_urls(group, f"/image_groups/{index}")
                units.append(UploadUnit(kind="image_sequence" if group.get("createVideo", False) else "image_group",
                                        title=group["title"], client_metadata=group.get("clientMetadata", {}),
                                        files=[SourceFile(u) for u in urls]))
        elif key == "dicom_series":
            for index, series in enumerate(items):
                urls = _require_urls(series, f"/dicom_series/{index}")
                units.append(UploadUnit(kind="dicom_series", title=series["title"],
                                        client_metadata=series.get("clientMetadata", {}),
                                        files=[SourceFile(u) for u in urls]))
    return UploadSpec(units, files.get("skip_duplicate_urls", False), files.get("upsert_metadata", False))


def spec_from_data_items(items: dict) -> UploadSpec:
    contracts.validate("upload-data-items", items)
    units: list[UploadUnit] = []
    for key, (kind, metadata_key) in SINGLE_FILE_KEYS.items():
        for item in items.get(key, []):
            metadata = snake_case_keys(item.get(metadata_key)) if metadata_key else None
            units.append(UploadUnit(kind=kind, title=item.get("title"), client_metadata=item.get("clientMetadata", {}),
                                    files=[SourceFile(item["objectUrl"], item.get("title"), metadata)]))
    for group in items.get("imageGroups", []):
        units.append(UploadUnit(
            kind="image_sequence" if group.get("createVideo", False) else "image_group", title=group.get("title"),
            client_metadata=group.get("clientMetadata", {}),
            files=[SourceFile(i["url"], i.get("title"), snake_case_keys(i.get("imageMetadata"))) for i in group["images"]],
        ))
    for series in items.get("dicomSeries", []):
        units.append(UploadUnit(
            kind="dicom_series", title=series.get("title"), client_metadata=series.get("clientMetadata", {}),
            files=[SourceFile(f["url"], f.get("title"), f.get("dicomMetadata")) for f in series["dicomFiles"]],
        ))
    for scene in items.get("scenes", []):
        units.append(UploadUnit(kind="scene", title=scene["title"], client_metadata=scene.get("clientMetadata", {}),
                                files=[SourceFile(url) for url in scene_file_urls(scene["scene"])],
                                scene=scene["scene"]))
    return UploadSpec(units, items.get("skipDuplicateUrls", False), items.get("upsertMetadata", False))


def scene_file_urls(scene: dict) -> list[str]:
    """The files a scene is made of: a self-contained scene file, or the point-cloud file of every event of its
    point-cloud streams."""
    if isinstance(scene.get("url"), str):
        return [scene["url"]]
    return [event["uri"] for stream in scene.values() if stream["type"] == "point_cloud"
            for event in stream.get("events", [])]


def _require_urls(item: dict, pointer: str) -> list[str]:
    urls = _ordered_object_urls(item)
    if not urls:
        raise InvalidArgumentsError(f"{pointer}: needs at least one objectUrl_N key (objectUrl_0, objectUrl_1, …)")
    return urls
