"""Label rows (one per data unit, project and branch), their workflow tasks and signed media links."""
