from emulator.core.errors import AuthenticationError, AuthorisationError, InvalidArgumentsError, SshKeyNotFoundError


class MissingCredentials(AuthenticationError):
    def __init__(self, what: str):
        super().__init__(f"The request carries no {what}; sign it with your Ed25519 key or use a bearer token.")


class MalformedCredentials(AuthenticationError):
    def __init__(self, header: str, why: str):
        super().__init__(f"The {header} header is malformed: {why}.")


class SignatureMismatch(AuthenticationError):
    def __init__(self, why: str):
        super().__init__(f"The request signature is invalid: {why}.")


class UnknownPublicKey(SshKeyNotFoundError):
    def __init__(self, public_key_hex: str):
        super().__init__(
            f"The SSH key {public_key_hex} does not exist on the Encord platform. "
            "Please add this SSH key to your user profile."
        )


class UnknownBearerToken(AuthenticationError):
    def __init__(self):
        super().__init__("The bearer token is not known or has expired.")


class NotAuthorisedFor(AuthorisationError):
    def __init__(self, what: str, identifier: str):
        super().__init__(f"You are not authorised to access the {what} {identifier}.")


class NotAdminOf(AuthorisationError):
    def __init__(self, what: str, identifier: str):
        super().__init__(f"Only an admin of the {what} {identifier} may change who has access to it.")


class InvalidPublicKey(InvalidArgumentsError):
    def __init__(self, why: str):
        super().__init__(f"public_key: {why}")


class UserExists(InvalidArgumentsError):
    def __init__(self, field: str, value: str):
        super().__init__(f"{field}: a user with {field} {value} already exists.")


class UnknownUser(InvalidArgumentsError):
    def __init__(self, email: str):
        super().__init__(f"email: no user with email {email} is registered.")
