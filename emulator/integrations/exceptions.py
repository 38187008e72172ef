from emulator.core.errors import InvalidArgumentsError, ResourceNotFoundError


class IntegrationNotFound(ResourceNotFoundError):
    def __init__(self, integration_id: str):
        super().__init__(f"Cloud integration {integration_id} does not exist or you may not use it.")


class UnknownProvider(InvalidArgumentsError):
    def __init__(self, provider: str, known):
        super().__init__(f"provider: unknown provider {provider!r}; expected one of {', '.join(known)}.")
