"""Real media bytes for tests: Pillow images, PyAV video and audio, pydicom DICOM, Pillow PDFs, nibabel NIfTI."""

from __future__ import annotations

import io
from fractions import Fraction

import av
import nibabel
import numpy as np
import pydicom
from PIL import Image
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage


def _image(fmt: str, width: int, height: int, color) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format=fmt)
    return buffer.getvalue()


def png(width=64, height=48, color=(255, 0, 0)) -> bytes:
    return _image("PNG", width, height, color)


def jpeg(width=64, height=48, color=(0, 128, 0)) -> bytes:
    return _image("JPEG", width, height, color)


def webp(width=64, height=48, color=(0, 0, 255)) -> bytes:
    return _image("WEBP", width, height, color)


def mp4(width=64, height=48, fps=5, frames=10) -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = Fraction(1, fps)
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(np.full((height, width, 3), (i * 20) % 255, np.uint8), format="rgb24")
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


def wav(seconds=1.0, sample_rate=8000) -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="wav") as container:
        stream = container.add_stream("pcm_s16le", rate=sample_rate)
        stream.layout = "mono"
        samples = np.zeros((1, int(seconds * sample_rate)), np.int16)
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate = sample_rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


def dicom(rows=8, columns=8, study_uid="1.2.1", series_uid="1.2.2", sop_uid="1.2.3.1", patient_id="P1", omit=(),
          spatial=True, instance_number=1) -> bytes:
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
    ds.PixelData = np.zeros((rows, columns), np.uint16).tobytes()
    if spatial:
        ds.ImagePositionPatient = [0.0, 0.0, float(instance_number)]
        ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
        ds.SliceThickness, ds.PixelSpacing = 1.0, [0.5, 0.5]
    for tag in omit:
        delattr(ds, tag)
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def pdf(pages=2) -> bytes:
    buffer = io.BytesIO()
    images = [Image.new("RGB", (100, 100), (255, 255, 255)) for _ in range(pages)]
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


def nifti(shape=(4, 4, 3)) -> bytes:
    return nibabel.Nifti1Image(np.zeros(shape, np.int16), np.eye(4)).to_bytes()


def text(content="hello") -> bytes:
    return content.encode("utf-8")


def corrupt() -> bytes:
    return b"\x00\x01 this is not any known media format \xff\xfe" * 4


def truncated_png() -> bytes:
    return png()[:60]
