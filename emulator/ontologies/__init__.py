"""Ontologies: the structure of objects and classifications that labels are made of."""
