from emulator.export import responses

# Control API routes (method, rule, view), mounted under the control API's prefix.
control_routes = [
    ("POST", "/projects/<project_hash>/exports", responses.create_export),
    ("GET", "/projects/<project_hash>/exports", responses.list_exports),
    ("GET", "/projects/<project_hash>/exports/<export_hash>", responses.get_export),
]
