"""Modules imported when first used."""

from __future__ import annotations

import importlib


class OnFirstUse:
    """A module imported when one of its attributes is first read: PyAV, numpy, nibabel, pydicom and pypdf take
    about half a second to import, which only a process that reads or makes such media should pay (not every
    mock_encord user's test run)."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str):
        return getattr(importlib.import_module(self._name), attribute)
