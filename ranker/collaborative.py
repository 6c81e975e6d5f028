"""What other shoppers' logs say about a history: each item's similarity to a history in a space learnt from
who interacted with what (co-occurrence), not from what the items' texts say.

Why: on MovieLens a movie's text is its title and genres, so the frozen encoder's "near" mostly means "same
genres", and its similarity to the history adds little to a trained model (docs/results.md, "Why history adds
little"). Who watched what says more: two movies rated by the same people are near whatever their genres.

The space is a truncated SVD of the binary shopper x item matrix of a log (scipy's `svds`, seeded, so a refit
gives the same space); an item's vector is its right singular vector scaled by the singular values, unit
length. Items nobody logged get a zero vector: their collaborative similarity is 0, so they are ranked by the
rest of the score alone. A history's profile is its items' mean weighted 0.5 ** (age / half_life), as the
frozen-encoder history term weighs it (`ranker.model.WhisperLite.history_similarity`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sparse
from scipy.sparse.linalg import svds

RANK = 64  # factors kept; MovieLens validation does not separate 32, 64 and 128 (docs/results.md)


@dataclass(frozen=True)
class CollaborativeSpace:
    """Unit item vectors (rows aligned with `item_ids`) from a log's co-occurrence; zero rows for unlogged items."""

    item_ids: tuple[str, ...]
    vectors: np.ndarray  # (N, k) float32

    @classmethod
    def fit(cls, log: Iterable[tuple[str, str]], item_ids: Sequence[str], rank: int = RANK) -> CollaborativeSpace:
        """`log`: (shopper, item) pairs, repeats counted once; items not in `item_ids` are ignored."""
        index = {item: row for row, item in enumerate(item_ids)}
        shoppers: dict[str, int] = {}
        cells = {(shoppers.setdefault(shopper, len(shoppers)), index[item]) for shopper, item in log if item in index}
        vectors = np.zeros((len(item_ids), 0), dtype=np.float32)
        k = min(rank, len(shoppers) - 1, len(item_ids) - 1)
        if cells and k >= 1:
            rows, columns = zip(*sorted(cells), strict=True)
            matrix = sparse.csr_matrix(
                (np.ones(len(rows), dtype=np.float32), (rows, columns)), shape=(len(shoppers), len(item_ids))
            )
            _, values, right = svds(matrix, k=k, random_state=0)
            scaled = right.T * values
            norms = np.linalg.norm(scaled, axis=1, keepdims=True)
            vectors = np.divide(scaled, norms, out=np.zeros_like(scaled), where=norms > 1e-9).astype(np.float32)
        return cls(tuple(item_ids), vectors)

    def similarity(self, histories: Sequence[Sequence[int]], half_life: float | None) -> np.ndarray:
        """Histories as rows of `item_ids`, oldest first -> (n, N): every item's dot product with each history's
        recency-weighted mean; a row of zeros for an empty history."""
        profiles = np.zeros((len(histories), self.vectors.shape[1]), dtype=np.float32)
        for row, history in enumerate(histories):
            if len(history):
                ages = np.arange(len(history) - 1, -1, -1, dtype=np.float32)
                weights = np.ones_like(ages) if half_life is None else 0.5 ** (ages / half_life)
                profiles[row] = weights @ self.vectors[list(history)] / weights.sum()
        return profiles @ self.vectors.T
