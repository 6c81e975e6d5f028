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
from dataclasses import replace
from typing import Any

import numpy as np

from store.item import Item
from store.items import READ_PAGE, ItemStore
from store.source import ScoredItem

# Free text that no filter names, unique per item: a filter column of it would hold a second copy of every string
# (about 100 MB at 100k items), so the index keeps it on the items only and refuses a filter on it.
TEXT_KEYS = frozenset({"title", "description", "image", "fingerprint"})
_COMPARE = {"$gt": operator.gt, "$gte": operator.ge, "$lt": operator.lt, "$lte": operator.le}


class ItemIndex:
    """Items, their unit vectors (N, D) and their metadata columns, held in memory.

    Memory at 100k items matters (bench/results/app-100k.md): the metadata is kept as one compact column per key
    (int32 codes, float64 numbers only for numeric keys; no free text), filled a page at a time, never as a list of
    dicts; Chroma's pages are handed back to the system as they are read (store/heap.py); and
    `from_store` fills a preallocated matrix and reuses the strings of items the caller already holds."""

    def __init__(self, items: Sequence[Item], vectors: np.ndarray):
        columns = _ColumnsBuilder(len(items))
        columns.add(0, [item.metadata() for item in items])
        self._set(list(items), vectors, columns)

    def _set(self, items: list[Item], vectors: np.ndarray, columns: _ColumnsBuilder) -> None:
        self.items = items
        self.dim = int(vectors.shape[1]) if vectors.ndim == 2 else 0
        self.matrix = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(self.items), self.dim)
        self.row_of = {item.id: row for row, item in enumerate(self.items)}
        self._columns = columns.build(len(self.items))

    @classmethod
    def from_store(cls, store: ItemStore, held: Sequence[Item] = (), page_size: int = READ_PAGE) -> ItemIndex:
        """Every stored record, its filters read from the stored metadata, `page_size` records at a time. A record
        equal to an item in `held` (the app's catalogue) up to what ingest measures reuses that item's strings
        instead of a second copy."""
        by_id = {item.id: item for item in held}
        index = cls.__new__(cls)
        items: list[Item] = []
        count = store.count()
        columns = _ColumnsBuilder(count)
        matrix = np.zeros((count, store.dim), dtype=np.float32)
        for ids, metadatas, vectors in store.iter_records(page_size):
            end = len(items) + len(ids)
            if end > len(matrix):  # records added while reading
                matrix = np.concatenate([matrix, np.zeros((end - len(matrix), store.dim), dtype=np.float32)])
            matrix[len(items) : end] = vectors
            columns.add(len(items), metadatas)
            items += [
                _shared(Item.from_metadata(item_id, meta), by_id.get(item_id)) for item_id, meta in zip(ids, metadatas)
            ]
        index._set(items, matrix[: len(items)], columns)
        return index

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
        vector = np.asarray(vector, dtype=np.float32).reshape(-1)
        # Unless the filter keeps under an eighth of the items, scoring every row beats copying the allowed rows
        # out of the matrix to score them: at 1M items the copy of 40% of them took 231 ms, the whole scan 88 ms,
        # and the two cost the same at 10% (random rows, one numpy call each, load 1.0)
        wide = 8 * len(rows) > len(allowed)
        scores = (self.matrix @ vector)[rows] if wide else self.matrix[rows] @ vector
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
        if key in TEXT_KEYS:
            raise ValueError(f"{key!r} is free text: the in-memory index does not filter on it")
        column = self._columns.get(key) or _Column(np.full(len(self.items), -1, dtype=np.int32), {}, None)
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


def _shared(stored: Item, held: Item | None) -> Item:
    if held is None:
        return stored
    candidate = replace(held, measures=stored.measures, colour=stored.colour, colour_source=stored.colour_source)
    return candidate if candidate == stored else stored


class _Column:
    """One metadata key over all items: int32 codes for equality tests (-1: the item lacks the key), and floats
    for comparisons when any value is a number."""

    def __init__(self, codes: np.ndarray, code_of: dict[Any, int], numbers: np.ndarray | None):
        self.codes = codes
        self._code_of = code_of
        self.present = codes >= 0
        self.numbers = numbers if numbers is not None else np.full(len(codes), np.nan)

    def isin(self, operands: Sequence[Any]) -> np.ndarray:
        wanted = [self._code_of[value] for value in operands if value in self._code_of]
        return np.isin(self.codes, wanted) if wanted else np.zeros(len(self.codes), dtype=bool)


class _ColumnsBuilder:
    """Per-key int32 codes and float64 numbers in arrays of the final length, filled a page of records at a time:
    per-record lists of Python ints and floats cost about 30 bytes a value, over 20 keys of 100k records."""

    def __init__(self, capacity: int):
        self._capacity = capacity
        self._code_of: dict[str, dict[Any, int]] = {}
        self._codes: dict[str, np.ndarray] = {}
        self._numbers: dict[str, np.ndarray] = {}

    def add(self, start: int, metadatas: Sequence[dict[str, Any]]) -> None:
        """The records of rows start, start + 1, ...; free text (TEXT_KEYS) is left to the items."""
        self._reserve(start + len(metadatas))
        page: dict[str, tuple[list[int], list[int], list[float]]] = {}
        for row, meta in enumerate(metadatas, start):
            for key, value in meta.items():
                if value is None or key in TEXT_KEYS:
                    continue
                rows, codes, numbers = page.get(key) or page.setdefault(key, ([], [], []))
                code_of = self._code_of.setdefault(key, {})
                rows.append(row)
                codes.append(code_of.setdefault(value, len(code_of)))
                numeric = isinstance(value, int | float) and not isinstance(value, bool)
                numbers.append(float(value) if numeric else np.nan)
        for key, (rows, codes, numbers) in page.items():
            if key not in self._codes:
                self._codes[key] = np.full(self._capacity, -1, dtype=np.int32)
            self._codes[key][rows] = codes
            values = np.asarray(numbers, dtype=np.float64)
            if key in self._numbers or not np.isnan(values).all():
                self._numbers.setdefault(key, np.full(self._capacity, np.nan))[rows] = values

    def _reserve(self, count: int) -> None:
        if count <= self._capacity:
            return
        grow = max(count, 2 * self._capacity) - self._capacity
        for arrays, fill in ((self._codes, -1), (self._numbers, np.nan)):
            for key, array in arrays.items():
                arrays[key] = np.concatenate([array, np.full(grow, fill, dtype=array.dtype)])
        self._capacity += grow

    def build(self, count: int) -> dict[str, _Column]:
        columns = {
            key: _Column(codes[:count].copy(), self._code_of[key], self._numbers[key][:count].copy())
            if key in self._numbers
            else _Column(codes[:count].copy(), self._code_of[key], None)
            for key, codes in self._codes.items()
        }
        self._codes.clear()
        self._numbers.clear()
        return columns
