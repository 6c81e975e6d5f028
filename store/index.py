"""An exact in-memory copy of an item store for the request path: filtered nearest neighbours in numpy.

Chroma stays the store of record (ingest writes there, a restart reads from there). A filtered Chroma query over
100k items takes 100-200 ms on 2 cores (bench/results/turn.md), while an exact dot product over the same
vectors plus a numpy filter takes about 10 ms; so the app loads every item once at start and answers turns here.
Filters use Chroma's `where` grammar with Chroma's semantics: a record without a key matches neither `$eq` nor
`$in`, and passes `$ne` and `$nin`.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from store.item import Item
from store.items import ItemStore
from store.source import ScoredItem

_COMPARE = {"$gt": operator.gt, "$gte": operator.ge, "$lt": operator.lt, "$lte": operator.le}


class ItemIndex:
    """Items, their unit vectors (N, D) and their metadata columns, held in memory."""

    def __init__(self, items: Sequence[Item], vectors: np.ndarray):
        self.items = list(items)
        self.dim = int(vectors.shape[1]) if vectors.ndim == 2 else 0
        self.matrix = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(self.items), self.dim)
        self.row_of = {item.id: row for row, item in enumerate(self.items)}
        metadata = [item.metadata() for item in self.items]
        keys = {key for meta in metadata for key in meta}
        self._columns = {key: _Column([meta.get(key) for meta in metadata]) for key in keys}

    @classmethod
    def from_store(cls, store: ItemStore) -> ItemIndex:
        items: list[Item] = []
        blocks: list[np.ndarray] = []
        for batch_items, batch_vectors in store.iter_all():
            items += batch_items
            blocks.append(batch_vectors)
        vectors = np.concatenate(blocks) if blocks else np.zeros((0, store.dim), dtype=np.float32)
        return cls(items, vectors)

    def __len__(self) -> int:
        return len(self.items)

    def count(self) -> int:
        return len(self.items)

    def vectors_by_id(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        return {item_id: self.matrix[self.row_of[item_id]] for item_id in ids if item_id in self.row_of}

    def vectors(self, ids: Sequence[str]) -> np.ndarray:
        rows = [self.row_of[item_id] for item_id in ids if item_id in self.row_of]
        return self.matrix[rows]

    def get(self, ids: Sequence[str]) -> list[Item]:
        return [self.items[self.row_of[item_id]] for item_id in ids if item_id in self.row_of]

    def mask(self, where: dict[str, Any] | None) -> np.ndarray:
        """(N,) bool: the items that satisfy the filter."""
        return np.ones(len(self.items), dtype=bool) if not where else self._evaluate(where)

    def query(
        self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None, exclude_ids: Sequence[str] = ()
    ) -> list[ScoredItem]:
        """The k items nearest to `vector` (cosine: vectors are unit length) passing `where`, best first."""
        allowed = self.mask(where)
        for item_id in exclude_ids:
            if item_id in self.row_of:
                allowed[self.row_of[item_id]] = False
        rows = np.flatnonzero(allowed)
        if len(rows) == 0 or k <= 0:
            return []
        scores = self.matrix[rows] @ np.asarray(vector, dtype=np.float32).reshape(-1)
        top = np.argpartition(-scores, k - 1)[:k] if len(rows) > k else np.arange(len(rows))
        top = top[np.argsort(-scores[top], kind="stable")]
        return [ScoredItem(self.items[rows[i]], float(scores[i]), self.matrix[rows[i]]) for i in top]

    def _evaluate(self, where: dict[str, Any]) -> np.ndarray:
        if len(where) != 1:  # {"a": 1, "b": 2} means both
            return np.logical_and.reduce([self._evaluate({key: value}) for key, value in where.items()])
        ((key, condition),) = where.items()
        if key == "$and":
            return np.logical_and.reduce([self._evaluate(part) for part in condition])
        if key == "$or":
            return np.logical_or.reduce([self._evaluate(part) for part in condition])
        column = self._columns.get(key) or _Column([None] * len(self.items))
        if not isinstance(condition, dict):
            condition = {"$eq": condition}
        ((op, operand),) = condition.items()
        if op in ("$eq", "$in"):
            return column.isin([operand] if op == "$eq" else operand)
        if op in ("$ne", "$nin"):
            return ~column.present | ~column.isin([operand] if op == "$ne" else operand)
        if op in _COMPARE:
            return column.present & _COMPARE[op](column.numbers, float(operand))
        raise ValueError(f"unsupported filter operator {op!r}")


class _Column:
    """One metadata key over all items: integer codes for equality tests, floats for comparisons."""

    def __init__(self, values: list[Any]):
        self.present = np.array([value is not None for value in values], dtype=bool)
        self._code_of: dict[Any, int] = {}
        self.codes = np.array(
            [-1 if value is None else self._code_of.setdefault(value, len(self._code_of)) for value in values],
            dtype=np.int64,
        )
        self.numbers = np.array(
            [float(v) if isinstance(v, int | float) and not isinstance(v, bool) else np.nan for v in values],
            dtype=np.float64,
        )

    def isin(self, operands: Sequence[Any]) -> np.ndarray:
        wanted = [self._code_of[value] for value in operands if value in self._code_of]
        return np.isin(self.codes, wanted) if wanted else np.zeros(len(self.codes), dtype=bool)
