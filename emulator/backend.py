"""One emulator's state: the store and each domain's backend over it (moto's backend, for all of Encord)."""

from __future__ import annotations

import secrets
from pathlib import Path

from filelock import FileLock, Timeout

from emulator.active.models import ActiveBackend
from emulator.analytics.models import AnalyticsBackend
from emulator.auth.models import UserBackend
from emulator.buckets.models import BucketBackend, MediaSigner
from emulator.buckets.persistence import bucket_directory
from emulator.config import EmulatorConfig
from emulator.core.faults import Faults
from emulator.core.request_journal import RequestJournal
from emulator.core.store import Store
from emulator.cvat.models import CvatImportBackend
from emulator.datagym.models import DataGymBackend
from emulator.datasets.models import DatasetBackend
from emulator.deidentification.models import DeidentificationBackend
from emulator.export.models import ExportBackend
from emulator.index.models import IndexBackend
from emulator.ingestion.models import UploadJobBackend
from emulator.integrations.models import IntegrationBackend
from emulator.issues.models import IssueBackend
from emulator.labels.models import LabelBackend
from emulator.ml_models.models import MlModelBackend
from emulator.ontologies.models import OntologyBackend
from emulator.organisation.models import OrganisationBackend
from emulator.projects.models import ProjectBackend
from emulator.storage.models import StorageBackend

LOCK_FILE = "emulator.lock"


class DataDirectoryInUse(RuntimeError):
    pass


def lock_data_directory(data_dir: str) -> FileLock:
    """One emulator per data directory: two would each journal their own writes and lose the other's."""
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    lock = FileLock(Path(data_dir) / LOCK_FILE)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise DataDirectoryInUse(f"The data directory {data_dir} is in use by another emulator; stop it or choose "
                                 "another data directory.") from None
    return lock


class EmulatorBackend:
    def __init__(self, config: EmulatorConfig):
        self.config = config
        self._data_dir_lock = lock_data_directory(config.data_dir) if config.data_dir is not None else None
        try:
            self._open(config)
        except BaseException:
            self._release_data_directory()
            raise

    def _open(self, config: EmulatorConfig) -> None:
        self.store = Store(config.data_dir)
        self.organisation = OrganisationBackend(self.store)
        self.users = UserBackend(self.store, config.strict_auth, self.organisation)
        self.storage = StorageBackend(self.store, self.organisation)
        self.datasets = DatasetBackend(self.store, self.users, self.storage, self.organisation)
        self.index = IndexBackend(self.store, self.storage)
        self.integrations = IntegrationBackend(self.store)
        self.buckets = BucketBackend(config.s3_endpoint_url, config.control_token)
        self.upload_jobs = UploadJobBackend(self.store, self.datasets, self.integrations, self.buckets, self.storage,
                                           config.max_upload_job_units)
        self.deidentification = DeidentificationBackend(self.store, self.integrations, self.buckets)
        self.ontologies = OntologyBackend(self.store, self.organisation)
        self.projects = ProjectBackend(self.store, self.users, self.datasets, self.ontologies,
                                      self.organisation)
        self.ml_models = MlModelBackend(self.projects)
        self.labels = LabelBackend(self.store, self.datasets, self.projects, config.max_objects_per_label_row)
        self.analytics = AnalyticsBackend(self.store, self.users, self.datasets, self.projects, self.labels)
        self.issues = IssueBackend(self.store, self.projects, self.labels)
        self.active = ActiveBackend(self.store, self.projects, self.labels)
        self.cvat = CvatImportBackend(self.store, self.datasets, self.upload_jobs, self.ontologies, self.projects,
                                      self.labels)
        self.bucket_directory = bucket_directory(config.data_dir)
        if config.s3_endpoint_url is not None:
            # Served, moto's buckets are the process's, not this emulator's: it starts from none (as mock_aws does
            # on entry in-process), then the saved ones come back.
            self.buckets.forget_process_buckets()
        if self.bucket_directory is not None:
            self.buckets.load_from(self.bucket_directory)
        self.datagym = DataGymBackend(self.store, self.buckets)
        self.media_signer = MediaSigner(secrets.token_bytes(32), config.external_url, config.signed_url_ttl_seconds)
        self.exports = ExportBackend(self.store, self.users, self.datasets, self.projects, self.labels,
                                     self.media_signer)
        self.faults = Faults()
        self.request_journal = RequestJournal(config.request_journal_size)
        self.upload_jobs.resume_interrupted_jobs()  # once the buckets they read are back
        self.deidentification.resume_interrupted_tasks()

    def reset(self) -> None:
        self.faults.clear()
        self.request_journal.clear()
        self.upload_jobs.reset()
        self.deidentification.stop()
        self.store.reset()
        self.buckets.reset()

    def close(self) -> None:
        """Stop background work and save the state. In a data directory the buckets' objects are saved too: each
        write as it happens when the emulator's S3 server mirrors them, else (in-process) now."""
        self.upload_jobs.stop()
        self.deidentification.stop()
        try:
            if self.bucket_directory is not None and self.config.s3_endpoint_url is None:
                self.buckets.save_to(self.bucket_directory)
            self.store.close()
        finally:
            self._release_data_directory()

    def _release_data_directory(self) -> None:
        if self._data_dir_lock is not None:
            self._data_dir_lock.release()
