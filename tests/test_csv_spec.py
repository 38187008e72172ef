"""The web app's CSV upload rules (seed 002), turned into the JSON spec the upload jobs read."""

import pytest

from emulator.ingestion.csv_spec import CsvSpecError, csv_to_spec


def test_headers_are_case_insensitive_and_blank_titles_keep_the_file_name():
    spec = csv_to_spec(" objecturl , VIDEO TITLE \ns3://b/one.mp4,First\ns3://b/dir/two%20x.mp4,\n")
    assert spec == {"videos": [{"objectUrl": "s3://b/one.mp4", "title": "First"},
                               {"objectUrl": "s3://b/dir/two%20x.mp4", "title": "two x.mp4"}]}


def test_a_single_object_url_column_means_videos():
    assert csv_to_spec("ObjectUrl\ns3://b/a.png\n") == {"videos": [{"objectUrl": "s3://b/a.png", "title": "a.png"}]}


def test_a_leading_byte_order_mark_as_excel_writes_it_is_not_part_of_the_header():
    assert csv_to_spec("\ufeffObjectUrl,Image title\ns3://b/a.png,A\n") == {
        "images": [{"objectUrl": "s3://b/a.png", "title": "A"}]}


def test_rows_with_one_group_title_are_grouped_in_order_and_create_video_defaults_to_true():
    spec = csv_to_spec("ObjectUrl,Image group title,Create video\ns3://b/1.jpg,Group 1,false\ns3://b/2.jpg,Group 1,false\n"
                       "s3://b/3.jpg,Sequence 1,\ns3://b/4.jpg,Sequence 1,\n")
    assert spec == {"image_groups": [
        {"title": "Group 1", "createVideo": False, "objectUrl_0": "s3://b/1.jpg", "objectUrl_1": "s3://b/2.jpg"},
        {"title": "Sequence 1", "createVideo": True, "objectUrl_0": "s3://b/3.jpg", "objectUrl_1": "s3://b/4.jpg"}]}
    assert csv_to_spec("ObjectUrl,Image group title\ns3://b/1.jpg,G\n")["image_groups"][0]["createVideo"] is True


def test_series_rows_are_grouped_and_a_new_header_switches_type():
    spec = csv_to_spec("ObjectUrl,Series title\ns3://b/s1-a.dcm,dicom series 1\ns3://b/s1-b.dcm,dicom series 1\n"
                       "s3://b/s3.dcm,\nObjectUrl,Image title\ns3://b/i.png,An image\n")
    assert spec == {
        "dicom_series": [{"title": "dicom series 1", "objectUrl_0": "s3://b/s1-a.dcm", "objectUrl_1": "s3://b/s1-b.dcm"},
                         {"title": "s3.dcm", "objectUrl_0": "s3://b/s3.dcm"}],
        "images": [{"objectUrl": "s3://b/i.png", "title": "An image"}]}


ACCEPTED = ("a header line names the columns ObjectUrl and one of Video title, Image title, Image group title (and "
            "Create video) or Series title, in any case; ObjectUrl alone means videos.")


@pytest.mark.parametrize("text, message", [
    ("ObjectUrl,Image title\ns3://b/a b.png,x\n", "Line 2: object URLs can't contain whitespace: 's3://b/a b.png'."),
    ("ObjectUrl,Image group title\ns3://b/a.png,\n", "Line 2: an image group title is required."),
    ("ObjectUrl,Image group title,Create video\ns3://b/a.png,G,maybe\n",
     "Line 2: Create video must be true or false, not 'maybe'."),
    ("ObjectUrl,Image title\n,x\n", "Line 2: the row has no object URL."),
    ("s3://b/a.png,x\n", f"Line 1: the CSV has no header line before its first row (s3://b/a.png, x); {ACCEPTED}"),
    ("url,title\ns3://b/a.png,x\n", f"Line 1: the CSV has no header line before its first row (url, title); {ACCEPTED}"),
    ("ObjectUrl,Video title,Image title\ns3://b/a.png,x,y\n",
     f"Line 1: the header columns ObjectUrl, Video title, Image title name no upload type; {ACCEPTED}"),
    ("", f"Line 1: the CSV has no header line; {ACCEPTED}"),
])
def test_broken_csv_is_refused_naming_the_line(text, message):
    with pytest.raises(CsvSpecError) as e:
        csv_to_spec(text)
    assert str(e.value) == message


# Seed 002's CSV examples, as the tables the documentation shows.
def test_seed_videos_example():
    spec = csv_to_spec("ObjectUrl,Video title\nhttps://storage/frame1.mp4,Video 1\nhttps://storage/frame2.mp4,Video 2\n"
                       "https://storage/frame3.mp4,\nhttps://storage/frame4.mp4,Video 3\n")
    assert [v["title"] for v in spec["videos"]] == ["Video 1", "Video 2", "frame3.mp4", "Video 3"]


def test_seed_images_example():
    spec = csv_to_spec("ObjectUrl,Image title\nhttps://storage/frame1.jpg,Image 1\nhttps://storage/frame2.jpg,Image 2\n"
                       "https://storage/frame3.jpg,\nhttps://storage/frame4.jpg,Image 3\n")
    assert [v["title"] for v in spec["images"]] == ["Image 1", "Image 2", "frame3.jpg", "Image 3"]


@pytest.mark.parametrize("value, create_video, titles", [("false", False, ["Group 1", "Group 2"]),
                                                         ("true", True, ["Sequence 1", "Sequence 2"])])
def test_seed_image_group_and_sequence_examples(value, create_video, titles):
    rows = "".join(f"https://storage/frame{i}.jpg,{titles[(i - 1) // 2]},{value}\n" for i in range(1, 5))
    spec = csv_to_spec("ObjectUrl,Image group title,Create video\n" + rows)
    assert [(g["title"], g["createVideo"], g["objectUrl_1"]) for g in spec["image_groups"]] == [
        (titles[0], create_video, "https://storage/frame2.jpg"), (titles[1], create_video, "https://storage/frame4.jpg")]


def test_seed_dicom_example():
    spec = csv_to_spec("ObjectUrl,Series title\n" + "".join(
        f"https://storage/frame{i}.dcm,dicom series {(i + 1) // 2}\n" for i in range(1, 6)))
    assert [(s["title"], len(s)) for s in spec["dicom_series"]] == [
        ("dicom series 1", 3), ("dicom series 2", 3), ("dicom series 3", 2)]


def test_seed_multiple_types_example_puts_its_video_under_an_image_title_header_so_it_becomes_an_image():
    spec = csv_to_spec(
        "ObjectUrl,Image group title,Create video\n"
        "https://storage/frame1.jpg,Sequence 1,true\nhttps://storage/frame2.jpg,Sequence 1,true\n"
        "https://storage/frame3.jpg,Sequence 2,true\nhttps://storage/frame4.jpg,Sequence 2,true\n"
        "https://storage/frame5.jpg,Group 1,false\nhttps://storage/frame6.jpg,Group 1,false\n"
        "ObjectUrl,Image title,Create video\nhttps://storage/frame1.jpg,Image 1,false\n"
        "ObjectUrl,Image title,Create video\nhttps://storage/video.mp4,Video 1,false\n")
    assert [(g["title"], g["createVideo"]) for g in spec["image_groups"]] == [
        ("Sequence 1", True), ("Sequence 2", True), ("Group 1", False)]
    assert spec["images"] == [{"objectUrl": "https://storage/frame1.jpg", "title": "Image 1"},
                              {"objectUrl": "https://storage/video.mp4", "title": "Video 1"}]
    assert "videos" not in spec
