from emulator.buckets import responses

# (method, rule, view): unauthenticated, like a cloud provider's signed URL; the signature is the credential.
routes = [
    ("GET", "/signed/<bucket>/<path:key>", responses.signed_object),
    ("PUT", "/signed/<bucket>/<path:key>", responses.signed_upload),
]
