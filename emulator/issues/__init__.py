"""Task issues: comment threads anchored to a data unit of a project, and the issue tags linked to a project."""
