"""The project's own catalogue format: JSON lines or CSV with the `Item` fields.

Keys/columns `id, title, description, brand, category, colour, material, price, image` fill the item; any other
key or column goes to `extra` (a JSON line may also carry an `"extra": {...}` object). Relative image paths are
relative to the catalogue file's folder, so a catalogue folder can be moved as a whole. CSV cells are text:
extra values read from CSV are strings.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from store.catalogs.records import ITEM_FIELDS, RecordError, build_item
from store.catalogs.report import CatalogRead, finish_read
from store.item import SIZE_SEPARATOR, Item, is_url

JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson")


def read_items_file(path: str | Path) -> CatalogRead:
    """Read a `.jsonl` (or `.json`/`.ndjson` holding JSON lines) or `.csv` catalogue."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        records = _jsonl_records(path)
    elif suffix == ".csv":
        records = _csv_records(path)
    else:
        raise ValueError(f"{path}: expected a .jsonl or .csv catalogue, not {suffix or 'no suffix'}")
    base_dir = path.resolve().parent
    items: list[Item] = []
    problems: list[str] = []
    for line, record, error in records:
        if error is None:
            fields = {key: value for key, value in record.items() if key in ITEM_FIELDS}
            extra = {key: value for key, value in record.items() if key not in ITEM_FIELDS and key != "extra"}
            nested = record.get("extra")
            if isinstance(nested, dict):
                extra.update(nested)
            elif nested not in (None, ""):
                extra["extra"] = nested
            try:
                items.append(build_item(fields, extra, base_dir))
                continue
            except RecordError as record_error:
                error = str(record_error)
        problems.append(f"{path.name}:{line}: {error} (skipped)")
    return finish_read(items, problems, path.name)


def _jsonl_records(path: Path) -> Iterator[tuple[int, dict[str, Any], str | None]]:
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
            except UnicodeDecodeError as error:
                yield number, {}, f"not UTF-8 ({error.reason} at byte {error.start})"
                continue
            if not text:
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as error:
                yield number, {}, f"invalid JSON ({error.msg} at column {error.colno})"
                continue
            if not isinstance(record, dict):
                yield number, {}, f"expected a JSON object, got {type(record).__name__}"
                continue
            yield number, record, None


def _csv_records(path: Path) -> Iterator[tuple[int, dict[str, Any], str | None]]:
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return
        header = [name.strip() for name in header]
        end = reader.line_num
        for row in reader:
            start, end = end + 1, reader.line_num  # a quoted cell may span lines: report where the row starts
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield start, {}, f"{len(row)} fields, expected {len(header)}"
                continue
            yield start, dict(zip(header, row, strict=True)), None


def _portable_image(image: str, folder: Path) -> str:
    """Images inside the catalogue's folder are written relative to it."""
    if not image or is_url(image):
        return image
    path = Path(image).resolve()
    return path.relative_to(folder).as_posix() if path.is_relative_to(folder) else str(path)


def write_items_jsonl(items: Iterable[Item], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = path.resolve().parent
    with path.open("w", encoding="utf-8") as out:
        for item in items:
            record: dict[str, Any] = {name: getattr(item, name) for name in ITEM_FIELDS}
            record["image"] = _portable_image(item.image, folder)
            record["sizes"] = list(item.sizes)
            if item.extra:
                record["extra"] = item.extra
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def write_items_csv(items: Iterable[Item], path: str | Path) -> Path:
    """One column per Item field, then one per `extra` key (sorted); extra values become text."""
    items = list(items)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = path.resolve().parent
    extra_keys = sorted({key for item in items for key in item.extra})
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([*ITEM_FIELDS, *extra_keys])
        for item in items:
            row = [getattr(item, name) for name in ITEM_FIELDS]
            row[ITEM_FIELDS.index("image")] = _portable_image(item.image, folder)
            row[ITEM_FIELDS.index("sizes")] = SIZE_SEPARATOR.join(item.sizes)
            writer.writerow([*row, *(item.extra.get(key, "") for key in extra_keys)])
    return path
