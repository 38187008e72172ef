"""Where the emulator writes: each file it writes or deletes is first proved to be an entry of the directory it
belongs to, so no name, however it was encoded, leads a write or a delete outside the data directory."""

from __future__ import annotations

from pathlib import Path


class PathOutsideDirectory(ValueError):
    pass


def contained(directory: Path, name: str) -> Path:
    """``directory / name``, resolved, once proved to lie directly in ``directory`` (resolved too): not the directory
    itself, nor wherever a separator, ``..``, an absolute path or a symbolic link in ``name`` would lead."""
    parent = directory.resolve()
    try:
        path = (parent / name).resolve()
    except (OSError, RuntimeError, ValueError):  # a NUL byte, a loop of symbolic links
        raise PathOutsideDirectory(f"{name!r} does not name a file in {parent}.") from None
    if path.parent != parent:
        raise PathOutsideDirectory(f"{name!r} does not name a file in {parent}; it leads to {path}.")
    return path
