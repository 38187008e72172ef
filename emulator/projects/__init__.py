"""Projects: datasets and an ontology brought together under a workflow."""
