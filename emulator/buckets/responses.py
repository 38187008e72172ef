"""Signed media links on the wire: ``GET /signed/<bucket>/<key>?expires=…&signature=…`` returns the object."""

from __future__ import annotations

import mimetypes

from flask import Response, current_app, request

from emulator.buckets.models import object_path


def signed_object(bucket: str, key: str) -> Response:
    backend = current_app.extensions["encord_emulator"]
    backend.media_signer.verify(object_path(bucket, key), request.args)
    data = backend.buckets.get_object(bucket, key)
    return Response(data, mimetype=mimetypes.guess_type(key)[0] or "application/octet-stream")
