"""The image's HEALTHCHECK: healthy when GET /_emulator/health reports "ok" (store open, buckets answering)."""

import json
import os
import sys
import urllib.request

port = os.environ.get("ENCORD_EMULATOR_PORT", "8080")
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_emulator/health", timeout=5) as reply:
        sys.exit(0 if json.load(reply).get("status") == "ok" else 1)
except Exception as e:  # any failure to answer is unhealthy; say why in the container's health log
    print(f"unhealthy: {e}", file=sys.stderr)
    sys.exit(1)
