"""MovieLens (`ml-latest-small` layout): a tag is the request, the tagged movie the target.

Ratings become context rows (`text == ""`): they are the user's history, never requests. All tags one user
put on one movie make ONE request (joined in time order, timed at the first): otherwise a random split puts
"funny" in train and "quotable" in test for the same user and movie, and a model memorises the pair. Item
text is the title and genres. The CSVs are read with the csv module (titles hold quoted commas).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from ranker.data import ReviewEvent
from ranker.datasets.table import Dataset, Problem, open_text


def read_movielens(folder: Path, name: str = "movielens") -> Dataset:
    folder = Path(folder)
    problems: list[Problem] = []
    items = _read_movies(folder / "movies.csv", problems)
    interactions: list[ReviewEvent] = []
    for number, row in _rows(folder / "ratings.csv", ("userId", "movieId", "rating", "timestamp"), problems):
        try:
            interaction = ReviewEvent(row["userId"], row["movieId"], "", int(row["timestamp"]), float(row["rating"]))
        except ValueError as error:
            problems.append(Problem("ratings.csv", number, f"bad number: {error}"))
            continue
        _keep(interaction, items, "ratings.csv", number, interactions, problems)
    tags: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for number, row in _rows(folder / "tags.csv", ("userId", "movieId", "tag", "timestamp"), problems):
        if row["movieId"] not in items:
            problems.append(Problem("tags.csv", number, f"unknown movie {row['movieId']!r}"))
        elif not row["timestamp"].isdigit():
            problems.append(Problem("tags.csv", number, f"bad timestamp {row['timestamp']!r}"))
        else:
            tags.setdefault((row["userId"], row["movieId"]), []).append((int(row["timestamp"]), row["tag"].strip()))
    for (user, movie), stamped in tags.items():  # one request per (user, movie): all its tags, from the first one
        stamped.sort()
        words = ", ".join(dict.fromkeys(tag for _, tag in stamped))
        interactions.append(ReviewEvent(user, movie, words, stamped[0][0]))
    return Dataset(name, interactions, items, problems, history_from_context_only=True)


def _keep(row: ReviewEvent, items: dict[str, str], file: str, number: int, into: list, problems: list) -> None:
    if row.item in items:
        into.append(row)
    else:
        problems.append(Problem(file, number, f"unknown movie {row.item!r}"))


def _read_movies(path: Path, problems: list[Problem]) -> dict[str, str]:
    items: dict[str, str] = {}
    for _, row in _rows(path, ("movieId", "title", "genres"), problems):
        genres = [] if row["genres"] == "(no genres listed)" else row["genres"].split("|")
        items[row["movieId"]] = ". ".join([row["title"].strip(), ", ".join(genres)]).rstrip(". ")
    return items


def _rows(path: Path, columns: tuple[str, ...], problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows with every column present and non-empty; others are recorded as problems (line = CSV record + 1)."""
    with open_text(path) as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in columns if column not in (reader.fieldnames or [])]
        if missing:
            problems.append(Problem(path.name, 1, f"missing columns {missing}"))
            return
        for number, row in enumerate(reader, start=2):
            if any(not (row.get(column) or "").strip() for column in columns) or None in row:
                problems.append(Problem(path.name, number, "wrong number of fields or an empty value"))
                continue
            yield number, {column: row[column] for column in columns}
