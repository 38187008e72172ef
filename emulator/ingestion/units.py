"""What one unit of an upload job becomes: its objects read from the integration's buckets, its media probed, and
the service's rules applied. A unit either yields the data row to add, or fails with a message naming the URL."""

from __future__ import annotations

import posixpath
import uuid
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import unquote, urlsplit

from emulator.buckets.exceptions import ObjectNotFound
from emulator.buckets.models import BucketBackend
from emulator.core import timefmt
from emulator.datasets.models import MAX_NAME_LENGTH, storage_location
from emulator.ingestion import media
from emulator.buckets.object_urls import UnparseableObjectUrl, resolve_object_url
from emulator.ingestion.spec import SourceFile, UploadUnit
from emulator.storage.models import StorageBackend

MAX_SEQUENCE_IMAGES = 32_767
DICOM_CONSISTENT_TAGS = ("StudyInstanceUID", "Rows", "Columns")

DATA_TYPES = {
    "video": "VIDEO", "image": "IMAGE", "image_group": "IMG_GROUP", "image_sequence": "IMG_GROUP",
    "dicom_series": "DICOM", "audio": "AUDIO", "text": "PLAIN_TEXT", "pdf": "PDF", "nifti": "NIFTI",
    "scene": "SCENE",
}
SCENE_FILE_FORMATS = ("pcd",)  # of the SDK's BAG, DB3, E57, LAS, LAZ, MCAP, PCD and PLY, what the emulator reads
SCENE_STREAMS_READ = ("point_cloud", "camera_parameters", "frame_of_reference")


class UnitFailed(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class IngestedUnit:
    row: dict  # the data row's fields (see DatasetBackend.add_data_rows)
    warnings: list[str] = field(default_factory=list)


Reader = Callable[[str], bytes]


def object_reader(integration: dict, buckets: BucketBackend) -> Reader:
    """Read an object URL through the integration: the URL must parse, name a granted bucket, and exist."""

    def read(url: str) -> bytes:
        try:
            location = resolve_object_url(url)
        except UnparseableObjectUrl as e:
            raise UnitFailed(str(e)) from None
        if location.bucket not in integration["buckets"]:
            raise UnitFailed(f"{url}: the integration '{integration['title']}' has no access to bucket "
                             f"'{location.bucket}'.")
        try:
            return buckets.get_object(location.bucket, location.key)
        except ObjectNotFound:
            raise UnitFailed(f"{url}: the object does not exist in bucket '{location.bucket}'.") from None

    return read


def encord_storage_reader(owner_email: str, storage: StorageBackend, buckets: BucketBackend) -> Reader:
    """Read a file uploaded to Encord storage: only at a place its uploader was handed, once the bytes are there."""

    def read(url: str) -> bytes:
        upload = storage.upload(url)
        if upload is None or upload["owner"] != owner_email:
            raise UnitFailed(f"{url}: no file of yours was uploaded to Encord storage at this URL.")
        location = resolve_object_url(url)
        try:
            return buckets.get_object(location.bucket, location.key)
        except ObjectNotFound:
            raise UnitFailed(f"{url}: nothing was uploaded to this file's signed upload URL.") from None

    return read


def default_title(url: str) -> str:
    """Without a title, the service names a file by its path in the URL."""
    return unquote(urlsplit(url).path).lstrip("/") or url


def file_name(url: str) -> str:
    return posixpath.basename(unquote(urlsplit(url).path))


def check_name_lengths(unit: UploadUnit) -> None:
    """File names and titles are limited to 300 characters."""
    for f in unit.files:
        name = file_name(f.url)
        if len(name) > MAX_NAME_LENGTH:
            raise UnitFailed(f"{f.url}: the file name is {len(name)} characters long; at most {MAX_NAME_LENGTH} "
                             "are supported.")
    for title in [unit.title] + [f.title for f in unit.files]:
        if title is not None and len(title) > MAX_NAME_LENGTH:
            raise UnitFailed(f"{unit.files[0].url}: the title '{title[:40]}…' is {len(title)} characters long; "
                             f"at most {MAX_NAME_LENGTH} are supported.")


def check_sequence_write_access(unit: UploadUnit, integration: dict | None) -> None:
    """Image sequences are encoded into a new video in the bucket, so the integration needs write access (Encord
    storage, without an integration, is the service's own to write)."""
    if integration is not None and not integration.get("write"):
        raise UnitFailed(f"Image sequence '{unit.title}' needs an integration with write access; integration "
                         f"'{integration['title']}' is read-only.")


def check_sequence_length(unit: UploadUnit) -> None:
    if len(unit.files) > MAX_SEQUENCE_IMAGES:
        raise UnitFailed(f"Image sequence '{unit.title}' has {len(unit.files):,} images; at most "
                         f"{MAX_SEQUENCE_IMAGES:,} are supported.")


def check_dicom_series_consistency(files: list[tuple[SourceFile, media.DicomInfo]]) -> None:
    """A series agrees on StudyInstanceUID and image size, and never repeats a SOPInstanceUID."""
    values = {"StudyInstanceUID": lambda i: i.study_uid, "Rows": lambda i: i.rows, "Columns": lambda i: i.columns}
    first_file, first = files[0]
    for tag in DICOM_CONSISTENT_TAGS:
        expected = values[tag](first)
        for source, info in files[1:]:
            if values[tag](info) != expected:
                raise UnitFailed(
                    f"The value of DICOM tag '{tag}' should be consistent across files in a series. Got "
                    f"[{values[tag](info)}] from '{_dicom_name(source)}' and [{expected}] from other files in the series."
                )
    seen: dict[str, SourceFile] = {}
    for source, info in files:
        if info.sop_uid in seen:
            raise UnitFailed(f"The DICOM tag 'SOPInstanceUID' must be unique within a series: [{info.sop_uid}] is in "
                             f"both '{_dicom_name(seen[info.sop_uid])}' and '{_dicom_name(source)}'.")
        seen[info.sop_uid] = source


def _dicom_name(source: SourceFile) -> str:
    return source.title or file_name(source.url)


def _probe(probe, url: str, data: bytes):
    try:
        return probe(data)
    except media.MediaError as e:
        raise UnitFailed(f"{url}: {e}") from None


def ingest(unit: UploadUnit, integration: dict | None, read: Reader) -> IngestedUnit:
    check_name_lengths(unit)
    handler = {
        "image": _image, "video": _video, "audio": _audio, "text": _text, "pdf": _pdf, "nifti": _nifti,
        "image_group": _image_group, "image_sequence": _image_sequence, "dicom_series": _dicom_series,
        "scene": _scene,
    }[unit.kind]
    ingested = handler(unit, integration, read)
    location, _ = storage_location(integration["provider"] if integration else None)
    ingested.row.update({
        "data_title": unit.title or default_title(unit.files[0].url),
        "data_type": DATA_TYPES[unit.kind],
        "client_metadata": unit.client_metadata,
        "object_urls": unit.urls,
    })
    for image in ingested.row.get("images_data") or []:
        image["storage_location"] = location
    return ingested


def _single(unit: UploadUnit) -> SourceFile:
    return unit.files[0]


def _image(unit, integration, read) -> IngestedUnit:
    f = _single(unit)
    if f.metadata is not None:  # customer-provided metadata is used as given; the object is not read
        m = f.metadata
        return IngestedUnit({"file_link": f.url, "width": m.get("width"), "height": m.get("height"),
                             "file_type": m.get("mime_type"), "file_size": m.get("file_size"), "number_of_frames": 1})
    info = _probe(media.probe_image, f.url, read(f.url))
    return IngestedUnit({"file_link": f.url, "width": info.width, "height": info.height, "file_type": info.mime_type,
                         "file_size": info.file_size, "number_of_frames": 1})


def _video(unit, integration, read) -> IngestedUnit:
    f = _single(unit)
    if f.metadata is not None:
        m = f.metadata
        fps, duration = m.get("fps"), m.get("duration")
        frames = round(fps * duration) if fps and duration else None
        return IngestedUnit({"file_link": f.url, "width": m.get("width"), "height": m.get("height"),
                             "file_type": m.get("mime_type"), "file_size": m.get("file_size"),
                             "frames_per_second": fps, "duration": duration, "number_of_frames": frames})
    info = _probe(media.probe_video, f.url, read(f.url))
    return IngestedUnit({"file_link": f.url, "width": info.width, "height": info.height, "file_type": info.mime_type,
                         "file_size": info.file_size, "frames_per_second": info.fps, "duration": info.duration,
                         "number_of_frames": info.frame_count})


def _audio(unit, integration, read) -> IngestedUnit:
    f = _single(unit)
    if f.metadata is not None:
        m = f.metadata
        return IngestedUnit({"file_link": f.url, "file_type": m.get("mime_type"), "file_size": m.get("file_size"),
                             "duration": m.get("duration"), "number_of_frames": 1})
    info = _probe(media.probe_audio, f.url, read(f.url))
    return IngestedUnit({"file_link": f.url, "file_type": info.mime_type, "file_size": info.file_size,
                         "duration": info.duration, "number_of_frames": 1,
                         "audio": {"sample_rate": info.sample_rate, "channels": info.channels, "codec": info.codec,
                                   "bit_depth": info.bit_depth}})


def _text(unit, integration, read) -> IngestedUnit:
    f = _single(unit)
    if f.metadata is not None:
        return IngestedUnit({"file_link": f.url, "file_type": f.metadata.get("mime_type"),
                             "file_size": f.metadata.get("file_size"), "number_of_frames": 1})
    info = _probe(media.probe_text, f.url, read(f.url))
    return IngestedUnit({"file_link": f.url, "file_type": info.mime_type, "file_size": info.file_size,
                         "number_of_frames": 1, "characters": info.characters,
                         "html_nodes": info.html_nodes})


def _pdf(unit, integration, read) -> IngestedUnit:
    f = _single(unit)
    if f.metadata is not None:
        return IngestedUnit({"file_link": f.url, "file_type": "application/pdf",
                             "file_size": f.metadata.get("file_size"), "number_of_frames": f.metadata.get("num_pages")})
    info = _probe(media.probe_pdf, f.url, read(f.url))
    return IngestedUnit({"file_link": f.url, "file_type": info.mime_type, "file_size": info.file_size,
                         "number_of_frames": info.num_pages})


def _nifti(unit, integration, read) -> IngestedUnit:
    f = _single(unit)
    info = _probe(media.probe_nifti, f.url, read(f.url))
    return IngestedUnit({"file_link": f.url, "file_type": info.mime_type, "file_size": info.file_size,
                         "number_of_frames": info.shape[2] if len(info.shape) > 2 else 1,
                         "width": info.shape[0], "height": info.shape[1] if len(info.shape) > 1 else None})


def _group_images(unit: UploadUnit, read: Reader) -> list[dict]:
    now = timefmt.now_iso()
    images = []
    for f in unit.files:
        if f.metadata is not None:
            width, height = f.metadata.get("width"), f.metadata.get("height")
            mime, size = f.metadata.get("mime_type"), f.metadata.get("file_size")
        else:
            info = _probe(media.probe_image, f.url, read(f.url))
            width, height, mime, size = info.width, info.height, info.mime_type, info.file_size
        images.append({"image_hash": str(uuid.uuid4()), "title": f.title or file_name(f.url), "file_link": f.url,
                       "file_type": mime, "file_size": size, "width": width, "height": height,
                       "created_at": now, "last_edited_at": now})
    return images


def _image_group(unit, integration, read) -> IngestedUnit:
    images = _group_images(unit, read)
    return IngestedUnit({"file_link": None, "width": images[0]["width"], "height": images[0]["height"],
                         "file_type": images[0]["file_type"], "file_size": sum(i["file_size"] or 0 for i in images),
                         "images_data": images, "is_optimised_image_group": False,
                         "number_of_frames": len(images)})


def _image_sequence(unit, integration, read) -> IngestedUnit:
    check_sequence_write_access(unit, integration)
    check_sequence_length(unit)
    images = _group_images(unit, read)
    first = images[0]
    # Seed 002: the images of a sequence are made to match the first image's size.
    resized = [i["title"] for i in images[1:] if (i["width"], i["height"]) != (first["width"], first["height"])]
    warnings = [f"Image sequence '{unit.title}': {len(resized)} image(s) resized to {first['width']}x{first['height']} "
                f"to match the first image: {', '.join(resized)}"] if resized else []
    return IngestedUnit({"file_link": None, "width": first["width"], "height": first["height"],
                         "file_type": "video/mp4", "file_size": sum(i["file_size"] or 0 for i in images),
                         "images_data": images, "is_optimised_image_group": True,
                         "number_of_frames": len(images)}, warnings)


def _dicom_series(unit, integration, read) -> IngestedUnit:
    probed = []
    for f in unit.files:
        data = read(f.url)
        try:
            probed.append((f, media.probe_dicom(data)))
        except media.MediaError as e:
            raise UnitFailed(f"DICOM file '{_dicom_name(f)}' ({f.url}): {e}") from None
    check_dicom_series_consistency(probed)
    warnings = [f"DICOM file '{_dicom_name(f)}' ({f.url}) has no 3D tag(s) {', '.join(info.missing_spatial)}: "
                "the series can be annotated but not rendered in 3D" for f, info in probed if info.missing_spatial]
    first = probed[0][1]
    slices = [{"file_uri": f.url, "dicom_instance_uid": info.sop_uid, "width": info.columns, "height": info.rows,
               "spatial": info.spatial, "title": _dicom_name(f)} for f, info in probed]
    return IngestedUnit({"file_link": None, "width": first.columns, "height": first.rows,
                         "file_type": "application/dicom", "file_size": sum(i.file_size for _, i in probed),
                         "number_of_frames": len(probed),
                         "dicom": {"patient_id": first.patient_id, "study_uid": first.study_uid,
                                   "series_uid": first.series_uid, "slices": slices}}, warnings)


def check_scene_readable(unit: UploadUnit) -> None:
    """The emulator reads a scene's point clouds (PCD files; a scene file of another format is refused) and their
    streams' poses and cameras; a scene with image or time-series streams is refused."""
    scene = unit.scene
    if isinstance(scene.get("url"), str):
        if scene["format"].lower() not in SCENE_FILE_FORMATS:
            raise UnitFailed(f"{scene['url']}: scene files of format '{scene['format']}' are not read by the "
                             f"emulator (it reads {', '.join(SCENE_FILE_FORMATS)}).")
        return
    for name, stream in scene.items():
        if stream["type"] not in SCENE_STREAMS_READ:
            raise UnitFailed(f"Scene '{unit.title}': stream '{name}' is of type {stream['type']}; the emulator reads "
                             "scenes of point-cloud streams (with their cameras and frames of reference).")
    if not unit.files:
        raise UnitFailed(f"Scene '{unit.title}' has no point-cloud events.")


def scene_frame_count(scene: dict) -> int:
    """A scene's frames: one for a self-contained scene file; otherwise one per distinct timestamp of its
    point-cloud events (the events of all its point-cloud streams at one instant make one frame)."""
    if isinstance(scene.get("url"), str):
        return 1
    return len({event["timestamp"] for stream in scene.values() if stream["type"] == "point_cloud"
                for event in stream["events"]})


def _scene(unit, integration, read) -> IngestedUnit:
    check_scene_readable(unit)
    clouds = [_probe(media.probe_point_cloud, f.url, read(f.url)) for f in unit.files]
    return IngestedUnit({"file_link": unit.files[0].url if len(unit.files) == 1 else None,
                         "file_type": clouds[0].mime_type, "file_size": sum(c.file_size for c in clouds),
                         "number_of_frames": scene_frame_count(unit.scene)})
