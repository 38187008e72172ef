"""ML models: none can be created in the emulator (create_model is not served), so every listing is empty."""
