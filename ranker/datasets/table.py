"""The one shape every reader produces: an interaction table, item texts, and the records it had to skip."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from math import inf
from pathlib import Path

from ranker.data import Example, ReviewEvent, build_examples


@dataclass(frozen=True)
class Problem:
    """A skipped record: where it was and why (`line` is 1-based; 0 when the problem is not one line's)."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class Dataset:
    """Interactions (requests have text; context-only rows such as ratings have `text == ""`) and item texts.

    `semi_synthetic` marks data drawn by a simulator over a real catalogue: every result on it says so.
    `history_from_context_only`: histories hold only context rows (MovieLens: earlier RATINGS, not earlier
    tags), as opposed to every earlier interaction (reviews: the earlier reviewed items).
    """

    name: str
    interactions: list[ReviewEvent]
    items: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    duplicates: int = 0
    semi_synthetic: bool = False
    history_from_context_only: bool = False

    @property
    def label(self) -> str:
        return "semi-synthetic" if self.semi_synthetic else "real"

    def examples(self, history_max: int) -> list[Example]:
        """One example per request (`ranker.data.build_examples`: strictly earlier items, target left out)."""
        if not self.history_from_context_only:
            return build_examples(self.interactions, history_max)
        first_context: dict[tuple[str, str], float] = {}
        for row in self.interactions:
            if not row.text:
                key = (row.user, row.item)
                first_context[key] = min(first_context.get(key, row.time), row.time)
        examples = []
        for example in build_examples(self.interactions, history_max=len(self.interactions)):
            kept = [item for item in example.history if first_context.get((example.user, item), inf) < example.time]
            examples.append(replace(example, history=tuple(kept[-history_max:])))
        return examples

    def summary(self) -> dict[str, int | str]:
        requests = sum(1 for row in self.interactions if row.text)
        return {
            "name": self.name,
            "label": self.label,
            "interactions": len(self.interactions),
            "requests": requests,
            "users": len({row.user for row in self.interactions}),
            "items": len(self.items),
            "skipped": len(self.problems),
            "duplicates": self.duplicates,
        }


def open_text(path: Path) -> io.TextIOBase:
    """A text handle on a plain or gzip file (the public dumps ship either way)."""
    path = Path(path)
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace")
    return path.open(encoding="utf-8", errors="replace")


def numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(1-based line number, stripped line) for every non-blank line."""
    with open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            line = line.strip()
            if line:
                yield number, line
