"""The project's own interaction format: JSON lines of `ReviewEvent` fields, plus a JSON-lines item file.

`interactions.jsonl`: {"user", "item", "text", "time", "rating"?} per line (`text` may be "" for a context row
such as a purchase). `items.jsonl`: {"id", "text"} or `store.item.Item` fields per line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ranker.data import ReviewEvent
from ranker.datasets.table import Dataset, Problem, numbered_lines
from store.item import Item


def read_jsonl(interactions: Path, items: Path, name: str = "jsonl") -> Dataset:
    interactions, items = Path(interactions), Path(items)
    problems: list[Problem] = []
    texts = _read_items(items, problems)
    rows: list[ReviewEvent] = []
    for number, row in _read_interactions(interactions, problems):
        if row.item not in texts:
            problems.append(Problem(interactions.name, number, f"unknown item {row.item!r}"))
            continue
        rows.append(row)
    return Dataset(name, rows, texts, problems)


def read_jsonl_interactions(interactions: Path, name: str = "jsonl") -> Dataset:
    """The interactions alone, for a catalogue known elsewhere (the app's): no item is judged unknown here."""
    problems: list[Problem] = []
    rows = [row for _, row in _read_interactions(Path(interactions), problems)]
    return Dataset(name, rows, {}, problems)


def _read_interactions(path: Path, problems: list[Problem]) -> Iterator[tuple[int, ReviewEvent]]:
    for number, line in numbered_lines(path):
        try:
            raw = json.loads(line)
            rating = raw.get("rating")
            row = ReviewEvent(
                str(raw["user"]),
                str(raw["item"]),
                str(raw.get("text") or ""),
                int(raw["time"]),
                None if rating is None else float(rating),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            problems.append(Problem(path.name, number, f"unreadable interaction: {error!r}"))
            continue
        yield number, row


def _read_items(path: Path, problems: list[Problem]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for number, line in numbered_lines(path):
        try:
            raw = json.loads(line)
            text = str(raw["text"]) if "text" in raw else Item(**raw).text()
            texts[str(raw["id"])] = text
        except (ValueError, KeyError, TypeError) as error:
            problems.append(Problem(path.name, number, f"unreadable item: {error!r}"))
    return texts
