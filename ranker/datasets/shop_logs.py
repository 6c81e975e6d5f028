"""A shop's interaction log in one of the readers' formats, matched against the catalogue the app serves.

The readers keep their own item tables; here only the events count, and an event is usable when its item is
in the catalogue in use. Those that are not are counted and named (a few), never silently dropped.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from ranker.data import ReviewEvent
from ranker.datasets.amazon import read_amazon_2018
from ranker.datasets.jsonl import read_jsonl_interactions
from ranker.datasets.movielens import read_movielens
from ranker.datasets.table import Dataset, Problem
from ranker.datasets.yelp import read_yelp

# format -> the files it reads, in order (the help text of `whisperlite train --interactions`)
LOG_FORMATS = {
    "jsonl": ("interactions.jsonl",),
    "amazon": ("reviews.json[.gz] (2014 or 2018 dump)",),
    "yelp": ("review.json", "business.json"),
    "movielens": ("folder with ratings.csv, tags.csv, movies.csv",),
}


@dataclass(frozen=True)
class ShopLog:
    """The usable events and what was left out: unreadable records, and events of items not in the catalogue."""

    events: list[ReviewEvent]
    read: int  # events the reader produced
    unknown_items: int  # events left out: their item is not in the catalogue in use
    unknown_examples: tuple[str, ...]  # a few of those item ids, for the message
    problems: tuple[Problem, ...]  # records the reader could not use

    def report(self, catalogue: str) -> str:
        """One line: how many events were read, kept, and left out and why."""
        line = f"{self.read} events read, {len(self.events)} usable"
        if self.unknown_items:
            examples = ", ".join(self.unknown_examples)
            line += (
                f"; {self.unknown_items} left out: their items are not in the catalogue {catalogue} (e.g. {examples})"
            )
        if self.problems:
            line += f"; {len(self.problems)} unreadable records (first: {self.problems[0]})"
        return line


def read_shop_log(paths: Sequence[Path], log_format: str, catalogue_ids: Collection[str]) -> ShopLog:
    dataset = _read(list(map(Path, paths)), log_format)
    known = set(catalogue_ids)
    events = [event for event in dataset.interactions if event.item in known]
    unknown = [event.item for event in dataset.interactions if event.item not in known]
    examples = tuple(dict.fromkeys(unknown))[:3]
    return ShopLog(events, len(dataset.interactions), len(unknown), examples, tuple(dataset.problems))


def _read(paths: list[Path], log_format: str) -> Dataset:
    if log_format not in LOG_FORMATS:
        raise ValueError(f"unknown interaction format {log_format!r}; known: {', '.join(LOG_FORMATS)}")
    wanted = LOG_FORMATS[log_format]
    if len(paths) != len(wanted):
        raise ValueError(f"the {log_format} format reads {len(wanted)} path(s): {', '.join(wanted)}")
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise ValueError(f"no such file or folder: {', '.join(missing)}")
    if log_format == "jsonl":
        return read_jsonl_interactions(paths[0])
    if log_format == "amazon":
        return read_amazon_2018(paths[0])  # the 2014 and 2018 review lines share the fields read here
    if log_format == "yelp":
        return read_yelp(paths[0], paths[1])
    return read_movielens(paths[0])
