"""Amazon review dumps: the 2014 files (the paper's public sets) and the 2018 JSON lines.

A review is a request (summary + text), its item the target. 2014 `meta_*` lines are loose Python literals
(single quotes), so they are read with `ast.literal_eval`; 2018 metadata is JSON. Exact duplicate reviews
(same reviewer, item, time and text: the 2018 dumps repeat a review once per colour variant) are dropped and
counted.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

from ranker.data import ReviewEvent
from ranker.datasets.table import Dataset, Problem, numbered_lines


def read_amazon_2014(reviews: Path, meta: Path | None = None, name: str = "amazon-2014") -> Dataset:
    """A 2014 5-core review file and, optionally, its `meta_*` file (items without metadata keep their asin)."""
    return _read_amazon(Path(reviews), None if meta is None else Path(meta), name)


def read_amazon_2018(reviews: Path, meta: Path | None = None, name: str = "amazon-2018") -> Dataset:
    """A 2018 review file (e.g. `AMAZON_FASHION_5.json`) and, optionally, its `meta_*.json` file."""
    return _read_amazon(Path(reviews), None if meta is None else Path(meta), name)


def _read_amazon(reviews: Path, meta: Path | None, name: str) -> Dataset:
    problems: list[Problem] = []
    items = _read_meta(meta, problems) if meta is not None else {}
    interactions: list[ReviewEvent] = []
    seen: set[tuple] = set()
    duplicates = 0
    for number, line in numbered_lines(reviews):
        try:
            row = json.loads(line)
            user, item, time = str(row["reviewerID"]), str(row["asin"]), int(row["unixReviewTime"])
        except (ValueError, KeyError, TypeError) as error:
            problems.append(Problem(reviews.name, number, f"unreadable review: {error!r}"))
            continue
        text = ". ".join(part.strip() for part in (row.get("summary"), row.get("reviewText")) if part and part.strip())
        if not text:
            problems.append(Problem(reviews.name, number, "review has no text"))
            continue
        key = (user, item, time, text)
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        rating = row.get("overall")
        interactions.append(ReviewEvent(user, item, text, time, float(rating) if rating is not None else None))
        items.setdefault(item, item)  # no metadata: the asin is the only text there is
    return Dataset(name, interactions, items, problems, duplicates)


def _read_meta(path: Path, problems: list[Problem]) -> dict[str, str]:
    items: dict[str, str] = {}
    for number, line in numbered_lines(path):
        try:
            row = json.loads(line) if line.startswith('{"') else ast.literal_eval(line)
            asin = str(row["asin"])
        except (ValueError, SyntaxError, KeyError, TypeError) as error:
            problems.append(Problem(path.name, number, f"unreadable metadata: {error!r}"))
            continue
        text = item_text(row)
        if text:
            items[asin] = text
        else:
            problems.append(Problem(path.name, number, "metadata has no title, brand, category or description"))
    return items


def item_text(row: dict) -> str:
    """Title, brand, categories and description of a metadata record, as one text."""
    categories = row.get("categories") or row.get("category") or []
    if categories and isinstance(categories[0], list):  # 2014: a list of category paths
        categories = [word for path in categories for word in path]
    description = row.get("description") or ""
    if isinstance(description, list):  # 2018: a list of paragraphs
        description = " ".join(description)
    parts = [str(row.get("title") or ""), str(row.get("brand") or ""), ", ".join(dict.fromkeys(categories))]
    parts.append(str(description)[:500])
    return ". ".join(part.strip() for part in parts if part and part.strip())
