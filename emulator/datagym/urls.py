"""DataGym's routes under /datagym/ (the client's label-config URLs carry a doubled slash: //api/v1/config/…)."""

from flask import Flask

from emulator.datagym import responses
from emulator.datagym.exceptions import DataGymError

PREFIX = "/datagym"
API = "/api/v1"
BASES = (PREFIX + API, PREFIX + "/" + API)  # the client's doubled slash, taken as written
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")

# (method, rule, view, the contract of a 200 answer's JSON body)
routes = [
    ("GET", "/project", responses.list_projects, "datagym-projects"),
    ("GET", "/dataset", responses.list_datasets, "datagym-datasets"),
    ("POST", "/dataset", responses.create_dataset, "datagym-dataset"),
    ("GET", "/dataset/<dataset_id>", responses.get_dataset, "datagym-dataset"),
    ("POST", "/project/<project_id>/dataset/<dataset_id>", responses.add_dataset, None),
    ("DELETE", "/project/<project_id>/dataset/<dataset_id>/remove", responses.remove_dataset, None),
    ("POST", "/media/<dataset_id>/url", responses.media_from_urls, "datagym-media-upload-results"),
    ("POST", "/media/<dataset_id>/file", responses.upload_media, "datagym-media"),
    ("GET", "/media/<media_id>", responses.download_media, None),
    ("DELETE", "/media/<media_id>", responses.delete_media, None),
    ("POST", "/project/<project_id>/prediction", responses.import_labels, "datagym-import-result"),
    ("GET", "/export/<project_id>", responses.export_labels, "datagym-export"),
    ("DELETE", "/config/<config_id>", responses.clear_label_config, "datagym-config-cleared"),
    ("PUT", "/config/<config_id>", responses.set_label_config, "datagym-label-configuration"),
]

control_routes = [
    ("POST", "/tokens", responses.control_token),
    ("POST", "/projects", responses.control_project),
    ("POST", "/projects/<project_id>/tasks/<media_id>", responses.control_task_state),
]


def install(app: Flask) -> None:
    served: dict[str, set[str]] = {}
    for method, rule, view, contract in routes:
        served.setdefault(rule, set()).add(method)
        checked = responses.keeping_to(contract, view)
        for base in BASES:
            app.add_url_rule(base + rule, f"datagym {method} {base}{rule}", checked, methods=[method],
                             merge_slashes=False)
    for rule, methods in served.items():  # another method on a route is the server's 400, not a 405 or a 404
        others = [m for m in METHODS if m not in methods and not (m == "HEAD" and "GET" in methods)]
        for base in BASES:
            app.add_url_rule(base + rule, f"datagym other methods {base}{rule}", responses.method_not_allowed,
                             methods=others, merge_slashes=False, provide_automatic_options=False)
    for method, rule, view in control_routes:
        app.add_url_rule("/_emulator/datagym" + rule, f"control datagym {method} {rule}", view, methods=[method])

    @app.errorhandler(DataGymError)
    def datagym_error(error: DataGymError):
        return responses.error_response(error)
