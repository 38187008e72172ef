"""Media probes on real bytes: what each library reads, and every way a file is refused, with exact messages."""

import io

import av
import media_factory as mf
import nibabel
import numpy as np
import pytest

from emulator.ingestion import media
from emulator.ingestion.html_nodes import MAX_HTML_NODES
from emulator.ingestion.media import MediaError, MissingDicomTags

REQUIRED = ["Rows", "Columns", "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "PatientID"]
SPATIAL = ["ImagePositionPatient", "ImageOrientationPatient", "SliceThickness", "PixelSpacing"]


def error_of(probe, data) -> MediaError:
    with pytest.raises(MediaError) as caught:
        probe(data)
    return caught.value


# --- sniffing -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("make, mime", [
    (mf.png, "image/png"), (mf.jpeg, "image/jpeg"), (mf.webp, "image/webp"),
    (lambda: mf.image("BMP"), "image/bmp"), (lambda: mf.image("TIFF"), "image/tiff"),
    (lambda: mf.image("GIF"), "image/gif"), (mf.truncated_png, "image/png"),
    (mf.mp4, "video/mp4"), (mf.webm, "video/webm"),
    (mf.wav, "audio/wav"), (mf.mp3, "audio/mpeg"), (mf.flac, "audio/flac"),
    (mf.dicom, "application/dicom"), (mf.pdf, "application/pdf"),
    (mf.nifti, "application/x-nifti"), (lambda: mf.nifti(gz=True), "application/x-nifti"),
    (mf.text, "text/plain"), (lambda: mf.text('{"a": [1, 2]}'), "application/json"),
    (lambda: mf.text("<!DOCTYPE html><html><body>hi</body></html>"), "text/html"),
    (lambda: mf.text('<?xml version="1.0"?><a/>'), "application/xml"),
    (mf.corrupt, "application/octet-stream"), (mf.truncated_mp4, "application/octet-stream"),
    (lambda: b"", "application/octet-stream"),
])
def test_sniff_names_each_format(make, mime):
    assert media.sniff_mime_type(make()) == mime


# --- images ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("make, mime", [(mf.png, "image/png"), (mf.jpeg, "image/jpeg"), (mf.webp, "image/webp")])
def test_probe_image_reads_size_type_and_file_size(make, mime):
    data = make(width=37, height=21)
    assert media.probe_image(data) == media.ImageInfo(width=37, height=21, mime_type=mime, file_size=len(data))


@pytest.mark.parametrize("fmt, mime", [("BMP", "image/bmp"), ("TIFF", "image/tiff"), ("GIF", "image/gif")])
def test_probe_image_reads_other_pillow_formats(fmt, mime):
    info = media.probe_image(mf.image(fmt, 10, 20))
    assert (info.width, info.height, info.mime_type) == (10, 20, mime)


def test_probe_image_refuses_bytes_of_no_known_format():
    assert str(error_of(media.probe_image, mf.corrupt())) == (
        "the file cannot be read as an image: its format is not recognised")


def test_probe_image_refuses_a_video_naming_its_type():
    assert str(error_of(media.probe_image, mf.mp4())) == (
        "the file cannot be read as an image: it is a file of type video/mp4, not an image")


def test_probe_image_refuses_text():
    assert str(error_of(media.probe_image, mf.text("hello"))) == (
        "the file cannot be read as an image: it is a file of type text/plain, not an image")


def test_probe_image_decodes_the_pixels_so_a_truncated_png_is_refused():
    message = str(error_of(media.probe_image, mf.truncated_png()))
    assert message.startswith("the file cannot be read as an image: the PNG data is damaged (")
    assert "truncated" in message


# --- video ----------------------------------------------------------------------------------------------------------

def test_probe_video_reads_an_mp4():
    data = mf.mp4(64, 48, fps=5, frames=10)
    assert media.probe_video(data) == media.VideoInfo(width=64, height=48, fps=5.0, duration=2.0, frame_count=10,
                                                      mime_type="video/mp4", file_size=len(data))


def test_probe_video_reads_other_sizes_and_rates():
    info = media.probe_video(mf.mp4(32, 24, fps=10, frames=15))
    assert (info.width, info.height, info.fps, info.duration, info.frame_count) == (32, 24, 10.0, 1.5, 15)
    assert isinstance(info.fps, float)


def test_probe_video_counts_frames_by_decoding_when_the_container_does_not_say():
    data = mf.webm(48, 32, fps=5, frames=7)
    with av.open(io.BytesIO(data)) as container:
        assert container.streams.video[0].frames == 0  # WebM records no frame count
    info = media.probe_video(data)
    assert (info.width, info.height, info.fps, info.frame_count, info.mime_type) == (48, 32, 5.0, 7, "video/webm")
    assert info.duration == pytest.approx(1.4)


@pytest.mark.parametrize("make, mime", [(mf.png, "image/png"), (mf.jpeg, "image/jpeg"), (mf.webp, "image/webp")])
def test_probe_video_refuses_an_image_naming_its_type(make, mime):
    assert str(error_of(media.probe_video, make())) == f"Expected a video, got a file of type {mime}"


@pytest.mark.parametrize("make, mime", [(mf.wav, "audio/wav"), (mf.pdf, "application/pdf"),
                                        (mf.dicom, "application/dicom"), (mf.text, "text/plain")])
def test_probe_video_refuses_other_media_naming_their_type(make, mime):
    assert str(error_of(media.probe_video, make())) == f"Expected a video, got a file of type {mime}"


@pytest.mark.parametrize("make", [mf.corrupt, mf.truncated_mp4])
def test_probe_video_refuses_unreadable_bytes(make):
    assert str(error_of(media.probe_video, make())) == (
        "the file cannot be read as a video: Invalid data found when processing input")


# --- audio ----------------------------------------------------------------------------------------------------------

def test_probe_audio_reads_a_wav():
    data = mf.wav(seconds=1.0, sample_rate=8000)
    assert media.probe_audio(data) == media.AudioInfo(duration=1.0, sample_rate=8000, channels=1, codec="pcm_s16le",
                                                      bit_depth=16, mime_type="audio/wav", file_size=len(data))


def test_probe_audio_reads_stereo_and_other_rates():
    info = media.probe_audio(mf.wav(seconds=0.5, sample_rate=16000, channels=2))
    assert (info.duration, info.sample_rate, info.channels) == (0.5, 16000, 2)


def test_probe_audio_reads_lossless_flac_with_its_bit_depth():
    info = media.probe_audio(mf.flac(seconds=1.0, sample_rate=8000))
    assert (info.codec, info.bit_depth, info.sample_rate, info.mime_type) == ("flac", 16, 8000, "audio/flac")
    assert info.duration == pytest.approx(1.0, abs=0.01)


def test_probe_audio_reads_lossy_mp3_without_a_bit_depth():
    info = media.probe_audio(mf.mp3(seconds=1.0, sample_rate=22050))
    assert (info.codec, info.bit_depth, info.sample_rate, info.channels, info.mime_type) == (
        "mp3", None, 22050, 1, "audio/mpeg")
    assert info.duration == pytest.approx(1.0, abs=0.1)


def test_cover_art_does_not_make_an_mp3_a_video():
    data = mf.mp3(seconds=1.0, cover_art=True)
    with av.open(io.BytesIO(data)) as container:
        assert [s.type for s in container.streams] == ["audio", "video"]
    assert media.sniff_mime_type(data) == "audio/mpeg"
    assert media.probe_audio(data).codec == "mp3"
    assert str(error_of(media.probe_video, data)) == "Expected a video, got a file of type audio/mpeg"


@pytest.mark.parametrize("make, mime", [(mf.mp4, "video/mp4"), (mf.png, "image/png")])
def test_probe_audio_refuses_other_media_naming_their_type(make, mime):
    assert str(error_of(media.probe_audio, make())) == f"Expected an audio file, got a file of type {mime}"


def test_probe_audio_refuses_unreadable_bytes():
    assert str(error_of(media.probe_audio, mf.corrupt())) == (
        "the file cannot be read as audio: Invalid data found when processing input")


# --- DICOM ----------------------------------------------------------------------------------------------------------

def test_probe_dicom_reads_the_required_and_3d_tags():
    data = mf.dicom(rows=16, columns=12, study_uid="1.2.840.1", series_uid="1.2.840.2", sop_uid="1.2.840.3.7",
                    patient_id="PAT-9", instance_number=2)
    assert media.probe_dicom(data) == media.DicomInfo(
        rows=16, columns=12, study_uid="1.2.840.1", series_uid="1.2.840.2", sop_uid="1.2.840.3.7",
        patient_id="PAT-9",
        spatial={"ImagePositionPatient": [0.0, 0.0, 5.0], "ImageOrientationPatient": [1.0, 0.0, 0.0, 0.0, 1.0, 0.0],
                 "SliceThickness": 2.5, "PixelSpacing": [0.5, 0.5]},
        missing_spatial=[], file_size=len(data), mime_type="application/dicom")


def test_probe_dicom_defaults_of_the_factory():
    info = media.probe_dicom(mf.dicom(instance_number=3))
    assert (info.study_uid, info.series_uid, info.sop_uid, info.patient_id) == ("1.2.1", "1.2.2", "1.2.3.3", "P1")


def test_probe_dicom_reads_3d_tags_from_enhanced_functional_groups():
    info = media.probe_dicom(mf.dicom(functional_groups=True))
    assert info.missing_spatial == []
    assert info.spatial == media.probe_dicom(mf.dicom()).spatial


def test_dicom_without_3d_tags_is_read_and_reports_them_missing():
    info = media.probe_dicom(mf.dicom(spatial=False))
    assert info.spatial == {}
    assert info.missing_spatial == SPATIAL
    assert (info.rows, info.columns) == (8, 8)


def test_dicom_missing_one_3d_tag_reports_just_that_one():
    info = media.probe_dicom(mf.dicom(omit=("SliceThickness",)))
    assert info.missing_spatial == ["SliceThickness"]
    assert sorted(info.spatial) == ["ImageOrientationPatient", "ImagePositionPatient", "PixelSpacing"]


@pytest.mark.parametrize("tag", REQUIRED)
def test_dicom_missing_a_required_tag_is_refused_naming_it(tag):
    error = error_of(media.probe_dicom, mf.dicom(omit=(tag,)))
    assert isinstance(error, MissingDicomTags)
    assert error.missing == [tag]
    assert str(error) == f"missing required DICOM tag(s): {tag}"


def test_dicom_missing_two_required_tags_names_both_in_the_required_order():
    error = error_of(media.probe_dicom, mf.dicom(omit=("PatientID", "Rows")))
    assert isinstance(error, MissingDicomTags)
    assert error.missing == ["Rows", "PatientID"]
    assert str(error) == "missing required DICOM tag(s): Rows, PatientID"


def test_dicom_with_an_empty_required_tag_counts_it_missing():
    assert str(error_of(media.probe_dicom, mf.dicom(patient_id=""))) == "missing required DICOM tag(s): PatientID"


def test_probe_dicom_refuses_an_image_naming_its_type():
    assert str(error_of(media.probe_dicom, mf.png())) == (
        "the file is not a DICOM file: it has no 'DICM' prefix after the 128-byte preamble "
        "(it is a file of type image/png, not DICOM)")


def test_probe_dicom_refuses_bytes_of_no_known_format():
    error = error_of(media.probe_dicom, mf.corrupt())
    assert not isinstance(error, MissingDicomTags)
    assert str(error) == ("the file is not a DICOM file: it has no 'DICM' prefix after the 128-byte preamble "
                          "(its format is not recognised)")


def test_probe_dicom_refuses_a_file_cut_short_in_its_pixel_data():
    data = mf.dicom(rows=8, columns=8)  # 8 × 8 × 2 bytes of pixels, at the end of the file
    assert str(error_of(media.probe_dicom, data[:-10])) == (
        "the DICOM file is truncated: its pixel data has 118 of the 128 bytes its image tags call for")


# --- PDF ------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("pages", [1, 2, 5])
def test_probe_pdf_counts_pages(pages):
    data = mf.pdf(pages=pages)
    assert media.probe_pdf(data) == media.PdfInfo(num_pages=pages, file_size=len(data), mime_type="application/pdf")


@pytest.mark.parametrize("make, mime", [(mf.png, "image/png"), (mf.text, "text/plain"),
                                        (mf.dicom, "application/dicom")])
def test_probe_pdf_refuses_other_files_naming_their_type(make, mime):
    assert str(error_of(media.probe_pdf, make())) == f"Expected a PDF, got a file of type {mime}"


def test_probe_pdf_refuses_bytes_that_are_not_a_pdf():
    message = str(error_of(media.probe_pdf, mf.corrupt()))
    assert message.startswith("the file cannot be read as a PDF: ")
    assert "'%PDF-' expected" in message
    assert "\x00" not in message  # the bytes pypdf quotes are escaped


def test_probe_pdf_refuses_a_truncated_pdf():
    data = mf.pdf(pages=2)
    assert str(error_of(media.probe_pdf, data[: len(data) // 2])).startswith("the file cannot be read as a PDF: ")


# --- text -----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("content, mime", [
    ("hello", "text/plain"), ("café ☕\nline two\ttabbed\r\n", "text/plain"), ("", "text/plain"),
    ('{"fruit": ["cherry"]}', "application/json"), ("[1, 2]", "application/json"),
    ("<html><body>x</body></html>", "text/html"), ('<?xml version="1.0"?><a/>', "application/xml"),
    ("{not json", "text/plain"),
])
def test_probe_text_reads_utf8_text(content, mime):
    data = mf.text(content)
    nodes = {"/html[1]": [0, 1], "/html[1]/body[1]": [0, 1]} if mime == "text/html" else None
    assert media.probe_text(data) == media.TextInfo(mime_type=mime, file_size=len(data), characters=len(content),
                                                    html_nodes=nodes)


def test_probe_text_records_the_elements_of_html_as_a_browser_builds_them():
    data = mf.text("<!DOCTYPE html><html><title>Fox</title><p>The <b>quick</b><br>fox<p>jumps</html>")
    assert media.probe_text(data).html_nodes == {
        "/html[1]": [0, 20], "/html[1]/head[1]": [0, 3], "/html[1]/head[1]/title[1]": [0, 3],
        "/html[1]/body[1]": [3, 17], "/html[1]/body[1]/p[1]": [3, 12], "/html[1]/body[1]/p[1]/b[1]": [7, 5],
        "/html[1]/body[1]/p[1]/br[1]": [12, 0], "/html[1]/body[1]/p[2]": [15, 5]}


def test_probe_text_records_no_elements_of_html_past_the_cap():
    data = mf.text("<html><body>" + "<i>x</i>" * MAX_HTML_NODES + "</body></html>")
    assert media.probe_text(data).html_nodes is None


def test_probe_text_records_no_elements_of_html_nested_past_the_cap_on_xpaths():
    data = mf.text("<html><body>" + "<div>" * 1000 + "</body></html>")
    assert media.probe_text(data).html_nodes is None


def test_probe_text_refuses_text_that_is_not_utf8():
    assert str(error_of(media.probe_text, mf.text("café", encoding="latin-1"))) == (
        "the file is not UTF-8 text: byte 0xe9 at offset 3 is not valid UTF-8")


def test_probe_text_refuses_binary_that_happens_to_be_utf8():
    assert str(error_of(media.probe_text, b"ab\x01cd")) == (
        "the file is not text: it contains the control character 0x01 at offset 2")


def test_probe_text_refuses_bytes_of_no_known_format():
    assert str(error_of(media.probe_text, mf.corrupt())) == (
        "the file is not UTF-8 text: byte 0xff at offset 38 is not valid UTF-8")


def test_probe_text_refuses_an_image_naming_its_type():
    assert str(error_of(media.probe_text, mf.png())) == "Expected a text file, got a file of type image/png"


# --- NIfTI ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("gz", [False, True])
def test_probe_nifti_reads_the_shape(gz):
    data = mf.nifti(shape=(4, 5, 3), gz=gz)
    assert media.probe_nifti(data) == media.NiftiInfo(shape=(4, 5, 3), file_size=len(data),
                                                      mime_type="application/x-nifti")


def test_probe_nifti_reads_nifti2_and_4d_volumes():
    data = nibabel.Nifti2Image(np.zeros((5, 6, 7, 2), np.float32), np.eye(4)).to_bytes()
    assert media.probe_nifti(data).shape == (5, 6, 7, 2)


def test_probe_nifti_refuses_a_truncated_volume():
    data = mf.nifti(shape=(4, 4, 3))  # 352-byte header + 4 × 4 × 3 int16 voxels
    assert str(error_of(media.probe_nifti, data[:400])) == (
        "the NIfTI file is truncated: its header describes 448 bytes, the file has 400")


def test_probe_nifti_refuses_damaged_gzip():
    message = str(error_of(media.probe_nifti, mf.nifti(gz=True)[:30]))
    assert message.startswith("the file cannot be read as a NIfTI image: its gzip compression is damaged (")


def test_probe_nifti_refuses_other_files():
    assert str(error_of(media.probe_nifti, mf.png())) == (
        "the file cannot be read as a NIfTI image: it is a file of type image/png, not NIfTI")
    assert str(error_of(media.probe_nifti, mf.corrupt())) == (
        "the file cannot be read as a NIfTI image: its format is not recognised")


# --- the factory's own promises -------------------------------------------------------------------------------------

def test_factory_corrupt_bytes_are_no_format_any_probe_reads():
    data = mf.corrupt()
    for probe in (media.probe_image, media.probe_video, media.probe_audio, media.probe_dicom, media.probe_pdf,
                  media.probe_text, media.probe_nifti):
        with pytest.raises(MediaError):
            probe(data)


def test_factory_dicom_omit_rejects_an_unknown_tag_name():
    with pytest.raises(ValueError):
        mf.dicom(omit=("NoSuchTag",))


# --- point clouds ---------------------------------------------------------------------------------------------------

def pcd_with(old: str, new: str) -> bytes:
    return mf.pcd().decode().replace(old, new).encode()


def test_probe_point_cloud_reads_the_pcd_header():
    info = media.probe_point_cloud(mf.pcd())
    assert (info.points, info.fields, info.width, info.height, info.data, info.file_size) == (
        3, ("x", "y", "z"), 3, 1, "ascii", len(mf.pcd()))


def test_probe_point_cloud_reads_binary_data_of_the_size_announced():
    header = mf.pcd().decode().split("DATA ascii")[0] + "DATA binary\n"
    points = np.zeros((3, 3), np.float32).tobytes()
    assert media.probe_point_cloud(header.encode() + points).data == "binary"
    assert str(error_of(media.probe_point_cloud, header.encode() + points[:-1])) == (
        "the PCD data is truncated: 3 points need 36 bytes, the file has 35")


@pytest.mark.parametrize("data, message", [
    (mf.text("these are notes"), "the file cannot be read as a PCD point cloud: it is a file of type text/plain, not PCD"),
    (pcd_with("VIEWPOINT", "COLOUR 1\nVIEWPOINT"), "the PCD header has an unknown entry 'COLOUR'"),
    (pcd_with("VERSION 0.7\nFIELDS x y z", "FIELDS x y z\nVERSION 0.7"),
     "the PCD header entry VERSION is out of order (the format fixes the order VERSION FIELDS SIZE TYPE COUNT WIDTH "
     "HEIGHT VIEWPOINT POINTS DATA)"),
    (pcd_with("POINTS 3\n", ""), "the PCD header lacks the entry POINTS"),
    (pcd_with("SIZE 4 4 4", "SIZE 4 4"), "the PCD header has 3 FIELDS but 2 SIZE values"),
    (pcd_with("TYPE F F F", "TYPE F F X"), "the PCD field z has TYPE X and SIZE 4; TYPE is I, U or F, of SIZE 1, 2, 4 "
                                           "or 8 (F: 4 or 8)"),
    (pcd_with("COUNT 1 1 1", "COUNT 1 0 1"), "the PCD header's COUNT values must be positive integers, got '1 0 1'"),
    (pcd_with("WIDTH 3", "WIDTH three"), "the PCD header entry WIDTH must be one non-negative integer, got 'three'"),
    (pcd_with("POINTS 3", "POINTS 4"), "the PCD header says WIDTH 3 × HEIGHT 1 but POINTS 4"),
    (pcd_with("VIEWPOINT 0 0 0 1 0 0 0", "VIEWPOINT 0 0 0"),
     "the PCD header entry VIEWPOINT must have 7 values (tx ty tz qw qx qy qz)"),
    (pcd_with("DATA ascii", "DATA zipped"), "the PCD data is 'zipped'; it is one of ascii, binary, binary_compressed"),
    (pcd_with("\n0 1 0\n", "\n"), "the PCD header announces 3 points, its ASCII data has 2"),
    (pcd_with("\n0 1 0\n", "\n0 1\n"), "point 3 of the PCD data has 2 values, the fields need 3"),
    (pcd_with("\n0 1 0\n", "\n0 1 up\n"), "point 3 of the PCD data has the value 'up', which is no number"),
])
def test_probe_point_cloud_refuses_what_the_pcd_format_does_not_allow(data, message):
    assert str(error_of(media.probe_point_cloud, data)) == message
