"""Project analytics: the task actions taken in a project's workflow and the time collaborators spent on its tasks."""
