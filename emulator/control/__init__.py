"""The emulator's own API under /_emulator/: health, reset, users, integrations, buckets, sharing and state."""
