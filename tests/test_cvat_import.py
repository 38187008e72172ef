"""A CVAT "for images 1.1" export imported through the real SDK, as Encord's documentation shows: the SDK uploads the
export's images, creates the dataset and starts the import; the import makes the ontology from the CVAT labels, the
project and the label rows, with CVAT's pixel coordinates normalised to the image size."""

import media_factory as mf
import pytest
from encord.exceptions import InvalidArgumentsError, ResourceNotFoundError
from encord.objects import ChecklistAttribute, RadioAttribute, TextAttribute
from encord.orm.dataset import StorageLocation
from encord.orm.project import ReviewMode
from encord.utilities.client_utilities import CvatImporterError, CvatImporterSuccess, LocalImport

ANNOTATIONS = """<?xml version="1.0" encoding="utf-8"?>
<annotations>
  <version>1.1</version>
  <meta><task><name>Orchard</name><labels>
    <label><name>Apple</name><type>any</type><attributes>
      <attribute><name>Ripeness</name><mutable>False</mutable><input_type>select</input_type>
        <default_value>green</default_value><values>green
red</values></attribute>
      <attribute><name>Bitten</name><mutable>False</mutable><input_type>checkbox</input_type>
        <default_value>false</default_value><values>false</values></attribute>
      <attribute><name>Note</name><mutable>False</mutable><input_type>text</input_type>
        <default_value></default_value><values></values></attribute>
      <attribute><name>Weight</name><mutable>False</mutable><input_type>number</input_type>
        <default_value>0</default_value><values>0
500
1</values></attribute>
    </attributes></label>
    <label><name>Branch</name><type>any</type></label>
    <label><name>Ripe</name><type>tag</type><attributes>
      <attribute><name>Sweetness</name><mutable>False</mutable><input_type>radio</input_type>
        <default_value>sweet</default_value><values>sweet
sour</values></attribute>
    </attributes></label>
  </labels></task></meta>
  <image id="0" name="apple.png" width="40" height="20">
    <box label="Apple" occluded="0" xtl="4" ytl="2" xbr="20" ybr="12">
      <attribute name="Ripeness">red</attribute><attribute name="Bitten">true</attribute>
      <attribute name="Note">windfall</attribute><attribute name="Weight">120</attribute>
    </box>
    <polygon label="Apple" occluded="0" points="0,0;40,0;20,20">
      <attribute name="Ripeness">blue</attribute><attribute name="Bitten">false</attribute>
      <attribute name="Weight">900</attribute><attribute name="Stalk">long</attribute>
    </polygon>
    <polyline label="Branch" occluded="0" points="10,10;30,5"/>
    <points label="Apple" occluded="0" points="20,10"/>
    <tag label="Ripe"><attribute name="Sweetness">sour</attribute></tag>
    <ellipse label="Apple" cx="10" cy="10" rx="2" ry="3"/>
  </image>
  <image id="1" name="pear.png" width="40" height="20"/>
  <image id="2" name="plum.png" width="40" height="20"/>
</annotations>
"""


def cvat_export(directory, annotations=ANNOTATIONS):
    """A task export with its images saved: annotations.xml and images/ beside it."""
    (directory / "images").mkdir()
    (directory / "images" / "apple.png").write_bytes(mf.png(40, 20))
    (directory / "images" / "pear.png").write_bytes(mf.png(40, 20, color=(0, 255, 0)))
    (directory / "annotations.xml").write_text(annotations)
    return LocalImport(file_path=str(directory))


def test_cvat_export_becomes_a_project_with_its_labels(emulator, tmp_path):
    client = emulator.user_client()
    result = client.create_project_from_cvat(cvat_export(tmp_path), "Orchard images")
    assert isinstance(result, CvatImporterSuccess)
    issues = {(i.issue_type, tuple(i.instances)) for i in result.issues.errors + result.issues.warnings}
    assert issues == {("Image in the annotations is missing from the export's images", ("plum.png",)),
                      ("Unsupported shape: ellipse", ("apple.png: Apple",)),
                      ("Attribute value not among its declared values",
                       ("apple.png: Apple: Ripeness=blue", "apple.png: Apple: Weight=900")),
                      ("Attribute not declared for its label", ("apple.png: Apple: Stalk",))}
    project = client.get_project(result.project_hash)
    [project_dataset] = project.list_datasets()
    assert project.title == "Orchard"
    assert str(project_dataset.dataset_hash) in result.dataset_hash  # the SDK renders the whole ProjectDataset here
    dataset = client.get_dataset(str(project_dataset.dataset_hash))
    assert (dataset.title, dataset.storage_location) == ("Orchard images", StorageLocation.CORD_STORAGE)
    assert sorted(row.title for row in dataset.list_data_rows()) == ["apple.png", "pear.png"]
    ontology = project.ontology_structure
    assert sorted((o.name, o.shape.value) for o in ontology.objects) == [
        ("Apple", "bounding_box"), ("Apple", "point"), ("Apple", "polygon"), ("Branch", "polyline")]
    assert [c.attributes[0].name for c in ontology.classifications] == ["Ripe"]
    rows = {row.data_title: row for row in project.list_label_rows_v2()}
    rows["apple.png"].initialise_labels()
    shapes = {(o.ontology_item.name, o.ontology_item.shape.value): o.get_annotations()[0].coordinates
              for o in rows["apple.png"].get_object_instances()}
    box = shapes[("Apple", "bounding_box")]
    assert (box.top_left_x, box.top_left_y, box.width, box.height) == (0.1, 0.1, 0.4, 0.5)
    assert [(v.x, v.y) for v in shapes[("Apple", "polygon")].values] == [(0, 0), (1, 0), (0.5, 1)]
    assert [(v.x, v.y) for v in shapes[("Branch", "polyline")].values] == [(0.25, 0.5), (0.75, 0.25)]
    assert (shapes[("Apple", "point")].x, shapes[("Apple", "point")].y) == (0.5, 0.5)
    [tag] = rows["apple.png"].get_classification_instances()
    assert tag.ontology_item.attributes[0].name == "Ripe"
    rows["pear.png"].initialise_labels()
    assert rows["pear.png"].get_object_instances() == []
    assert {row.workflow_graph_node.title for row in rows.values()} == {"Review 1"}  # labelled: a reviewer approves


def test_cvat_attributes_become_the_ontologys_attributes_and_the_answers(encord_emulator, tmp_path):
    client = encord_emulator.user_client()
    result = client.create_project_from_cvat(cvat_export(tmp_path), "Orchard images")
    project = client.get_project(result.project_hash)
    [row] = [r for r in project.list_label_rows_v2() if r.data_title == "apple.png"]
    row.initialise_labels()
    instances = {o.ontology_item.shape.value: o for o in row.get_object_instances()}
    boxed, polygon = instances["bounding_box"], instances["polygon"]
    ripeness, bitten, note, weight = boxed.ontology_item.attributes
    assert [(type(a), a.name) for a in boxed.ontology_item.attributes] == [
        (RadioAttribute, "Ripeness"), (ChecklistAttribute, "Bitten"), (TextAttribute, "Note"),
        (TextAttribute, "Weight")]
    assert [o.label for o in ripeness.options] == ["green", "red"]
    assert [o.label for o in bitten.options] == ["Bitten"]
    assert boxed.get_answer(ripeness).label == "red"
    assert [o.label for o in boxed.get_answer(bitten)] == ["Bitten"]
    assert (boxed.get_answer(note), boxed.get_answer(weight)) == ("windfall", "120")
    polygon_attributes = {a.name: a for a in polygon.ontology_item.attributes}
    assert polygon.get_answer(polygon_attributes["Ripeness"]) is None  # "blue" is not a declared value
    assert polygon.get_answer(polygon_attributes["Bitten"]) == []  # unchecked
    assert polygon.get_answer(polygon_attributes["Weight"]) is None  # beyond the declared maximum
    assert instances["polyline"].ontology_item.attributes == []  # Branch declares none
    [tag] = row.get_classification_instances()
    [ripe] = tag.ontology_item.attributes
    [sweetness] = ripe.options[0].attributes
    assert (tag.get_answer(ripe).label, tag.get_answer(sweetness).label) == ("Ripe", "sour")


@pytest.mark.parametrize("review_mode, stage", [(ReviewMode.UNLABELLED, "Annotate 1"), (ReviewMode.REVIEWED, "Complete")])
def test_review_mode_places_the_tasks(encord_emulator, tmp_path, review_mode, stage):
    client = encord_emulator.user_client()
    result = client.create_project_from_cvat(cvat_export(tmp_path), "Orchard images", review_mode)
    rows = client.get_project(result.project_hash).list_label_rows_v2()
    assert {row.workflow_graph_node.title for row in rows} == {stage}


def test_boxes_become_polygons_when_asked(encord_emulator, tmp_path):
    client = encord_emulator.user_client()
    result = client.create_project_from_cvat(cvat_export(tmp_path), "Orchard images",
                                             transform_bounding_boxes_to_polygons=True)
    project = client.get_project(result.project_hash)
    assert "bounding_box" not in {o.shape.value for o in project.ontology_structure.objects}
    [row] = [r for r in project.list_label_rows_v2() if r.data_title == "apple.png"]
    row.initialise_labels()
    polygons = [o.get_annotations()[0].coordinates.values for o in row.get_object_instances()
                if o.ontology_item.shape.value == "polygon"]
    assert [(v.x, v.y) for v in polygons[0]] == [(0.1, 0.1), (0.5, 0.1), (0.5, 0.6), (0.1, 0.6)]


def test_an_export_declaring_entities_is_refused(encord_emulator, tmp_path):
    hostile = ANNOTATIONS.replace('<?xml version="1.0" encoding="utf-8"?>',
                                  '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "e">]>')
    with pytest.raises(InvalidArgumentsError) as e:
        encord_emulator.user_client().create_project_from_cvat(cvat_export(tmp_path, hostile), "Hostile")
    assert e.value.message == ("annotationsBase64: not a CVAT for images 1.1 export: it declares a document type or "
                            "entities, which are not accepted.")


def test_an_export_whose_shapes_are_not_numbers_is_refused(encord_emulator, tmp_path):
    broken = ANNOTATIONS.replace('xtl="4"', 'xtl="four"')
    with pytest.raises(InvalidArgumentsError) as e:
        encord_emulator.user_client().create_project_from_cvat(cvat_export(tmp_path, broken), "Broken")
    assert e.value.message == ("annotationsBase64: not a CVAT for images 1.1 export: image 'apple.png' has a size or "
                               "shape coordinates that are not numbers.")


def test_an_export_of_no_ingestible_image_fails_with_its_issues(encord_emulator, tmp_path):
    export = cvat_export(tmp_path)
    (tmp_path / "images" / "apple.png").write_bytes(b"not an image")
    (tmp_path / "images" / "pear.png").unlink()
    result = encord_emulator.user_client().create_project_from_cvat(export, "Broken")
    assert isinstance(result, CvatImporterError)
    assert [i.issue_type for i in result.issues.errors] == ["Image could not be ingested", "No images could be imported"]


def test_another_users_import_is_not_found(encord_emulator, tmp_path):
    owner = encord_emulator.user_client("owner@example.com")
    import_uuid = owner.create_project_from_cvat_start(import_method=cvat_export(tmp_path), dataset_name="Orchard",
                                                       review_mode=ReviewMode.LABELLED,
                                                       transform_bounding_boxes_to_polygons=False)
    with pytest.raises(ResourceNotFoundError) as e:
        encord_emulator.user_client("other@example.com").create_project_from_cvat_get_result(import_uuid)
    assert e.value.message == "The requested resource was not found."  # what the SDK shows of a v2 not-found
    assert isinstance(owner.create_project_from_cvat_get_result(import_uuid), CvatImporterSuccess)
