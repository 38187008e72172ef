"""The web app's CSV upload format, turned into the JSON spec the upload jobs read (seed 002's CSV rules)."""

from __future__ import annotations

import csv
import io
import posixpath
import re
from urllib.parse import unquote, urlsplit

OBJECT_URL = "objecturl"
CREATE_VIDEO = "create video"
# The header set names the type; headers are case-insensitive. In a file mixing types every header line may carry
# Create video (the seed: "all files that aren't image sequences have to contain the value false").
TYPES = {
    frozenset({OBJECT_URL}): "videos",  # the backwards-compatible single column means videos
    frozenset({OBJECT_URL, "video title"}): "videos",
    frozenset({OBJECT_URL, "image title"}): "images",
    frozenset({OBJECT_URL, "image group title"}): "image_groups",
    frozenset({OBJECT_URL, "series title"}): "dicom_series",
}
HEADER_NAMES = {name for names in TYPES for name in names} | {CREATE_VIDEO}
ACCEPTED_HEADERS = ("a header line names the columns ObjectUrl and one of Video title, Image title, Image group title "
                    "(and Create video) or Series title, in any case; ObjectUrl alone means videos.")
TITLE_COLUMN = {"videos": "video title", "images": "image title", "image_groups": "image group title",
                "dicom_series": "series title"}


class CsvSpecError(ValueError):
    pass


def _file_name(url: str) -> str:
    return posixpath.basename(unquote(urlsplit(url).path))


def _is_header(cells: list[str]) -> bool:
    names = [c.strip().lower() for c in cells if c.strip()]
    return bool(names) and all(n in HEADER_NAMES for n in names)


def csv_to_spec(text: str) -> dict:
    spec: dict[str, list] = {}
    groups: dict[tuple[str, str], dict] = {}
    columns: list[str] | None = None
    kind = None
    text = text.removeprefix("\ufeff")  # the byte-order mark Excel's "CSV UTF-8" writes
    for line_number, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not any(c.strip() for c in cells):
            continue
        if _is_header(cells):
            columns = [c.strip().lower() for c in cells]
            kind = TYPES.get(frozenset(c for c in columns if c and c != CREATE_VIDEO))
            if kind is None:
                raise CsvSpecError(f"Line {line_number}: the header columns {', '.join(cells)} name no upload type; "
                                   f"{ACCEPTED_HEADERS}")
            continue
        if columns is None:
            raise CsvSpecError(f"Line {line_number}: the CSV has no header line before its first row ({', '.join(cells)}); "
                               f"{ACCEPTED_HEADERS}")
        row = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(columns) if name}
        url = row.get(OBJECT_URL, "")
        if not url:
            raise CsvSpecError(f"Line {line_number}: the row has no object URL.")
        if re.search(r"\s", url):
            raise CsvSpecError(f"Line {line_number}: object URLs can't contain whitespace: {url!r}.")
        title = row.get(TITLE_COLUMN[kind], "")
        create_video_cell = row.get(CREATE_VIDEO, "").lower()
        if create_video_cell not in ("", "true", "false"):
            raise CsvSpecError(f"Line {line_number}: Create video must be true or false, not {create_video_cell!r}.")
        if kind in ("videos", "images"):
            spec.setdefault(kind, []).append({"objectUrl": url, "title": title or _file_name(url)})
            continue
        if not title and kind == "image_groups":
            raise CsvSpecError(f"Line {line_number}: an image group title is required.")
        title = title or _file_name(url)
        # blank or missing means true in the CSV format (the JSON spec's default is false)
        create_video = create_video_cell != "false" if kind == "image_groups" else None
        group = groups.get((kind, title))
        if group is None:
            group = {"title": title}
            if create_video is not None:
                group["createVideo"] = create_video
            groups[(kind, title)] = group
            spec.setdefault(kind, []).append(group)
        group[f"objectUrl_{sum(1 for k in group if k.startswith('objectUrl_'))}"] = url
    if columns is None:
        raise CsvSpecError(f"Line 1: the CSV has no header line; {ACCEPTED_HEADERS}")
    return spec
