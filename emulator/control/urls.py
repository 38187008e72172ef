from emulator.control import responses
from emulator.export import urls as export_urls

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
    ("PUT", "/upload-jobs/progression", responses.set_upload_progression),
    ("GET", "/upload-jobs", responses.list_upload_jobs),
    ("GET", "/upload-jobs/<job_id>", responses.get_upload_job),
    ("POST", "/upload-jobs/<job_id>/advance", responses.advance_upload_job),
    ("POST", "/upload-jobs/<job_id>/cancel", responses.cancel_upload_job),
    ("POST", "/datasets/<dataset_hash>/upload-jobs", responses.start_upload_job),
    ("POST", "/projects", responses.create_project),
    ("POST", "/workflow-templates", responses.create_workflow_template),
    ("PUT", "/projects/<project_hash>/tasks/<data_hash>", responses.set_task_status),
    ("POST", "/projects/<project_hash>/time-spent", responses.add_time_spent),
    ("POST", "/seeds/<name>", responses.seed),
    ("POST", "/faults", responses.inject_fault),
    ("GET", "/faults", responses.list_faults),
    ("DELETE", "/faults", responses.clear_faults),
    ("GET", "/requests", responses.list_requests),
    ("DELETE", "/requests", responses.clear_requests),
    ("GET", "/state", responses.get_state),
    ("PUT", "/state", responses.put_state),
    *export_urls.control_routes,
]
