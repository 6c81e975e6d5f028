"""What every ranked system sees, and the contract it meets: fit on train (+ validation), score the catalogue.

Systems score the whole catalogue (n, N); the runner picks the paper protocol's candidate columns from that,
so every system is measured on the same candidates, split and seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ranker.collaborative import CollaborativeSpace
from ranker.data import Example


@dataclass
class Context:
    """The catalogue and the frozen encoder vectors (rows aligned with `item_ids`), and the request vectors.

    `collaborative`: the space of the split's training log (`ranker.evaluate.training_log`), set by the runner
    for each split; None when the dataset has no log beyond its examples' histories."""

    item_ids: list[str]
    item_texts: list[str]
    item_vectors: np.ndarray  # (N, D)
    request_index: dict[str, int]  # request text -> row of request_vectors
    request_vectors: np.ndarray  # (R, D)
    collaborative: CollaborativeSpace | None = None

    def __post_init__(self) -> None:
        self.item_index = {item: row for row, item in enumerate(self.item_ids)}

    def requests(self, examples: Sequence[Example]) -> np.ndarray:
        """(n, D) encoder vectors of the examples' request texts."""
        return self.request_vectors[[self.request_index[example.request_text] for example in examples]]

    def history_rows(self, example: Example) -> list[int]:
        return [self.item_index[item] for item in example.history if item in self.item_index]

    def collaborative_similarity(self, examples: Sequence[Example], half_life: float | None) -> np.ndarray:
        """(n, N) each item's similarity to each example's history in the collaborative space; 0 without one."""
        if self.collaborative is None:
            return np.zeros((len(examples), len(self.item_ids)), dtype=np.float32)
        return self.collaborative.similarity([self.history_rows(example) for example in examples], half_life)


class System(Protocol):
    name: str

    def fit(self, train: Sequence[Example], val: Sequence[Example], context: Context, seed: int) -> None: ...

    def scores(self, examples: Sequence[Example], context: Context) -> np.ndarray:
        """(len(examples), N) scores over the whole catalogue, higher is better."""
        ...
