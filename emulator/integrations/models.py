"""Cloud integrations: state and who may use them."""

from __future__ import annotations

import re
import uuid

from emulator.auth.models import User
from emulator.core import timefmt
from emulator.core.store import Store
from emulator.integrations import exceptions as exc

INTEGRATIONS = "integration"

PROVIDERS = ("AWS", "GCP", "AZURE", "OTC", "S3_COMPATIBLE", "WASABI", "DIRECT_ACCESS")
# The names users write for each provider, folded to lower case without spaces, dashes or underscores.
PROVIDER_ALIASES = {
    "aws": "AWS", "awss3": "AWS", "s3": "AWS", "amazons3": "AWS",
    "gcp": "GCP", "gcs": "GCP", "googlecloudstorage": "GCP", "google": "GCP",
    "azure": "AZURE", "azureblob": "AZURE", "azureblobstorage": "AZURE",
    "otc": "OTC", "opentelekomcloud": "OTC", "opentelekom": "OTC",
    "s3compatible": "S3_COMPATIBLE",
    "wasabi": "WASABI",
    "directaccess": "DIRECT_ACCESS",
}


def canonical_provider(provider: str) -> str:
    folded = re.sub(r"[\s_\-]", "", provider).lower()
    if folded not in PROVIDER_ALIASES:
        raise exc.UnknownProvider(provider, PROVIDERS)
    return PROVIDER_ALIASES[folded]


def may_use(user: User, integration: dict) -> bool:
    """An integration without a user list is open to the whole organisation; otherwise only to the users listed."""
    return not integration["users"] or user.email in integration["users"]


class IntegrationBackend:
    def __init__(self, store: Store):
        self.store = store

    def create_integration(self, title: str, provider: str, buckets: list[str], write: bool,
                           users: list[str]) -> dict:
        integration = {
            "id": str(uuid.uuid4()),
            "title": title,
            "provider": canonical_provider(provider),
            "buckets": list(buckets),
            "write": write,
            "users": list(users),
            "created_at": timefmt.now_iso(),
        }
        self.store.put(INTEGRATIONS, integration["id"], integration)
        return integration

    def list_integrations(self, user: User, uuids: list[str], titles: list[str]) -> list[dict]:
        def matches(i: dict) -> bool:
            return (may_use(user, i) and (not uuids or i["id"] in uuids) and (not titles or i["title"] in titles))

        return sorted(self.store.find(INTEGRATIONS, matches), key=lambda i: i["created_at"])

    def get_integration(self, integration_id: str) -> dict:
        integration = self.store.get(INTEGRATIONS, integration_id)
        if integration is None:
            raise exc.IntegrationNotFound(integration_id)
        return integration

    def integration_for(self, user: User, integration_id: str) -> dict:
        integration = self.get_integration(integration_id)
        if not may_use(user, integration):
            raise exc.IntegrationNotFound(integration_id)
        return integration

    def add_user(self, integration_id: str, email: str) -> dict:
        with self.store.transaction():
            integration = self.get_integration(integration_id)
            if integration["users"] and email not in integration["users"]:
                integration["users"].append(email)
                self.store.put(INTEGRATIONS, integration_id, integration)
        return integration
