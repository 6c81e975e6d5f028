"""Where the recommender reads items from: the Chroma store of record (`ItemStore`) or its in-memory copy
(`ItemIndex`), which answers turns faster. Both satisfy `ItemSource`, so the recommender and its tests take
either."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from store.item import Item


@dataclass(frozen=True)
class ScoredItem:
    item: Item
    score: float  # cosine similarity of the query vector and the item's stored vector
    vector: np.ndarray  # the stored vector, (dim,)


@runtime_checkable
class ItemSource(Protocol):
    """Items and their stored frozen-encoder vectors of one dimension `dim`. Unknown ids are skipped."""

    dim: int

    def count(self) -> int: ...

    def get(self, ids: Sequence[str]) -> list[Item]: ...

    def vectors(self, ids: Sequence[str]) -> np.ndarray:
        """(len(known ids), dim), in the order of `ids`."""
        ...

    def vectors_by_id(self, ids: Sequence[str]) -> dict[str, np.ndarray]: ...

    def query(
        self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None, exclude_ids: Sequence[str] = ()
    ) -> list[ScoredItem]:
        """The k items nearest to `vector` (cosine) that pass the Chroma `where` filter, best first."""
        ...
