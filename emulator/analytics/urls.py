from emulator.analytics import responses
from emulator.core.wire import RestRoute

routes = [
    RestRoute("GET", "/analytics/task-actions", responses.task_actions, "task-actions-page", body_contract="no-body"),
    RestRoute("GET", "/analytics/time-spent", responses.time_spent, "time-spent-page", body_contract="no-body"),
    RestRoute("GET", "/analytics/collaborators/timers", responses.collaborator_timers, "collaborator-timers-page",
              body_contract="no-body"),
]
