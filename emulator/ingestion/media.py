"""Probes of raw media bytes, the way the service reads the objects users register.

Each probe reads its format with the library made for it (Pillow, PyAV, pydicom, pypdf, nibabel; a PCD point cloud's
header as the PCD file format specifies it, no reader library being installable) and returns the
metadata the service records, or raises :class:`MediaError` whose message says what is wrong with the file (the
caller adds the URL). When a probe cannot read a file, the file's sniffed type is named if it is recognisably
something else, e.g. "Expected a video, got a file of type image/png".
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from dataclasses import dataclass, field
from fractions import Fraction

from PIL import Image

from emulator.core.lazy import OnFirstUse
from emulator.ingestion.html_nodes import html_nodes

OCTET_STREAM = "application/octet-stream"
NIFTI_MIME = "application/x-nifti"

# The six tags a DICOM file must carry to be imported, and the four the 3D viewer needs (research notes §2).
REQUIRED_DICOM_TAGS = ("Rows", "Columns", "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "PatientID")
SPATIAL_DICOM_TAGS = ("ImagePositionPatient", "ImageOrientationPatient", "SliceThickness", "PixelSpacing")
# Where enhanced (multi-frame) files keep the 3D tags: functional group → the sequence holding the tag.
_FUNCTIONAL_GROUP_SEQUENCES = {
    "ImagePositionPatient": "PlanePositionSequence",
    "ImageOrientationPatient": "PlaneOrientationSequence",
    "SliceThickness": "PixelMeasuresSequence",
    "PixelSpacing": "PixelMeasuresSequence",
}

# Raster formats Pillow reads that have a real file signature (formats that Pillow accepts on weak evidence, such
# as TGA or SPIDER, would claim random bytes). Only the ones this Pillow build registers are tried.
IMAGE_FORMATS = ("JPEG", "MPO", "PNG", "WEBP", "AVIF", "BMP", "TIFF", "GIF", "JPEG2000", "ICO", "PSD", "QOI")
_IMAGE_MIME_OVERRIDES = {"MPO": "image/jpeg"}  # a multi-picture JPEG (camera files) is a JPEG

_NON_TEXT_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")  # C0 controls but \t\n\v\f\r and ESC
_NON_TEXT_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
# Cover art in an audio file is a one-picture "video" stream, marked attached_pic.


av = OnFirstUse("av")
nibabel = OnFirstUse("nibabel")
pydicom = OnFirstUse("pydicom")
pydicom_errors = OnFirstUse("pydicom.errors")
pydicom_filereader = OnFirstUse("pydicom.filereader")
pydicom_pixels = OnFirstUse("pydicom.pixels.utils")
pypdf = OnFirstUse("pypdf")


def _attached_pic() -> int:
    return getattr(getattr(av.stream, "Disposition", None), "attached_pic", 0)

_AV_MIME = {  # FFmpeg demuxer name → MIME type, for the single-type containers
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "flac": "audio/flac",
    "aac": "audio/aac",
    "aiff": "audio/aiff",
    "avi": "video/x-msvideo",
    "mpegts": "video/mp2t",
    "mpeg": "video/mpeg",
    "flv": "video/x-flv",
    "asf": "video/x-ms-asf",
}
_WEBM_CODECS = {"vp8", "vp9", "av1", "opus", "vorbis"}


class MediaError(Exception):
    """What is wrong with a media file, as a sentence; the caller adds the URL."""


class MissingDicomTags(MediaError):
    def __init__(self, missing: list[str]):
        self.missing = list(missing)
        super().__init__(f"missing required DICOM tag(s): {', '.join(self.missing)}")


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
    spatial: dict  # the 3D tags present, keyword → JSON-able value
    missing_spatial: list[str]
    file_size: int
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
    characters: int  # what a text label's character ranges lie within
    html_nodes: dict[str, list[int]] | None = None  # an HTML file's elements, what its labels' HTML ranges lie within


@dataclass(frozen=True)
class PointCloudInfo:
    points: int
    fields: tuple[str, ...]
    width: int
    height: int
    data: str  # ascii | binary | binary_compressed
    file_size: int
    mime_type: str = OCTET_STREAM


@dataclass(frozen=True)
class NiftiInfo:
    shape: tuple
    file_size: int
    mime_type: str = field(default=NIFTI_MIME)


# --- sniffing -------------------------------------------------------------------------------------------------------

def sniff_mime_type(data: bytes) -> str:
    """The MIME type of the bytes, found by the format libraries themselves; never raises."""
    mime = _sniff_without_av(data)
    if mime is not None:
        return mime
    try:
        with _open_av(data) as container:
            return _av_mime(container)
    except Exception:
        pass
    return _gzip_mime(data) or OCTET_STREAM


def _sniff_without_av(data: bytes) -> str | None:
    """Every check but FFmpeg's: cheap, header-only reads (FFmpeg would also claim images, e.g. PNG)."""
    if not data:
        return None
    for check in (_image_mime, _dicom_mime, _nifti_mime, _pdf_mime, _text_mime):
        mime = check(data)
        if mime is not None:
            return mime
    return None


def _image_formats() -> list[str]:
    Image.init()
    return [f for f in IMAGE_FORMATS if f in Image.OPEN]


def _pillow_mime(image_format: str) -> str:
    return _IMAGE_MIME_OVERRIDES.get(image_format) or Image.MIME.get(image_format) or f"image/x-{image_format.lower()}"


def _image_mime(data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data), formats=_image_formats()) as image:  # lazy: reads the header only
            return _pillow_mime(image.format)
    except Image.DecompressionBombError:
        return "image/x-unknown"  # an image, too large to open
    except Exception:
        return None


def _dicom_mime(data: bytes) -> str | None:
    try:
        pydicom_filereader.read_preamble(io.BytesIO(data), force=False)
    except Exception:
        return None
    return "application/dicom"


def _is_nifti_header(raw: bytes) -> bool:
    return any(header_class.may_contain_header(raw[:header_class.sizeof_hdr])
               for header_class in (nibabel.Nifti1Header, nibabel.Nifti2Header))


def _nifti_mime(data: bytes) -> str | None:
    if _is_nifti_header(data):
        return NIFTI_MIME
    try:
        head = gzip.GzipFile(fileobj=io.BytesIO(data)).read(nibabel.Nifti2Header.sizeof_hdr)
    except Exception:
        return None
    return NIFTI_MIME if _is_nifti_header(head) else None


def _gzip_mime(data: bytes) -> str | None:
    if not data:
        return None
    try:
        gzip.GzipFile(fileobj=io.BytesIO(data)).read(1)
    except Exception:
        return None
    return "application/gzip"


def _pdf_mime(data: bytes) -> str | None:
    # Strict mode stops at once on a file that does not start as a PDF; lenient mode would search big files for
    # an end-of-file marker. (probe_pdf reads leniently.)
    try:
        pypdf.PdfReader(io.BytesIO(data), strict=True)
    except Exception:
        return None
    return "application/pdf"


def _decode_text(data: bytes) -> str | None:
    if _NON_TEXT_BYTES.search(data[:8192]):  # binary files show it at once; no need to decode them whole
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if _NON_TEXT_CHARACTERS.search(text) else text


def _text_mime(data: bytes) -> str | None:
    text = _decode_text(data)
    return None if text is None else _text_kind(text)


def _text_kind(text: str) -> str:
    head = text.lstrip("\ufeff \t\r\n")[:256].lower()
    if head.startswith("<?xml"):
        return "application/xml"
    if head.startswith("<!doctype html") or head.startswith("<html"):
        return "text/html"
    if head[:1] in ("{", "["):
        try:
            json.loads(text)
        except ValueError:
            pass
        else:
            return "application/json"
    return "text/plain"


def _describe(data: bytes, expected: str) -> str:
    """Why a probe could not read the file: its actual type when that is recognisable."""
    mime = sniff_mime_type(data)
    if mime == OCTET_STREAM:
        return "its format is not recognised"
    return f"it is a file of type {mime}, not {expected}"


# --- images ---------------------------------------------------------------------------------------------------------

def probe_image(data: bytes) -> ImageInfo:
    try:
        with Image.open(io.BytesIO(data), formats=_image_formats()) as image:
            width, height, image_format = image.width, image.height, image.format
            try:
                image.load()
            except Exception as e:
                raise MediaError(f"the file cannot be read as an image: the {image_format} data is damaged ({e})") \
                    from None
    except MediaError:
        raise
    except Image.DecompressionBombError as e:
        raise MediaError(f"the file cannot be read as an image: it is too large ({e})") from None
    except Exception:
        raise MediaError(f"the file cannot be read as an image: {_describe(data, 'an image')}") from None
    return ImageInfo(width=width, height=height, mime_type=_pillow_mime(image_format), file_size=len(data))


# --- video and audio ------------------------------------------------------------------------------------------------

def _open_av(data: bytes):
    return av.open(io.BytesIO(data), mode="r")


def _av_reason(e: Exception) -> str:
    return getattr(e, "strerror", None) or str(e) or type(e).__name__


def _video_streams(container) -> list:
    return [s for s in container.streams.video if not (getattr(s, "disposition", 0) & _attached_pic())]


def _av_mime(container) -> str:
    names = set(container.format.name.split(","))
    has_video = bool(_video_streams(container))
    has_audio = bool(container.streams.audio)
    if not (has_video or has_audio):
        return OCTET_STREAM
    kind = "video" if has_video else "audio"
    if names & {"mov", "mp4"}:
        if container.metadata.get("major_brand", "").strip().lower() == "qt":
            return "video/quicktime"
        return f"{kind}/mp4"
    if names & {"matroska", "webm"}:
        codecs = {s.codec_context.name for s in container.streams if s.type in ("video", "audio")}
        return f"{kind}/webm" if codecs <= _WEBM_CODECS else f"{kind}/x-matroska"
    if "ogg" in names:
        return f"{kind}/ogg"
    for name in container.format.name.split(","):
        if name in _AV_MIME:
            return _AV_MIME[name]
    return f"{kind}/x-{container.format.name.split(',')[0]}"


def _stream_duration(stream, container) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _open_av_expecting(data: bytes, expected: str, read_as: str):
    """Open with PyAV, refusing first what the other libraries recognise (FFmpeg opens images too: png_pipe…)."""
    other = _sniff_without_av(data)
    if other is not None:
        raise MediaError(f"Expected {expected}, got a file of type {other}")
    try:
        return _open_av(data)
    except Exception as e:
        mime = _gzip_mime(data)
        if mime is not None:
            raise MediaError(f"Expected {expected}, got a file of type {mime}") from None
        raise MediaError(f"the file cannot be read as {read_as}: {_av_reason(e)}") from None


def probe_video(data: bytes) -> VideoInfo:
    container = _open_av_expecting(data, "a video", "a video")
    with container:
        streams = _video_streams(container)
        if not streams:
            raise MediaError(f"Expected a video, got a file of type {_av_mime(container)}")
        stream = streams[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        if not width or not height:
            raise MediaError("the file cannot be read as a video: its video stream has no frame size")
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        frame_count = stream.frames
        if not frame_count:  # the container does not say (Matroska/WebM…): count by decoding
            try:
                frame_count = sum(1 for _ in container.decode(stream))
            except Exception as e:
                raise MediaError(f"the file cannot be read as a video: its frames cannot be decoded "
                                 f"({_av_reason(e)})") from None
        if not frame_count:
            raise MediaError("the file cannot be read as a video: it has no frames")
        duration = _stream_duration(stream, container)
        if rate is None and duration:
            rate = Fraction(frame_count) / Fraction(duration)
        if duration is None and rate:
            duration = float(frame_count / rate)
        if not rate:
            raise MediaError("the file cannot be read as a video: its frame rate is unknown")
        return VideoInfo(width=width, height=height, fps=float(rate), duration=float(duration),
                         frame_count=int(frame_count), mime_type=_av_mime(container), file_size=len(data))


def _bit_depth(codec_context) -> int | None:
    """Bits per sample of uncompressed and lossless audio; None for lossy codecs, where it means nothing."""
    codec = codec_context.codec
    if not codec.lossless:
        return None
    channels, rate = codec_context.channels, codec_context.sample_rate
    if codec.name.startswith("pcm_") and codec_context.bit_rate and channels and rate:
        bits, rest = divmod(codec_context.bit_rate, channels * rate)
        if not rest:
            return bits
    # Decoders widen 24-bit samples to 32 bits, so a 32-bit sample format does not tell the depth.
    bits = codec_context.format.bits if codec_context.format is not None else 0
    return bits if 0 < bits <= 16 else None


def probe_audio(data: bytes) -> AudioInfo:
    container = _open_av_expecting(data, "an audio file", "audio")
    with container:
        if _video_streams(container) or not container.streams.audio:
            raise MediaError(f"Expected an audio file, got a file of type {_av_mime(container)}")
        stream = container.streams.audio[0]
        ctx = stream.codec_context
        if not ctx.sample_rate:
            raise MediaError("the file cannot be read as audio: its sample rate is unknown")
        duration = _stream_duration(stream, container)
        if duration is None:  # the container does not say: count the samples
            try:
                duration = sum(frame.samples for frame in container.decode(stream)) / ctx.sample_rate
            except Exception as e:
                raise MediaError(f"the file cannot be read as audio: its samples cannot be decoded "
                                 f"({_av_reason(e)})") from None
        return AudioInfo(duration=float(duration), sample_rate=int(ctx.sample_rate), channels=int(ctx.channels),
                         codec=ctx.codec.canonical_name, bit_depth=_bit_depth(ctx), mime_type=_av_mime(container),
                         file_size=len(data))


# --- DICOM ----------------------------------------------------------------------------------------------------------

def _present(value) -> bool:
    return value is not None and value != "" and not (hasattr(value, "__len__") and len(value) == 0)


def _jsonable(value):
    if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
        return [_jsonable(v) for v in value]
    if isinstance(value, int):
        return int(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _spatial_value(ds, keyword: str):
    value = ds.get(keyword)
    if _present(value):
        return value
    # Enhanced multi-frame files keep them in the shared, else the first per-frame, functional group.
    for group in ("SharedFunctionalGroupsSequence", "PerFrameFunctionalGroupsSequence"):
        items = ds.get(group)
        if not items:
            continue
        sequence = items[0].get(_FUNCTIONAL_GROUP_SEQUENCES[keyword])
        if sequence:
            value = sequence[0].get(keyword)
            if _present(value):
                return value
    return None


def _check_pixel_data_length(ds) -> None:
    """pydicom reads a file cut short without complaint; uncompressed pixel data shows it by its length."""
    syntax = getattr(getattr(ds, "file_meta", None), "TransferSyntaxUID", None)
    if "PixelData" not in ds or syntax is None or syntax.is_compressed:
        return
    try:
        expected = pydicom_pixels.get_expected_length(ds, unit="bytes")
    except Exception:  # pixel-description tags absent or odd: nothing to compare with
        return
    found = len(ds.PixelData or b"")
    if found < expected:
        raise MediaError(f"the DICOM file is truncated: its pixel data has {found} of the {expected} bytes its "
                         "image tags call for")


def probe_dicom(data: bytes) -> DicomInfo:
    try:
        ds = pydicom.dcmread(io.BytesIO(data), force=False)
        missing = [tag for tag in REQUIRED_DICOM_TAGS if not _present(ds.get(tag))]
        spatial_values = {tag: _spatial_value(ds, tag) for tag in SPATIAL_DICOM_TAGS}
    except pydicom_errors.InvalidDicomError:
        raise MediaError("the file is not a DICOM file: it has no 'DICM' prefix after the 128-byte preamble "
                         f"({_describe(data, 'DICOM')})") from None
    except Exception as e:
        raise MediaError(f"the DICOM file cannot be read: {e}") from None
    if missing:
        raise MissingDicomTags(missing)
    try:
        rows, columns = int(ds.Rows), int(ds.Columns)
    except (TypeError, ValueError):
        raise MediaError(f"the DICOM tags Rows and Columns must be numbers, got [{ds.Rows}] and "
                         f"[{ds.Columns}]") from None
    _check_pixel_data_length(ds)
    spatial = {tag: _jsonable(value) for tag, value in spatial_values.items() if value is not None}
    return DicomInfo(rows=rows, columns=columns, study_uid=str(ds.StudyInstanceUID),
                     series_uid=str(ds.SeriesInstanceUID), sop_uid=str(ds.SOPInstanceUID),
                     patient_id=str(ds.PatientID), spatial=spatial,
                     missing_spatial=[tag for tag in SPATIAL_DICOM_TAGS if tag not in spatial], file_size=len(data))


# --- documents, text, NIfTI -----------------------------------------------------------------------------------------

def probe_pdf(data: bytes) -> PdfInfo:
    other = _sniff_without_av(data)  # header checks only: FFmpeg would name the JPEG images inside a damaged PDF
    if other not in (None, "application/pdf"):
        raise MediaError(f"Expected a PDF, got a file of type {other}")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))  # lenient, like viewers: minor damage is repaired
        if reader.is_encrypted and not reader.decrypt(""):
            raise MediaError("the PDF is password-protected")
        num_pages = len(reader.pages)
    except MediaError:
        raise
    except Exception as e:
        reason = str(e)
        try:  # strict mode names the first fault, e.g. "PDF starts with '…', but '%PDF-' expected"
            pypdf.PdfReader(io.BytesIO(data), strict=True)
        except Exception as strict_error:
            reason = str(strict_error) or reason
        raise MediaError(f"the file cannot be read as a PDF: {_printable(reason)}") from None
    if num_pages < 1:
        raise MediaError("the PDF has no pages")
    return PdfInfo(num_pages=num_pages, file_size=len(data))


def _printable(message: str) -> str:
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in message)


def probe_text(data: bytes) -> TextInfo:
    other = _sniff_without_av(data)
    if other is not None and not (other.startswith("text/") or other in ("application/json", "application/xml")):
        raise MediaError(f"Expected a text file, got a file of type {other}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise MediaError(f"the file is not UTF-8 text: byte 0x{data[e.start]:02x} at offset {e.start} is not "
                         "valid UTF-8") from None
    binary = _NON_TEXT_CHARACTERS.search(text)
    if binary:
        raise MediaError(f"the file is not text: it contains the control character "
                         f"0x{ord(binary.group()):02x} at offset {len(text[:binary.start()].encode())}")
    kind = _text_kind(text)
    return TextInfo(mime_type=kind, file_size=len(data), characters=len(text),
                    html_nodes=html_nodes(text) if kind == "text/html" else None)


def probe_nifti(data: bytes) -> NiftiInfo:
    raw = data
    try:
        raw = gzip.decompress(data)
    except gzip.BadGzipFile:
        pass  # not compressed
    except (EOFError, zlib.error) as e:
        raise MediaError(f"the file cannot be read as a NIfTI image: its gzip compression is damaged ({e})") \
            from None
    for header_class in (nibabel.Nifti1Header, nibabel.Nifti2Header):
        if header_class.may_contain_header(raw[:header_class.sizeof_hdr]):
            break
    else:
        raise MediaError(f"the file cannot be read as a NIfTI image: {_describe(data, 'NIfTI')}")
    try:
        header = header_class.from_fileobj(io.BytesIO(raw), check=True)
        if header["magic"].item() != header_class.single_magic:
            raise MediaError("the file is a NIfTI header whose voxels are in a separate .img file; register a "
                             "single-file .nii or .nii.gz image")
        shape = tuple(int(n) for n in header.get_data_shape())
        expected = int(header.get_data_offset()) + header.get_data_dtype().itemsize * _product(shape)
    except MediaError:
        raise
    except Exception as e:
        raise MediaError(f"the file cannot be read as a NIfTI image: {e}") from None
    if len(raw) < expected:
        raise MediaError(f"the NIfTI file is truncated: its header describes {expected} bytes, the file has "
                         f"{len(raw)}")
    return NiftiInfo(shape=shape, file_size=len(data), mime_type=NIFTI_MIME)


def _product(numbers) -> int:
    result = 1
    for n in numbers:
        result *= n
    return result


# --- point clouds ---------------------------------------------------------------------------------------------------

PCD_HEADER_ENTRIES = ("VERSION", "FIELDS", "SIZE", "TYPE", "COUNT", "WIDTH", "HEIGHT", "VIEWPOINT", "POINTS", "DATA")
PCD_REQUIRED_ENTRIES = ("FIELDS", "SIZE", "TYPE", "WIDTH", "HEIGHT", "POINTS", "DATA")
PCD_DATA_KINDS = ("ascii", "binary", "binary_compressed")
PCD_SIZES = {"I": ("1", "2", "4", "8"), "U": ("1", "2", "4", "8"), "F": ("4", "8")}


def _pcd_header(data: bytes) -> tuple[dict[str, list[str]], int]:
    """The header's entries by keyword (in the order the format fixes) and the offset where its data begins."""
    entries: dict[str, list[str]] = {}
    offset = 0
    while "DATA" not in entries:
        end = data.find(b"\n", offset)
        raw = data[offset:] if end < 0 else data[offset:end]
        offset = len(data) if end < 0 else end + 1
        line = raw.decode("latin-1").strip()
        if line.startswith("#") or not line:
            if end < 0:
                break
            continue
        keyword, *values = line.split()
        if keyword not in PCD_HEADER_ENTRIES:
            if not entries:
                raise MediaError(f"the file cannot be read as a PCD point cloud: {_describe(data, 'PCD')}")
            raise MediaError(f"the PCD header has an unknown entry {keyword!r}")
        if entries and PCD_HEADER_ENTRIES.index(keyword) <= PCD_HEADER_ENTRIES.index(list(entries)[-1]):
            raise MediaError(f"the PCD header entry {keyword} is out of order (the format fixes the order "
                             f"{' '.join(PCD_HEADER_ENTRIES)})")
        entries[keyword] = values
        if end < 0:
            break
    if not entries:
        raise MediaError(f"the file cannot be read as a PCD point cloud: {_describe(data, 'PCD')}")
    missing = [k for k in PCD_REQUIRED_ENTRIES if k not in entries]
    if missing:
        raise MediaError(f"the PCD header lacks the entr{'y' if len(missing) == 1 else 'ies'} {', '.join(missing)}")
    return entries, offset


def _pcd_count(entries: dict[str, list[str]], keyword: str) -> int:
    values = entries[keyword]
    if len(values) != 1 or not values[0].isdigit():
        raise MediaError(f"the PCD header entry {keyword} must be one non-negative integer, got {' '.join(values)!r}")
    return int(values[0])


def probe_point_cloud(data: bytes) -> PointCloudInfo:
    """A PCD file: its header consistent (one SIZE, TYPE and COUNT per field, WIDTH × HEIGHT = POINTS) and its data
    holding the points the header announces (ASCII: one line per point, a value per field element; binary: the
    bytes of every point)."""
    entries, offset = _pcd_header(data)
    fields = entries["FIELDS"]
    counts = entries.get("COUNT", ["1"] * len(fields))
    for keyword, values in (("SIZE", entries["SIZE"]), ("TYPE", entries["TYPE"]), ("COUNT", counts)):
        if len(values) != len(fields):
            raise MediaError(f"the PCD header has {len(fields)} FIELDS but {len(values)} {keyword} values")
    for name, size, kind in zip(fields, entries["SIZE"], entries["TYPE"]):
        if size not in PCD_SIZES.get(kind, ()):
            raise MediaError(f"the PCD field {name} has TYPE {kind} and SIZE {size}; TYPE is I, U or F, of SIZE 1, "
                             "2, 4 or 8 (F: 4 or 8)")
    if not all(c.isdigit() and int(c) > 0 for c in counts):
        raise MediaError(f"the PCD header's COUNT values must be positive integers, got {' '.join(counts)!r}")
    width, height, points = (_pcd_count(entries, k) for k in ("WIDTH", "HEIGHT", "POINTS"))
    if width * height != points:
        raise MediaError(f"the PCD header says WIDTH {width} × HEIGHT {height} but POINTS {points}")
    if len(entries.get("VIEWPOINT", ["0"] * 7)) != 7:
        raise MediaError("the PCD header entry VIEWPOINT must have 7 values (tx ty tz qw qx qy qz)")
    kind = " ".join(entries["DATA"])
    if kind not in PCD_DATA_KINDS:
        raise MediaError(f"the PCD data is {kind!r}; it is one of {', '.join(PCD_DATA_KINDS)}")
    body = data[offset:]
    if kind == "ascii":
        _check_pcd_ascii(body, points, sum(int(c) for c in counts))
    elif kind == "binary":
        expected = points * sum(int(s) * int(c) for s, c in zip(entries["SIZE"], counts))
        if len(body) < expected:
            raise MediaError(f"the PCD data is truncated: {points} points need {expected} bytes, the file has "
                             f"{len(body)}")
    return PointCloudInfo(points=points, fields=tuple(fields), width=width, height=height, data=kind,
                          file_size=len(data))


def _check_pcd_ascii(body: bytes, points: int, values_per_point: int) -> None:
    lines = [line.split() for line in body.decode("latin-1").splitlines() if line.strip()]
    if len(lines) != points:
        raise MediaError(f"the PCD header announces {points} points, its ASCII data has {len(lines)}")
    for number, values in enumerate(lines, 1):
        if len(values) != values_per_point:
            raise MediaError(f"point {number} of the PCD data has {len(values)} values, the fields need "
                             f"{values_per_point}")
        for value in values:
            try:
                float(value)
            except ValueError:
                raise MediaError(f"point {number} of the PCD data has the value {value!r}, which is no number") \
                    from None
