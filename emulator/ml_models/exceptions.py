from emulator.core.errors import ResourceNotFoundError


class ModelNotFound(ResourceNotFoundError):
    def __init__(self, model_uuid: str):
        super().__init__(f"ML model {model_uuid} does not exist: the emulator creates no models.")
