"""How an emulator instance is set up: one dataclass, filled by the CLI, the fixtures or the caller."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class EmulatorConfig:
    data_dir: str | None = None  # None: in memory; else the store is journalled here and survives restarts
    strict_auth: bool = False  # True: only registered keys are accepted
    s3_endpoint_url: str | None = None  # None: boto3 is intercepted in-process by moto's mock_aws
    external_url: str | None = None  # base of the URLs it hands out; None: wherever it is served (or mocked)
    signed_url_ttl_seconds: int = 3600  # how long signed media links stay valid
    validate_responses: bool = False  # check every response against its contract (the test suite turns this on)
    control_token: str | None = None  # set: the control API and the S3 port's writes require it; None or "": open
    max_upload_job_units: int = 10_000  # most data units one upload job may register (the service's 10,000 a time)
    max_objects_per_label_row: int = 10_000  # most object labels, over all frames, one saved label row may hold
    request_journal_size: int = 1000  # how many of the last requests GET /_emulator/requests keeps; 0: none
    ui: bool = True  # serve the dashboard at /_emulator/ui/ (and redirect / there); False: neither is routed
    max_request_bytes: int = 50 * 1024 * 1024  # larger bodies are refused (413); the service documents 50 MB per label row
