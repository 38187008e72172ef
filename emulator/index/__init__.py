"""Index (Curate): collections of storage items and filter presets."""
