"""One emulator's state: the store and each domain's backend over it (moto's backend, for all of Encord)."""

from __future__ import annotations

from emulator.auth.models import UserBackend
from emulator.buckets.models import BucketBackend
from emulator.config import EmulatorConfig
from emulator.core.store import Store
from emulator.datasets.models import DatasetBackend
from emulator.ingestion.models import UploadJobBackend
from emulator.integrations.models import IntegrationBackend


class EmulatorBackend:
    def __init__(self, config: EmulatorConfig):
        self.config = config
        self.store = Store(config.data_dir)
        self.users = UserBackend(self.store, config.strict_auth)
        self.datasets = DatasetBackend(self.store)
        self.integrations = IntegrationBackend(self.store)
        self.buckets = BucketBackend(config.s3_endpoint_url)
        self.upload_jobs = UploadJobBackend(self.store, self.datasets, self.integrations, self.buckets)

    def reset(self) -> None:
        self.upload_jobs.reset()
        self.store.reset()
        self.buckets.reset()

    def close(self) -> None:
        self.upload_jobs.stop()
        self.store.close()
