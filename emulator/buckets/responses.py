"""Signed media links on the wire: ``GET /signed/<bucket>/<key>?expires=…&signature=…`` returns the object, and
``PUT`` to a link signed for uploads stores the request's bytes as the object (a cloud provider's signed upload)."""

from __future__ import annotations

import mimetypes

from flask import Response, current_app, request

from emulator.buckets.models import object_path


def signed_object(bucket: str, key: str) -> Response:
    backend = current_app.extensions["encord_emulator"]
    backend.media_signer.verify(object_path(bucket, key), request.args)
    data = backend.buckets.get_object(bucket, key)
    return Response(data, mimetype=mimetypes.guess_type(key)[0] or "application/octet-stream")


def signed_upload(bucket: str, key: str) -> Response:
    backend = current_app.extensions["encord_emulator"]
    backend.media_signer.verify(object_path(bucket, key), request.args, "PUT")
    backend.buckets.put_object(bucket, key, request.get_data(), request.content_type)
    return Response(status=200)
