"""The web dashboard: what the control API shows, as pages (served at /_emulator/ui/ unless ``--no-ui``)."""
