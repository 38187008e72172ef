"""DataGym's routes under /datagym/ (the client's label-config URLs carry a doubled slash: //api/v1/config/…)."""

from flask import Flask

from emulator.datagym import responses
from emulator.datagym.exceptions import DataGymError

PREFIX = "/datagym"
API = "/api/v1"

routes = [
    ("GET", "/project", responses.list_projects),
    ("GET", "/dataset", responses.list_datasets),
    ("POST", "/dataset", responses.create_dataset),
    ("GET", "/dataset/<dataset_id>", responses.get_dataset),
    ("POST", "/project/<project_id>/dataset/<dataset_id>", responses.add_dataset),
    ("DELETE", "/project/<project_id>/dataset/<dataset_id>/remove", responses.remove_dataset),
    ("POST", "/media/<dataset_id>/url", responses.media_from_urls),
    ("POST", "/media/<dataset_id>/file", responses.upload_media),
    ("GET", "/media/<media_id>", responses.download_media),
    ("DELETE", "/media/<media_id>", responses.delete_media),
    ("POST", "/project/<project_id>/prediction", responses.import_labels),
    ("GET", "/export/<project_id>", responses.export_labels),
    ("DELETE", "/config/<config_id>", responses.clear_label_config),
    ("PUT", "/config/<config_id>", responses.set_label_config),
]

control_routes = [
    ("POST", "/tokens", responses.control_token),
    ("POST", "/projects", responses.control_project),
    ("POST", "/projects/<project_id>/tasks/<media_id>", responses.control_task_state),
]


def install(app: Flask) -> None:
    for method, rule, view in routes:
        for base in (PREFIX + API, PREFIX + "/" + API):  # the client's doubled slash, taken as written
            app.add_url_rule(base + rule, f"datagym {method} {base}{rule}", view, methods=[method],
                             merge_slashes=False)
    for method, rule, view in control_routes:
        app.add_url_rule("/_emulator/datagym" + rule, f"control datagym {method} {rule}", view, methods=[method])

    @app.errorhandler(DataGymError)
    def datagym_error(error: DataGymError):
        return responses.error_response(error)
