"""Active: a project's collections of frames or labels, and its filter presets."""
