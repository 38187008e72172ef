"""mock_encord's two front doors answer alike: the direct door (the SDK's endpoints reached from the responses
callback, as mock_encord answers) and the WSGI app (as the server answers, and as mock_encord answers whatever the
direct door leaves to it). Existing SDK tests run twice in-process, once through each door (see
tests/front_door_recorder.py); every answer, each status, Content-Type, Retry-After and JSON body, must be the same once
what each run generates afresh (ids, keys, times, signatures) is named by its order of first appearance. Together
the tests run reach every route of COVERAGE.md."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from emulator.app import all_routes

TESTS = Path(__file__).resolve().parent
# Chosen so that together they send every wire COVERAGE.md lists, quickly.
SCENARIOS = [
    "tests/test_legacy_dialects.py",
    "tests/test_datasets.py",
    "tests/test_data_row_edits.py",
    "tests/test_integrations.py",
    "tests/test_collaborators.py",
    "tests/test_dataset_users.py::test_an_added_user_is_listed_reads_the_dataset_and_is_removed",
    "tests/test_organisation.py::test_registered_users_belong_to_the_organisation_and_an_admin_adds_and_removes_members",
    "tests/test_groups.py::test_a_group_is_made_found_listed_changed_and_deleted",
    "tests/test_groups.py::test_groups_are_given_listed_and_taken_from_each_kind_of_resource",
    "tests/test_organisation_tags.py::test_tags_are_made_attached_read_detached_and_deleted",
    "tests/test_organisation_tags.py::test_the_tags_on_the_path_of_releases_up_to_0_1_204",
    "tests/test_metadata_schema.py::test_a_saved_schema_is_read_back_by_every_member_and_in_the_legacy_types",
    "tests/test_auth.py::test_bearer_token_authenticates_both_families",
    *(f"tests/test_labels.py::{name}" for name in (
        "test_ontology_round_trips_and_is_listed", "test_ontology_save_updates_it",
        "test_project_holds_its_datasets_ontology_and_workflow", "test_datasets_are_added_and_removed",
        "test_listing_filters_by_workflow_stage_title_and_task_status", "test_branches_hold_their_own_labels",
        "test_labels_saved_by_one_client_are_read_back_by_another", "test_validate_before_saving_checks_required_attributes",
        "test_signed_links_return_the_objects_bytes_and_refuse_tampering", "test_priorities_show_in_the_listing",
        "test_task_actions_move_tasks_through_the_workflow")),
    "tests/test_task_moves.py::test_a_task_moves_to_complete_and_back_to_annotate_reopened",
    "tests/test_workflow_templates.py::test_a_task_agent_labels_tasks_and_routes_them_down_pathways",
    "tests/test_project_copies.py::test_a_copy_with_datasets_collaborators_and_labels",
    "tests/test_dataset_data_deletion.py::test_deleted_data_leaves_the_dataset_its_projects_and_encord_storage",
    "tests/test_label_classifications.py::test_each_rows_classification_answers_are_read_in_one_request",
    "tests/test_project_ontology_edits.py::test_added_features_reach_every_project_of_the_ontology_and_label",
    "tests/test_branch_copies.py::test_main_is_copied_to_a_new_branch_and_overwritten_only_when_asked",
    *(f"tests/test_reviews_and_issues.py::{name}" for name in (
        "test_each_submitted_label_is_reviewed_and_approved_rejected_or_reopened",
        "test_issues_are_anchored_to_a_task_tagged_listed_and_deleted")),
    *(f"tests/test_branches_and_logs.py::{name}" for name in (
        "test_list_branches_names_main_and_every_branch_labelled_on",
        "test_label_logs_record_saves_and_workflow_actions_and_filter_as_asked",
        "test_editor_logs_are_empty_for_there_is_no_editor_and_span_at_most_30_days")),
    *(f"tests/test_analytics.py::{name}" for name in (
        "test_each_workflow_action_is_a_task_action_of_its_stage_and_actor",
        "test_time_spent_is_reported_per_day_user_task_and_stage",
        "test_collaborator_timers_per_data_unit_or_over_the_project")),
    "tests/test_interpolation.py::test_tracked_objects_are_filled_in_between_their_key_frames",
    "tests/test_deidentification.py::test_start_and_poll_write_to_the_upload_directory",
    "tests/test_cloud_synced_folders.py::test_a_file_that_cannot_be_read_is_an_error_of_the_sync_and_the_rest_land",
    *(f"tests/test_ml_models.py::{name}" for name in (
        "test_no_model_can_be_created_so_none_is_listed_or_attached",
        "test_an_unknown_model_is_not_found_and_anothers_project_refused")),
    "tests/test_cvat_import.py::test_an_export_of_no_ingestible_image_fails_with_its_issues",
    *(f"tests/test_storage_folders.py::{name}" for name in (
        "test_json_spec_uploads_items_into_the_folder", "test_cancelling_a_folder_job_through_the_sdk",
        "test_items_are_searched_filtered_by_type_and_ordered", "test_get_storage_item_its_signed_url_and_refetch")),
    *(f"tests/test_storage_management.py::{name}" for name in (
        "test_list_subfolders_lists_direct_children_and_find_subfolders_searches_below",
        "test_folder_update_changes_only_what_is_given_and_persists",
        "test_item_update_changes_only_what_is_given_and_persists",
        "test_item_delete_and_delete_storage_items_remove_items_from_the_folder",
        "test_folder_delete_removes_an_empty_folder",
        "test_get_storage_items_returns_the_items_asked_and_refuses_unknown_or_anothers")),
    *(f"tests/test_data_groups.py::{name}" for name in (
        "test_a_grid_data_group_holds_its_items_in_order", "test_groups_and_items_link_to_a_dataset_as_data_rows",
        "test_metadata_ingestion_is_enabled_in_the_folder_config_by_its_admins",
        "test_videos_are_re_encoded_at_once_and_other_items_are_refused",
        "test_a_datasets_videos_are_re_encoded_at_once")),
    *(f"tests/test_local_uploads.py::{name}" for name in (
        "test_dataset_upload_image_reads_back_with_its_bytes",
        "test_folder_upload_image_becomes_the_item_its_upload_reserved")),
    *(f"tests/test_storage_search_and_moves.py::{name}" for name in (
        "test_find_storage_folders_searches_every_level", "test_find_storage_items_searches_every_folder_the_user_may_see",
        "test_move_items_to_folder_and_item_move_to_folder_move_items",
        "test_folder_move_to_folder_moves_it_and_back_to_the_top_level",
        "test_folder_get_summary_counts_what_the_folder_holds", "test_item_get_summary_names_the_datasets_it_backs",
        "test_bundled_folder_and_item_updates_change_each_in_one_call")),
    *(f"tests/test_collections.py::{name}" for name in (
        "test_collections_are_created_got_listed_updated_and_deleted", "test_items_are_added_listed_and_removed",
        "test_items_are_added_by_data_title_and_ambiguous_titles_are_answered_back",
        "test_presets_are_created_got_listed_updated_and_deleted",
        "test_items_a_presets_client_metadata_filter_matches_are_added_and_removed")),
    *(f"tests/test_project_collections.py::{name}" for name in (
        "test_project_collections_are_created_got_listed_updated_and_deleted",
        "test_frames_are_collected_listed_and_removed",
        "test_project_filter_presets_are_created_got_listed_updated_and_deleted",
        "test_a_project_is_imported_into_active_and_synced",
        "test_a_presets_client_metadata_filter_collects_the_frames_and_labels_of_matching_units")),
    "tests/test_point_clouds.py::test_a_scene_file_from_local_disk_is_labelled_with_cuboids_3d_points_and_polylines",
]
GENERATED = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # ids
    r"|[0-9a-f]{32,}"  # keys, digests and signatures in hex
    r"|(?<=[=\"])[A-Za-z0-9_-]{40,}(?=[&\"])"  # bearer tokens, URL signatures
    r"|(?<=\")[0-9a-f]{8}(?=\")"  # the SDK's feature and object hashes
    r"|(?<=Hash\":\")[A-Za-z0-9+/]{8}(?=\")|(?<=\")[A-Za-z0-9+/]{8}(?=\":\{)|(?<=object_answers/)[A-Za-z0-9+/]{8}"
    r"|(?<=labelId\":\")[A-Za-z0-9+/]{8}(?=\")|(?<=annotationId\":\")[A-Za-z0-9+/]{8}(?=\")"  # label reviews, issues
    r"|(?<=label_id\":\")[A-Za-z0-9+/]{8}(?=\")|(?<=annotation_id\":\")[A-Za-z0-9+/]{8}(?=\")"  # in the state
    r"|(?<=identifier\":\")[A-Za-z0-9+/]{8}(?=\")"  # label logs
)
# Values of the moment (times, expiries) and of media encoded afresh: all alike, since two runs need not meet the same
# ones in the same order (two times of one run may fall in the same millisecond, and not in the other run).
MOMENTARY = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"  # times
    r"|(?:[A-Z][a-z]{2}, )?\d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}(?: GMT)?"
    r"|(?<=[eE]xpires=)\d+"
    r"|(?<=\"size\":)\d+"
    r"|(?<=\"duration_ms\":)[\d.]+"
    r"|(?<=deid_)\d+(?=_)"  # the moment a DICOM file was de-identified, in its new name
)


def recorded(tmp_path: Path, doors=("direct", "wsgi")) -> list[list[dict]]:
    """The scenarios run once through each door, the runs side by side (each in its own process)."""
    runs = []
    for door in doors:
        env = {**os.environ, "FRONT_DOOR": door, "FRONT_DOOR_RECORD": str(tmp_path / f"{door}.json"),
               "PYTHONPATH": os.pathsep.join([str(TESTS.parent), str(TESTS), os.environ.get("PYTHONPATH", "")])}
        runs.append(subprocess.Popen(
            [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "front_door_recorder", "-p", "no:randomly",
             "-p", "no:cacheprovider", "-k", "not server", *SCENARIOS],
            cwd=TESTS.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    for run in runs:
        output, _ = run.communicate(timeout=600)
        assert run.returncode == 0, output[-3000:]
    return [json.loads((tmp_path / f"{door}.json").read_text("utf-8")) for door in doors]


def canonical(exchanges: list[dict]) -> list[dict]:
    """Each generated value named by the order in which its test first met it; each momentary one as such."""
    names: dict[str, dict[str, str]] = {}
    found = []
    for exchange in exchanges:
        named = names.setdefault(exchange["test"], {})

        def name(text: str) -> str:
            # JSON written compactly (the emulator's answers) or spaced (the control API's, the SDK's requests)
            text = MOMENTARY.sub("<momentary>", text.replace('": ', '":'))
            return GENERATED.sub(lambda m: named.setdefault(m.group(), f"<{len(named)}>"), text)

        found.append({**exchange, "url": name(unquote(exchange["url"])), "body": name(exchange.get("body", ""))})
    return found


@pytest.mark.long
def test_both_front_doors_answer_every_route_alike(tmp_path):
    direct, wsgi = (canonical(run) for run in recorded(tmp_path))
    assert [(e["test"], e["method"], e["url"]) for e in direct] == [(e["test"], e["method"], e["url"]) for e in wsgi]
    for through_direct, through_wsgi in zip(direct, wsgi):
        assert through_direct == through_wsgi
    assert {e["operation"] for e in direct} >= all_routes().wires()
