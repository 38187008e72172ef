"""Index collections of storage items and filter presets, through the real SDK."""

from uuid import UUID

import media_factory as mf
import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError
from encord.collection import Collection
from encord.filter_preset import FilterPreset
from encord.orm.filter_preset import FilterDefinition
from encord.storage import StorageItem, StorageItemInaccessible

BUCKET = "collections-bucket"
MISSING = "00000000-0000-0000-0000-000000000001"
NOT_FOUND = "The requested resource was not found."
FILTERS = {"local_filters": {"00000000-0000-0000-0000-000000000000": {"filters": [{"key": "data_type"}]}},
           "global_filters": {"filters": []}}


def names(listed) -> list[str]:
    return [x.name for x in listed]


def upload(emulator, folder, integration, *keys: str) -> list[StorageItem]:
    for key in keys:
        emulator.put_object(BUCKET, key, mf.png())
    job = folder.add_private_data_to_folder_start(integration["id"], {"images": [
        {"objectUrl": f"gs://{BUCKET}/{key}", "title": key.split("/")[-1], "clientMetadata": {"key": key}}
        for key in keys]})
    landed = folder.add_private_data_to_folder_get_result(job, timeout_seconds=30).items_with_names
    return [StorageItem._get_item(folder._api_client, UUID(str(i.item_uuid)), False) for i in landed]


def build_library(emulator):
    """Top-level Library (a.png, b.png; Shelf holds c.png and another b.png) and Elsewhere (d.png)."""
    client = emulator.user_client("curator@example.com")
    integration = emulator.add_integration("curate", "GCP", [BUCKET])
    library = client.create_storage_folder("Library")
    shelf = library.create_subfolder("Shelf")
    elsewhere = client.create_storage_folder("Elsewhere")
    a, b = upload(emulator, library, integration, "a.png", "b.png")
    c, b2 = upload(emulator, shelf, integration, "c.png", "shelf/b.png")
    [d] = upload(emulator, elsewhere, integration, "d.png")
    return emulator, client, library, shelf, elsewhere, {"a": a, "b": b, "c": c, "b2": b2, "d": d}


@pytest.fixture
def library(encord_emulator):
    return build_library(encord_emulator)


@pytest.fixture
def library_both_modes(emulator):
    return build_library(emulator)


# -- collections --------------------------------------------------------------------------------------------------------

def test_collections_are_created_got_listed_updated_and_deleted(library_both_modes):
    emulator, client, library, shelf, elsewhere, items = library_both_modes
    picks = client.create_collection(library.uuid, "Picks", "the best")
    assert (picks.name, picks.description, picks.top_level_folder_uuid) == ("Picks", "the best", library.uuid)
    assert picks.created_at is not None
    other = client.create_collection(elsewhere.uuid, "Other")
    assert client.get_collection(str(picks.uuid)).name == "Picks"
    assert names(client.list_collections()) == ["Picks", "Other"]
    assert names(client.list_collections(top_level_folder_uuid=elsewhere.uuid)) == ["Other"]
    assert names(client.list_collections(collection_uuids=[other.uuid])) == ["Other"]
    picks.update_collection(name="Top picks")
    again = client.get_collection(picks.uuid)
    assert (again.name, again.description) == ("Top picks", "the best")
    client.delete_collection(other.uuid)
    assert names(client.list_collections()) == ["Top picks"]
    with pytest.raises(AuthorisationError) as e:
        client.get_collection(other.uuid)
    assert e.value.message == "No collection found"  # the SDK's own words, for an empty answer


def test_items_are_added_listed_and_removed(library_both_modes):
    emulator, client, library, shelf, elsewhere, items = library_both_modes
    picks = client.create_collection(library.uuid, "Picks")
    result = picks.add_items([items["c"].uuid, str(items["a"].uuid), items["d"].uuid, UUID(MISSING)])
    assert result.failed_items == [items["d"].uuid, UUID(MISSING)]  # d is another top-level folder's; one is unknown
    assert picks.add_items([items["a"].uuid]).failed_items == []  # already in: kept once
    listed = list(picks.list_items())
    assert [i.name for i in listed] == ["c.png", "a.png"]
    assert [i.client_metadata for i in listed] == [None, None]
    assert [i.client_metadata for i in picks.list_items(include_client_metadata=True)] == [
        {"key": "c.png"}, {"key": "a.png"}]
    assert [i.uuid for i in picks.list_items_include_inaccessible()] == [items["c"].uuid, items["a"].uuid]
    assert picks.remove_items([items["c"].uuid, items["b"].uuid]).failed_items == [items["b"].uuid]
    assert names(picks.list_items()) == ["a.png"]


def test_items_are_added_by_data_title_and_ambiguous_titles_are_answered_back(library_both_modes):
    emulator, client, library, shelf, elsewhere, items = library_both_modes
    picks = client.create_collection(library.uuid, "Picks")
    result = picks.add_items_by_title(["a.png", "b.png", "c.png", "d.png", "a.png", "nothing.png"])
    assert (result.requested, result.matched_titles, result.items_added) == (5, 2, 2)
    assert (result.ambiguous_titles, result.unmatched_titles, result.failed_items) == (
        ["b.png"], ["d.png", "nothing.png"], [])  # b.png names two items; d.png is in another top-level folder
    assert sorted(names(picks.list_items())) == ["a.png", "c.png"]
    assert picks.add_items_by_title(["a.png"]).items_added == 0  # already in the collection
    with pytest.raises(TypeError):
        picks.add_items_by_title("a.png")


def metadata_filter(include: bool, *values: str) -> dict:
    """A preset of one client metadata filter, in the form Encord's documentation shows."""
    return {"local_filters": {"00000000-0000-0000-0000-000000000000": {"filters": []}},
            "global_filters": {"filters": [{"key": "key", "include": include, "values": list(values),
                                            "type": "string"}]}}


def test_items_a_presets_client_metadata_filter_matches_are_added_and_removed(library_both_modes):
    emulator, client, library, shelf, elsewhere, items = library_both_modes
    picks = client.create_collection(library.uuid, "Picks")
    picks.add_preset_items(client.create_preset("Some", metadata_filter(True, "a.png", "shelf/b.png", "d.png")))
    # d.png matches but is another top-level folder's; shelf/b.png is in a subfolder of the collection's folder
    assert sorted(i.client_metadata["key"] for i in picks.list_items(include_client_metadata=True)) == [
        "a.png", "shelf/b.png"]
    picks.remove_preset_items(client.create_preset("Not a", metadata_filter(False, "a.png")).uuid)
    assert names(picks.list_items()) == ["a.png"]


def test_a_preset_filter_of_an_unpublished_form_is_refused_and_collects_nothing(library):
    emulator, client, library, shelf, elsewhere, items = library
    picks = client.create_collection(library.uuid, "Picks")
    with pytest.raises(InvalidArgumentsError) as e:
        picks.add_preset_items(client.create_preset("By type", FILTERS))
    assert e.value.message == (
        'filter 0 of the preset, {"key": "data_type"}, is not one the emulator applies: it applies client metadata '
        'filters ({"key", "include", "values", "type"}, as Encord\'s documentation shows them); the rest of the '
        "filter language is not published.")
    assert list(picks.list_items()) == []
    stranger = emulator.user_client("stranger@example.com")
    with pytest.raises(AuthorisationError) as e:
        picks.add_preset_items(stranger.create_preset("Theirs", metadata_filter(True, "a.png")))
    assert e.value.message.startswith("You are not authorised to access the filter preset ")


def test_items_the_user_may_not_see_are_listed_as_inaccessible(library):
    emulator, client, library, shelf, elsewhere, items = library
    picks = client.create_collection(library.uuid, "Picks")
    picks.add_items([items["a"].uuid, items["c"].uuid])
    reader = emulator.user_client("reader@example.com")
    theirs = Collection(reader._api_client, picks._collection_instance)
    with pytest.raises(AuthorisationError) as e:
        list(theirs.list_items())
    assert e.value.message == f"You are not authorised to access the collection {picks.uuid}."
    emulator.share("storage_folder", str(library.uuid), "reader@example.com")  # Library, not its Shelf
    assert names(theirs.list_items()) == ["a.png"]
    listed = list(theirs.list_items_include_inaccessible())
    assert [type(i) for i in listed] == [StorageItem, StorageItemInaccessible]
    assert [i.uuid for i in listed] == [items["a"].uuid, items["c"].uuid]
    assert [type(i) for i in picks.list_items_include_inaccessible()] == [StorageItem, StorageItem]
    items["c"].delete()
    assert [i.uuid for i in picks.list_items_include_inaccessible()] == [items["a"].uuid]  # a deleted item is gone


def test_collections_of_unknown_or_anothers_folders_are_refused(library):
    emulator, client, library, shelf, elsewhere, items = library
    with pytest.raises(InvalidArgumentsError) as e:
        client.create_collection(shelf.uuid, "In a subfolder")
    assert e.value.message == f"topLevelFolderUuid: storage folder {shelf.uuid} is not a top-level folder."
    with pytest.raises(ResourceNotFoundError) as e:
        client.create_collection(UUID(MISSING), "Nowhere")
    assert e.value.message == NOT_FOUND
    stranger = emulator.user_client("stranger@example.com")
    with pytest.raises(AuthorisationError) as e:
        stranger.create_collection(library.uuid, "Not mine")
    assert e.value.message == f"You are not authorised to access the storage folder {library.uuid}."
    picks = client.create_collection(library.uuid, "Picks")
    with pytest.raises(AuthorisationError) as e:
        list(stranger.list_collections(top_level_folder_uuid=library.uuid))
    assert e.value.message == f"You are not authorised to access the storage folder {library.uuid}."
    assert list(stranger.list_collections()) == []
    with pytest.raises(AuthorisationError) as e:
        stranger.get_collection(picks.uuid)
    assert e.value.message == "No collection found"
    theirs = Collection(stranger._api_client, picks._collection_instance)
    for act in (lambda: theirs.update_collection(name="Mine"), lambda: stranger.delete_collection(picks.uuid),
                lambda: theirs.add_items([items["a"].uuid]), lambda: theirs.remove_items([items["a"].uuid])):
        with pytest.raises(AuthorisationError) as e:
            act()
        assert e.value.message == f"You are not authorised to access the collection {picks.uuid}."
    with pytest.raises(ResourceNotFoundError) as e:
        client.delete_collection(MISSING)
    assert e.value.message == NOT_FOUND
    assert client.get_collection(picks.uuid).name == "Picks"


# -- filter presets -----------------------------------------------------------------------------------------------------

def test_presets_are_created_got_listed_updated_and_deleted(emulator):
    client = emulator.user_client("presets@example.com")
    images = client.create_preset("Images", FILTERS, description="only images")
    assert (images.name, images.description) == ("Images", "only images")
    videos = client.create_preset("Videos", FILTERS)
    assert client.get_filter_preset(str(images.uuid)).name == "Images"
    assert names(client.get_filter_presets([images.uuid, videos.uuid])) == ["Images", "Videos"]
    assert names(client.list_presets()) == ["Images", "Videos"]
    definition = images.get_filter_preset_json()
    assert definition.global_filters == FilterDefinition(filters=[])
    assert definition.to_dict() == FILTERS
    new_filters = {"local_filters": {}, "global_filters": {"filters": [{"key": "width", "min": 10}]}}
    images.update_preset(name="Wide images", filter_preset_json=new_filters)
    again = client.get_filter_preset(images.uuid)
    assert (again.name, again.description) == ("Wide images", "only images")  # an unchanged description stays
    assert again.get_filter_preset_json().to_dict() == new_filters
    client.delete_preset(videos.uuid)
    assert names(client.list_presets()) == ["Wide images"]
    with pytest.raises(AuthorisationError) as e:
        client.get_filter_preset(videos.uuid)
    assert e.value.message == "Preset not found"


def test_presets_of_unknown_or_another_user_are_refused(encord_emulator):
    client = encord_emulator.user_client("presets@example.com")
    preset = client.create_preset("Mine", FILTERS)
    stranger = encord_emulator.user_client("stranger@example.com")
    assert list(stranger.list_presets()) == [] and list(stranger.get_filter_presets([preset.uuid])) == []
    theirs = FilterPreset(stranger._api_client, preset._preset_instance)
    for act in (theirs.get_filter_preset_json, lambda: theirs.update_preset(name="Stolen"),
                lambda: stranger.delete_preset(preset.uuid)):
        with pytest.raises(AuthorisationError) as e:
            act()
        assert e.value.message == f"You are not authorised to access the filter preset {preset.uuid}."
    with pytest.raises(ResourceNotFoundError) as e:
        client.delete_preset(MISSING)
    assert e.value.message == NOT_FOUND
    folder = client.create_storage_folder("Presets")
    with pytest.raises(AuthorisationError) as e:
        list(stranger.list_presets(top_level_folder_uuid=folder.uuid))
    assert e.value.message == f"You are not authorised to access the storage folder {folder.uuid}."
    assert list(client.list_presets(top_level_folder_uuid=folder.uuid)) == []  # presets made by the SDK have none
    assert client.get_filter_preset(preset.uuid).name == "Mine"
