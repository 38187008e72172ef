from flask import Blueprint

from emulator.control.exceptions import ControlTokenRequired
from emulator.dashboard import responses

PREFIX = "/_emulator/ui"

blueprint = Blueprint("dashboard", __name__, template_folder="templates", static_folder="static",
                      url_prefix=PREFIX)

# (rule, endpoint, view): every page is a GET
routes = [
    ("/", "overview", responses.overview),
    ("/datasets", "datasets", responses.datasets),
    ("/upload-jobs", "upload_jobs", responses.upload_jobs),
    ("/ontologies", "ontologies", responses.ontologies),
    ("/projects", "projects", responses.projects),
    ("/projects/<project_hash>", "project", responses.project),
    ("/projects/<project_hash>/label-rows/<label_hash>", "label_row", responses.label_row),
]
for rule, endpoint, view in routes:
    blueprint.add_url_rule(rule, endpoint, view, methods=["GET"])
blueprint.add_url_rule("/login", "login_form", responses.login_form, methods=["GET"])
blueprint.add_url_rule("/login", "login", responses.login, methods=["POST"])
blueprint.register_error_handler(ControlTokenRequired, responses.to_login)
blueprint.after_request(responses.secure_headers)
blueprint.add_app_template_filter(responses.safe_colour, "safe_colour")
