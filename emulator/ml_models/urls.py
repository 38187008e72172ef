from emulator.core.wire import RestRoute
from emulator.ml_models import responses

routes = [
    RestRoute("GET", "/ml-models", responses.list_models, "ml-models-page", body_contract="no-body"),
    RestRoute("GET", "/ml-models/<model_uuid>/iterations/<training_uuid>/training-data", responses.training_data,
              "ml-models-page", body_contract="no-body"),
    RestRoute("GET", "/projects/<project_hash>/models-attachments", responses.project_model_attachments,
              "ml-models-page", body_contract="no-body"),
]
