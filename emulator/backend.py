"""One emulator's state: the store and each domain's backend over it (moto's backend, for all of Encord)."""

from __future__ import annotations

from emulator.auth.models import UserBackend
import secrets

from emulator.buckets.models import BucketBackend, MediaSigner
from emulator.config import EmulatorConfig
from emulator.core.store import Store
from emulator.datagym.models import DataGymBackend
from emulator.datasets.models import DatasetBackend
from emulator.ingestion.models import UploadJobBackend
from emulator.integrations.models import IntegrationBackend
from emulator.labels.models import LabelBackend
from emulator.ontologies.models import OntologyBackend
from emulator.projects.models import ProjectBackend
from emulator.storage.models import StorageBackend


BUCKETS_DIR = "buckets"  # where a data directory keeps the objects of moto's buckets between runs


class EmulatorBackend:
    def __init__(self, config: EmulatorConfig):
        self.config = config
        self.store = Store(config.data_dir)
        self.users = UserBackend(self.store, config.strict_auth)
        self.datasets = DatasetBackend(self.store)
        self.integrations = IntegrationBackend(self.store)
        self.buckets = BucketBackend(config.s3_endpoint_url)
        self.storage = StorageBackend(self.store)
        self.upload_jobs = UploadJobBackend(self.store, self.datasets, self.integrations, self.buckets, self.storage)
        self.ontologies = OntologyBackend(self.store)
        self.projects = ProjectBackend(self.store, self.datasets, self.ontologies)
        self.labels = LabelBackend(self.store, self.datasets, self.projects)
        if self.store.path is not None:
            self.buckets.load_from(self.store.path / BUCKETS_DIR)
        self.datagym = DataGymBackend(self.store, self.buckets)
        self.media_signer = MediaSigner(secrets.token_bytes(32), config.external_url, config.signed_url_ttl_seconds)

    def reset(self) -> None:
        self.upload_jobs.reset()
        self.store.reset()
        self.buckets.reset()

    def close(self) -> None:
        """Stop background work and save the state (and, in a data directory, the buckets' objects)."""
        self.upload_jobs.stop()
        if self.store.path is not None:
            self.buckets.save_to(self.store.path / BUCKETS_DIR)
        self.store.close()
