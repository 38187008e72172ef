"""ML models on the wire: the SDK's pages of ModelWithIterations, ModelIterationTrainingData and
ProjectModelWithIterations."""

from __future__ import annotations

from emulator.core.wire import RestRequest


def list_models(ctx: RestRequest) -> dict:
    return ctx.page(ctx.backend.ml_models.list_models(ctx.user))


def training_data(ctx: RestRequest, model_uuid: str, training_uuid: str) -> dict:
    return ctx.page(ctx.backend.ml_models.training_data(ctx.user, model_uuid, training_uuid))


def project_model_attachments(ctx: RestRequest, project_hash: str) -> dict:
    return ctx.page(ctx.backend.ml_models.project_model_attachments(ctx.user, project_hash))
