"""Yelp Open Dataset: `review.json` (a review is the request) and `business.json` (item text = name + categories)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from ranker.data import ReviewEvent
from ranker.datasets.table import Dataset, Problem, numbered_lines


def read_yelp(reviews: Path, businesses: Path, name: str = "yelp") -> Dataset:
    reviews, businesses = Path(reviews), Path(businesses)
    problems: list[Problem] = []
    items = _read_businesses(businesses, problems)
    interactions: list[ReviewEvent] = []
    for number, line in numbered_lines(reviews):
        try:
            row = json.loads(line)
            user, item, text = str(row["user_id"]), str(row["business_id"]), str(row["text"]).strip()
            time = int(datetime.fromisoformat(str(row["date"])).replace(tzinfo=UTC).timestamp())
        except (ValueError, KeyError, TypeError) as error:
            problems.append(Problem(reviews.name, number, f"unreadable review: {error!r}"))
            continue
        if item not in items:
            problems.append(Problem(reviews.name, number, f"unknown business {item!r}"))
            continue
        if not text:
            problems.append(Problem(reviews.name, number, "review has no text"))
            continue
        stars = row.get("stars")
        interactions.append(ReviewEvent(user, item, text, time, float(stars) if stars is not None else None))
    return Dataset(name, interactions, items, problems)


def _read_businesses(path: Path, problems: list[Problem]) -> dict[str, str]:
    items: dict[str, str] = {}
    for number, line in numbered_lines(path):
        try:
            row = json.loads(line)
            business, title = str(row["business_id"]), str(row["name"]).strip()
        except (ValueError, KeyError, TypeError) as error:
            problems.append(Problem(path.name, number, f"unreadable business: {error!r}"))
            continue
        categories = row.get("categories") or ""
        if isinstance(categories, list):  # older dumps: a list; newer: one comma-separated string
            categories = ", ".join(categories)
        items[business] = f"{title}. {categories}" if categories else title
    return items
