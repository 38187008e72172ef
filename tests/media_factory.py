"""Real media bytes for tests, made with the libraries that read them: Pillow images and PDFs, PyAV video and audio,
pydicom DICOM Part-10 files, nibabel NIfTI, ASCII PCD point clouds. Every function returns bytes; everything is tiny and quick to make."""

from __future__ import annotations

import gzip
import io
import math
from fractions import Fraction

import av
import nibabel
import numpy as np
from PIL import Image
from pydicom.datadict import tag_for_keyword
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage

SPATIAL_TAGS = ("ImagePositionPatient", "ImageOrientationPatient", "SliceThickness", "PixelSpacing")


# --- images ---------------------------------------------------------------------------------------------------------

def image(fmt: str, width: int = 64, height: int = 48, color=(255, 0, 0), **save_options) -> bytes:
    """An RGB image of one colour in any format Pillow writes (PNG, JPEG, WEBP, BMP, TIFF, GIF, AVIF…)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format=fmt, **save_options)
    return buffer.getvalue()


def png(width=64, height=48, color=(255, 0, 0)) -> bytes:
    return image("PNG", width, height, color)


def jpeg(width=64, height=48, color=(0, 128, 0)) -> bytes:
    return image("JPEG", width, height, color)


def webp(width=64, height=48, color=(0, 0, 255)) -> bytes:
    return image("WEBP", width, height, color)


def truncated_png(width=64, height=48) -> bytes:
    """A PNG whose header is whole (so it is recognised as a PNG) but whose pixel data is cut short."""
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    buffer = io.BytesIO()
    gradient.save(buffer, format="PNG")
    data = buffer.getvalue()
    return data[: max(60, len(data) // 2)]


# --- video ----------------------------------------------------------------------------------------------------------

def _video_codec() -> str:
    return "libx264" if "libx264" in av.codecs_available else "mpeg4"


def video(container_format="mp4", codec=None, width=64, height=48, fps=5, frames=10) -> bytes:
    """A short video of frames changing colour, encoded by PyAV."""
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container_format) as container:
        stream = container.add_stream(codec or _video_codec(), rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = Fraction(1, fps)
        for i in range(frames):
            picture = Image.new("RGB", (width, height), ((i * 40) % 256, 64, 255 - (i * 40) % 256))
            frame = av.VideoFrame.from_image(picture)
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


def mp4(width=64, height=48, fps=5, frames=10) -> bytes:
    """H.264 (or MPEG-4 Part 2 if this PyAV has no x264) in MP4; the container records the frame count."""
    return video("mp4", None, width, height, fps, frames)


def webm(width=64, height=48, fps=5, frames=10) -> bytes:
    """VP8 in WebM: Matroska does not record the frame count, so a probe must count the frames."""
    return video("webm", "libvpx", width, height, fps, frames)


def truncated_mp4() -> bytes:
    """An MP4 cut in half: its index (the 'moov' box, written last) is gone."""
    data = mp4()
    return data[: len(data) // 2]


# --- audio ----------------------------------------------------------------------------------------------------------

def audio(container_format: str, codec: str, seconds=1.0, sample_rate=8000, channels=1, cover_art=False) -> bytes:
    """A 440 Hz tone encoded by PyAV; ``cover_art`` adds a picture stream marked attached_pic, as music files have."""
    layout = {1: "mono", 2: "stereo"}[channels]
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container_format) as container:
        stream = container.add_stream(codec, rate=sample_rate, layout=layout)
        if cover_art:
            picture = container.add_stream("mjpeg")
            picture.width, picture.height, picture.pix_fmt = 16, 16, "yuvj420p"
            picture.disposition = av.stream.Disposition.attached_pic
            frame = av.VideoFrame.from_image(Image.new("RGB", (16, 16), (200, 0, 0))).reformat(format="yuvj420p")
            frame.pts = 0
            for packet in [*picture.encode(frame), *picture.encode()]:
                container.mux(packet)
        total = int(round(seconds * sample_rate))
        tone = (np.sin(2 * math.pi * 440 * np.arange(total) / sample_rate) * 8000).astype(np.float32)
        ctx = stream.codec_context
        chunk = ctx.frame_size or 1024
        for start in range(0, total, chunk):
            part = tone[start:start + chunk]
            samples = np.tile(part, (channels, 1))
            frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout=layout)
            frame.sample_rate, frame.pts = sample_rate, start
            frame.time_base = Fraction(1, sample_rate)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


def wav(seconds=1.0, sample_rate=8000, channels=1) -> bytes:
    """16-bit PCM WAV."""
    return audio("wav", "pcm_s16le", seconds, sample_rate, channels)


def mp3(seconds=1.0, sample_rate=22050, channels=1, cover_art=False) -> bytes:
    return audio("mp3", "libmp3lame", seconds, sample_rate, channels, cover_art)


def flac(seconds=1.0, sample_rate=8000, channels=1) -> bytes:
    return audio("flac", "flac", seconds, sample_rate, channels)


# --- DICOM ----------------------------------------------------------------------------------------------------------

def dicom(rows=8, columns=8, study_uid="1.2.1", series_uid="1.2.2", sop_uid=None, patient_id="P1", omit=(),
          spatial=True, instance_number=1, functional_groups=False) -> bytes:
    """A DICOM Part-10 file (preamble, 'DICM', file meta) of a 16-bit greyscale slice with pixel data.

    ``sop_uid`` defaults to ``1.2.3.<instance_number>``; ``omit`` removes the named tags from the data set;
    ``spatial=False`` leaves out the four 3D tags; ``functional_groups=True`` puts them where enhanced multi-frame
    files keep them (SharedFunctionalGroupsSequence) instead of the top level.
    """
    sop_uid = sop_uid or f"1.2.3.{instance_number}"
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = sop_uid
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = SecondaryCaptureImageStorage
    ds.SOPInstanceUID, ds.StudyInstanceUID, ds.SeriesInstanceUID = sop_uid, study_uid, series_uid
    ds.PatientID, ds.Modality, ds.InstanceNumber = patient_id, "CT", instance_number
    ds.Rows, ds.Columns = rows, columns
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    ds.PixelData = (np.arange(rows * columns, dtype=np.uint16) % 4096).tobytes()
    if spatial:
        values = {"ImagePositionPatient": [0.0, 0.0, 2.5 * instance_number],
                  "ImageOrientationPatient": [1.0, 0.0, 0.0, 0.0, 1.0, 0.0],
                  "SliceThickness": 2.5, "PixelSpacing": [0.5, 0.5]}
        if functional_groups:
            position, orientation, measures = Dataset(), Dataset(), Dataset()
            position.ImagePositionPatient = values["ImagePositionPatient"]
            orientation.ImageOrientationPatient = values["ImageOrientationPatient"]
            measures.SliceThickness, measures.PixelSpacing = values["SliceThickness"], values["PixelSpacing"]
            shared = Dataset()
            shared.PlanePositionSequence = [position]
            shared.PlaneOrientationSequence = [orientation]
            shared.PixelMeasuresSequence = [measures]
            ds.SharedFunctionalGroupsSequence = [shared]
        else:
            for keyword, value in values.items():
                setattr(ds, keyword, value)
    for keyword in omit:
        if tag_for_keyword(keyword) is None or keyword not in ds:
            raise ValueError(f"dicom(omit=...): the data set has no tag {keyword}")
        delattr(ds, keyword)
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


# --- documents, volumes, text ---------------------------------------------------------------------------------------

def pdf(pages=2) -> bytes:
    buffer = io.BytesIO()
    images = [Image.new("RGB", (100, 140), (255, 255, 255)) for _ in range(pages)]
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


def nifti(shape=(4, 4, 3), gz=False) -> bytes:
    """A single-file NIfTI-1 volume (.nii), gzipped (.nii.gz) if ``gz``."""
    data = nibabel.Nifti1Image(np.zeros(shape, np.int16), np.eye(4)).to_bytes()
    return gzip.compress(data) if gz else data


def text(content="hello", encoding="utf-8") -> bytes:
    return content.encode(encoding)


def pcd(points=((0, 0, 0), (1, 0, 0), (0, 1, 0))) -> bytes:
    """An ASCII PCD point cloud (format 0.7) of x y z points."""
    header = ["# .PCD v0.7 - Point Cloud Data file format", "VERSION 0.7", "FIELDS x y z", "SIZE 4 4 4", "TYPE F F F",
              "COUNT 1 1 1", f"WIDTH {len(points)}", "HEIGHT 1", "VIEWPOINT 0 0 0 1 0 0 0", f"POINTS {len(points)}",
              "DATA ascii"]
    return "\n".join(header + [" ".join(str(v) for v in p) for p in points]).encode() + b"\n"


def corrupt() -> bytes:
    """Bytes that are no known format (and not UTF-8 text)."""
    return b"\x00\x01 this is not any known media format \xff\xfe" * 4
