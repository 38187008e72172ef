"""Labels of PDFs (per page), text and HTML files (character ranges) and audio (millisecond ranges), through the real
SDK, on media ingested from a bucket and uploaded from local files; the save checks hold them to the media."""

import media_factory as mf
import pytest
from encord.exceptions import CorruptedLabelError
from encord.objects import Classification, Object, OntologyStructure, Shape
from encord.objects.attributes import RadioAttribute
from encord.objects.coordinates import AudioCoordinates, BoundingBoxCoordinates, HtmlCoordinates, TextCoordinates
from encord.objects.frames import Range
from encord.objects.html_node import HtmlNode, HtmlRange
from encord.orm.dataset import StorageLocation

BUCKET = "documents"
TEXT = "The quick brown fox jumps over the lazy dog."
HTML = "<html><body><p>Hello <b>world</b></p></body></html>"


def build_ontology() -> OntologyStructure:
    structure = OntologyStructure()
    structure.add_object("Signature", Shape.BOUNDING_BOX)
    structure.add_object("Animal", Shape.TEXT)
    structure.add_object("Speech", Shape.AUDIO)
    language = structure.add_classification().add_attribute(RadioAttribute, "Language")
    language.add_option("English")
    language.add_option("French")
    return structure


def project_of(client, dataset):
    ontology = client.create_ontology("Documents", structure=build_ontology())
    return client.get_project(client.create_project("Documents", [dataset.dataset_hash],
                                                    ontology_hash=ontology.ontology_hash))


@pytest.fixture
def from_bucket(emulator):
    """A 2-page PDF, a text file, an HTML file and a 1-second WAV ingested from a bucket, in a labelling project."""
    client = emulator.user_client("labeller@example.com")
    integration = emulator.add_integration("documents", "AWS", [BUCKET])
    for key, data in {"contract.pdf": mf.pdf(pages=2), "fox.txt": mf.text(TEXT), "page.html": mf.text(HTML),
                      "speech.wav": mf.wav(seconds=1.0)}.items():
        emulator.put_object(BUCKET, key, data)
    dataset = client.get_dataset(client.create_dataset("Documents", StorageLocation.AWS).dataset_hash)
    dataset.add_private_data_to_dataset(integration["id"], {
        "pdf": [{"objectUrl": f"s3://{BUCKET}/contract.pdf"}],
        "text": [{"objectUrl": f"s3://{BUCKET}/fox.txt"}, {"objectUrl": f"s3://{BUCKET}/page.html"}],
        "audio": [{"objectUrl": f"s3://{BUCKET}/speech.wav"}]})
    return project_of(client, dataset)


@pytest.fixture
def uploaded(encord_emulator, tmp_path):
    """The same media uploaded from local files to a storage folder and linked into a dataset."""
    client = encord_emulator.user_client("labeller@example.com")
    folder = client.create_storage_folder("Documents")
    for name, data in {"contract.pdf": mf.pdf(pages=2), "fox.txt": mf.text(TEXT), "page.html": mf.text(HTML),
                       "speech.wav": mf.wav(seconds=1.0)}.items():
        (tmp_path / name).write_bytes(data)
    items = [folder.upload_pdf(tmp_path / "contract.pdf"), folder.upload_text(tmp_path / "fox.txt"),
             folder.upload_text(tmp_path / "page.html"), folder.upload_audio(tmp_path / "speech.wav")]
    dataset = client.get_dataset(client.create_dataset("Documents", StorageLocation.CORD_STORAGE).dataset_hash)
    dataset.link_items(items)
    return project_of(client, dataset)


def row(project, title):
    label_row = next(r for r in project.list_label_rows_v2() if r.data_title == title)
    label_row.initialise_labels()
    return label_row


def signature(label_row, page: int):
    instance = label_row.ontology_structure.get_child_by_title("Signature", type_=Object).create_instance()
    instance.set_for_frames(BoundingBoxCoordinates(height=0.1, width=0.3, top_left_x=0.6, top_left_y=0.8), frames=page)
    label_row.add_object_instance(instance)
    return instance


def ranged(label_row, title: str, coordinates):
    instance = label_row.ontology_structure.get_child_by_title(title, type_=Object).create_instance()
    instance.set_for_frames(coordinates)
    label_row.add_object_instance(instance)
    return instance


def language(label_row, ranges):
    structure = label_row.ontology_structure
    instance = structure.get_child_by_title("Language", type_=Classification).create_instance(range_only=True)
    instance.set_answer(structure.get_child_by_title("English"))
    instance.set_for_frames(ranges)
    label_row.add_classification_instance(instance)
    return instance


def test_pdf_pages_text_html_and_audio_ranges_are_labelled_saved_and_read_back(from_bucket):
    project = from_bucket
    pdf, text, html, audio = (row(project, t) for t in ("contract.pdf", "fox.txt", "page.html", "speech.wav"))
    assert [(r.data_type.value, r.number_of_frames, r.file_type) for r in (pdf, text, html, audio)] == [
        ("pdf", 2, "application/pdf"), ("plain_text", 1, "text/plain"), ("plain_text", 1, "text/html"),
        ("audio", 1, "audio/wav")]
    assert audio.duration == 1.0
    signature(pdf, page=1)
    ranged(text, "Animal", TextCoordinates(range=[Range(16, 19), Range(40, 43)]))
    word = ranged(html, "Animal", HtmlCoordinates(range=[HtmlRange(
        start=HtmlNode(xpath="/html/body/p/b", offset=0), end=HtmlNode(xpath="/html/body/p/b", offset=5))]))
    ranged(audio, "Speech", AudioCoordinates(range=[Range(100, 600)]))
    language(audio, [Range(0, 1000)])
    for label_row in (pdf, text, html, audio):
        label_row.save()
    pdf, text, html, audio = (row(project, t) for t in ("contract.pdf", "fox.txt", "page.html", "speech.wav"))
    [on_page] = pdf.get_object_instances()
    assert [a.frame for a in on_page.get_annotations()] == [1]
    assert on_page.get_annotation(1).coordinates.top_left_x == 0.6
    assert [(r.start, r.end) for r in text.get_object_instances()[0].range_list] == [(16, 19), (40, 43)]
    [read_word] = html.get_object_instances()
    assert [r.to_dict() for r in read_word.range_html] == [r.to_dict() for r in word.range_html]
    assert [(r.start, r.end) for r in audio.get_object_instances()[0].range_list] == [(100, 600)]
    [classified] = audio.get_classification_instances()
    assert [(r.start, r.end) for r in classified.range_list] == [(0, 1000)]


def test_a_label_on_a_page_beyond_the_pdf_is_refused(uploaded):
    pdf = row(uploaded, "contract.pdf")
    signature(pdf, page=2)
    with pytest.raises(CorruptedLabelError) as e:
        pdf.save()
    assert e.value.message == (f"The label blurb is corrupted.\ndata_units/{pdf.data_hash}/labels: frame 2 is outside "
                               "the media (it has 2 frames).")
    assert row(uploaded, "contract.pdf").get_object_instances() == []


@pytest.mark.parametrize("title, label, outside", [
    ("fox.txt", lambda r: ranged(r, "Animal", TextCoordinates(range=[Range(40, 45)])), "characters 0 to 44"),
    ("speech.wav", lambda r: ranged(r, "Speech", AudioCoordinates(range=[Range(900, 1001)])),
     "milliseconds 0 to 1000"),
    ("speech.wav", lambda r: language(r, [Range(0, 1500)]), "milliseconds 0 to 1000"),
])
def test_ranges_beyond_the_text_or_the_audio_are_refused(uploaded, title, label, outside):
    label_row = row(uploaded, title)
    instance = label(label_row)
    part, instance_hash = (("object_answers", instance.object_hash) if hasattr(instance, "object_hash")
                           else ("classification_answers", instance.classification_hash))
    with pytest.raises(CorruptedLabelError) as e:
        label_row.save()
    [(start, end)] = [(r.start, r.end) for r in instance.range_list]
    assert e.value.message == (f"The label blurb is corrupted.\n{part}/{instance_hash}: range [{start}, {end}] is "
                               f"outside the media ({outside}).")
    again = row(uploaded, title)
    assert again.get_object_instances() == [] and again.get_classification_instances() == []


def test_ranges_reaching_the_end_of_the_text_and_the_audio_are_kept(uploaded):
    text, audio = row(uploaded, "fox.txt"), row(uploaded, "speech.wav")
    ranged(text, "Animal", TextCoordinates(range=[Range(0, len(TEXT))]))
    ranged(audio, "Speech", AudioCoordinates(range=[Range(0, 1000)]))
    text.save()
    audio.save()
    assert [(r.start, r.end) for r in row(uploaded, "fox.txt").get_object_instances()[0].range_list] == [
        (0, len(TEXT))]
    assert [(r.start, r.end) for r in row(uploaded, "speech.wav").get_object_instances()[0].range_list] == [
        (0, 1000)]


def html_range(start: tuple[str, int], end: tuple[str, int]) -> HtmlCoordinates:
    return HtmlCoordinates(range=[HtmlRange(start=HtmlNode(xpath=start[0], offset=start[1]),
                                            end=HtmlNode(xpath=end[0], offset=end[1]))])


def test_an_html_range_from_one_node_into_another_is_kept(uploaded):
    html = row(uploaded, "page.html")
    ranged(html, "Animal", html_range(("/html/body/p", 0), ("/html[1]/body[1]/p[1]/b[1]", 5)))
    html.save()
    [read] = row(uploaded, "page.html").get_object_instances()
    assert [r.to_dict() for r in read.range_html] == [{"start": {"xpath": "/html/body/p", "offset": 0},
                                                        "end": {"xpath": "/html[1]/body[1]/p[1]/b[1]", "offset": 5}}]


@pytest.mark.parametrize("start, end, fault", [
    (("/html/body/p/i", 0), ("/html/body/p/b", 5), "range node /html/body/p/i is not an element of the media."),
    (("/html/body/p/b", 0), ("/html/body/p/b", 6),
     "range offset 6 in /html/body/p/b is outside the media (characters 0 to 5 of that node)."),
    (("/html/body/p/b", 5), ("/html/body/p", 0),
     "range from /html/body/p/b offset 5 to /html/body/p offset 0 starts after it ends."),
])
def test_html_ranges_off_the_nodes_of_the_file_are_refused(uploaded, start, end, fault):
    html = row(uploaded, "page.html")
    instance = ranged(html, "Animal", html_range(start, end))
    with pytest.raises(CorruptedLabelError) as e:
        html.save()
    assert e.value.message == f"The label blurb is corrupted.\nobject_answers/{instance.object_hash}: {fault}"
    assert row(uploaded, "page.html").get_object_instances() == []
