"""Probes of media bytes, each with the library made for the format: Pillow, PyAV, pydicom, pypdf, nibabel."""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass, field
from fractions import Fraction

import av
import nibabel
import pydicom
import pypdf
from PIL import Image, UnidentifiedImageError

REQUIRED_DICOM_TAGS = ("Rows", "Columns", "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "PatientID")
SPATIAL_DICOM_TAGS = ("ImagePositionPatient", "ImageOrientationPatient", "SliceThickness", "PixelSpacing")
VIDEO_MIME_BY_FORMAT = {"mov,mp4,m4a,3gp,3g2,mj2": "video/mp4", "matroska,webm": "video/webm", "avi": "video/x-msvideo"}
AUDIO_MIME_BY_FORMAT = {"wav": "audio/wav", "mp3": "audio/mpeg", "flac": "audio/flac", "ogg": "audio/ogg"}


class MediaError(Exception):
    pass


class MissingDicomTags(MediaError):
    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(f"missing required DICOM tag(s): {', '.join(missing)}")


@dataclass(frozen=True)
class ImageInfo:
    width: int
    height: int
    mime_type: str
    file_size: int


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    fps: float
    duration: float
    frame_count: int
    mime_type: str
    file_size: int


@dataclass(frozen=True)
class AudioInfo:
    duration: float
    sample_rate: int
    channels: int
    codec: str
    bit_depth: int | None
    mime_type: str
    file_size: int


@dataclass(frozen=True)
class DicomInfo:
    rows: int
    columns: int
    study_uid: str
    series_uid: str
    sop_uid: str
    patient_id: str
    spatial: dict = field(default_factory=dict)
    missing_spatial: list = field(default_factory=list)
    file_size: int = 0
    mime_type: str = "application/dicom"


@dataclass(frozen=True)
class PdfInfo:
    num_pages: int
    file_size: int
    mime_type: str = "application/pdf"


@dataclass(frozen=True)
class TextInfo:
    mime_type: str
    file_size: int


@dataclass(frozen=True)
class NiftiInfo:
    shape: tuple
    file_size: int
    mime_type: str = "application/x-nifti"


def sniff_mime_type(data: bytes) -> str:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return Image.MIME.get(image.format, f"image/{image.format.lower()}")
    except (UnidentifiedImageError, OSError, ValueError):
        pass
    if data[128:132] == b"DICM":
        return "application/dicom"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    try:
        with av.open(io.BytesIO(data)) as container:
            if container.streams.video:
                return VIDEO_MIME_BY_FORMAT.get(container.format.name, "video/" + container.format.name.split(",")[0])
            if container.streams.audio:
                return AUDIO_MIME_BY_FORMAT.get(container.format.name, "audio/" + container.format.name.split(",")[0])
    except av.error.FFmpegError:
        pass
    try:
        data.decode("utf-8")
        return "text/plain"
    except UnicodeDecodeError:
        return "application/octet-stream"


def probe_image(data: bytes) -> ImageInfo:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return ImageInfo(image.width, image.height, Image.MIME.get(image.format, "image/" + image.format.lower()),
                             len(data))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as e:
        raise MediaError(f"the file cannot be read as an image ({sniff_mime_type(data)}: {e})") from None


def probe_video(data: bytes) -> VideoInfo:
    mime = sniff_mime_type(data)
    if not mime.startswith("video/"):
        raise MediaError(f"Expected a video, got a file of type {mime}")
    try:
        with av.open(io.BytesIO(data)) as container:
            stream = container.streams.video[0]
            rate = stream.average_rate or stream.guessed_rate or Fraction(0)
            frames = stream.frames or sum(1 for _ in container.decode(stream))
            if stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration = container.duration / av.time_base
            else:
                duration = frames / float(rate) if rate else 0.0
            return VideoInfo(stream.codec_context.width, stream.codec_context.height, round(float(rate), 3),
                             round(duration, 3), frames, mime, len(data))
    except (av.error.FFmpegError, IndexError) as e:
        raise MediaError(f"the file cannot be read as a video ({e})") from None


def probe_audio(data: bytes) -> AudioInfo:
    mime = sniff_mime_type(data)
    try:
        with av.open(io.BytesIO(data)) as container:
            stream = container.streams.audio[0]
            ctx = stream.codec_context
            if stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            else:
                duration = (container.duration or 0) / av.time_base
            bits = ctx.format.bits if ctx.format is not None else None
            return AudioInfo(round(duration, 3), ctx.sample_rate, ctx.channels, ctx.name, bits, mime, len(data))
    except (av.error.FFmpegError, IndexError) as e:
        raise MediaError(f"the file cannot be read as audio ({e})") from None


def probe_dicom(data: bytes) -> DicomInfo:
    try:
        dataset = pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True)
    except (pydicom.errors.InvalidDicomError, EOFError, ValueError) as e:
        raise MediaError(f"the file is not a DICOM file ({e})") from None
    missing = [tag for tag in REQUIRED_DICOM_TAGS if tag not in dataset or dataset.data_element(tag).value in (None, "")]
    if missing:
        raise MissingDicomTags(missing)
    spatial = {tag: _json_value(dataset.data_element(tag).value) for tag in SPATIAL_DICOM_TAGS if tag in dataset}
    return DicomInfo(
        rows=int(dataset.Rows), columns=int(dataset.Columns), study_uid=str(dataset.StudyInstanceUID),
        series_uid=str(dataset.SeriesInstanceUID), sop_uid=str(dataset.SOPInstanceUID),
        patient_id=str(dataset.PatientID), spatial=spatial,
        missing_spatial=[tag for tag in SPATIAL_DICOM_TAGS if tag not in spatial], file_size=len(data),
    )


def _json_value(value):
    if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
        return [float(v) for v in value]
    return float(value)


def probe_pdf(data: bytes) -> PdfInfo:
    if not data.startswith(b"%PDF-"):
        raise MediaError(f"the file is not a PDF (it is {sniff_mime_type(data)})")
    try:
        return PdfInfo(len(pypdf.PdfReader(io.BytesIO(data)).pages), len(data))
    except pypdf.errors.PdfReadError as e:
        raise MediaError(f"the PDF cannot be read ({e})") from None


def probe_text(data: bytes) -> TextInfo:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise MediaError(f"the file is not UTF-8 text ({e})") from None
    return TextInfo("text/plain", len(data))


def probe_nifti(data: bytes) -> NiftiInfo:
    raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    try:
        image = nibabel.Nifti1Image.from_bytes(raw)
    except Exception as e:  # nibabel raises several unrelated types for a bad header
        raise MediaError(f"the file cannot be read as NIfTI ({e})") from None
    return NiftiInfo(tuple(int(n) for n in image.shape), len(data))
