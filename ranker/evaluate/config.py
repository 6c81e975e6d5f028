"""The evaluation's one typed config, read at the edge (CLI, notebook) and passed down."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ranker.datasets.registry import DatasetSource
from ranker.evaluate.whisperlite import WhisperLiteGrid

SYSTEMS = (
    "random",
    "popularity",
    "bm25",
    "zero-shot",
    "history-only",
    "zero-shot+history",
    "zero-shot+collaborative",
    "whisperlite",
    "whisperlite+history",
    "bce-only",
    "infonce-only",
)


@dataclass(frozen=True)
class EvalConfig:
    """`min_history`: examples with fewer earlier items are dropped (5 for MovieLens, as its README counts).
    `max_examples`: a seeded sample of the examples, for a quick run (notebook, tests). The histories' length
    is the grid's `history_max`, so the examples and the models read the same number of past items."""

    source: DatasetSource = field(default_factory=DatasetSource)
    protocols: tuple[str, ...] = ("paper@10cands", "paper@10cands-temporal", "full-catalogue")
    systems: tuple[str, ...] = SYSTEMS
    seeds: tuple[int, ...] = (0, 1, 2)
    min_history: int = 0
    max_examples: int | None = None
    cache_dir: Path = Path(".cache/evaluate")
    grid: WhisperLiteGrid = field(default_factory=WhisperLiteGrid.preset)
