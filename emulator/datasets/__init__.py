"""Datasets and their data rows (data units)."""
