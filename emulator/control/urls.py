from emulator.control import responses

PREFIX = "/_emulator"

# (method, rule, view)
routes = [
    ("GET", "/health", responses.health),
    ("POST", "/reset", responses.reset),
    ("POST", "/users", responses.create_user),
    ("GET", "/users", responses.list_users),
    ("POST", "/integrations", responses.create_integration),
    ("PUT", "/buckets/<bucket>/<path:key>", responses.put_object),
    ("POST", "/shares", responses.share),
    ("POST", "/datasets/<dataset_hash>/data-rows", responses.register_data_rows),
    ("GET", "/state", responses.get_state),
    ("PUT", "/state", responses.put_state),
]
