"""Baselines that need no training of ours: random, popularity, BM25, zero-shot text similarity, history-only,
and the hybrids of zero-shot with the history's similarity, in the encoder's space or in the split's
collaborative one (one weight chosen on validation)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from ranker.data import Example
from ranker.evaluate.evaluator import RankingEvaluator
from ranker.evaluate.systems import Context
from ranker.model import RankerConfig
from ranker.train import HISTORY_MIXES


class RandomSystem:
    """Uniform random scores from the seed: the floor (P@1 = 0.1 with 10 candidates)."""

    name = "random"

    def fit(self, train: Sequence[Example], val: Sequence[Example], context: Context, seed: int) -> None:
        self._rng = np.random.default_rng(seed)

    def scores(self, examples: Sequence[Example], context: Context) -> np.ndarray:
        return self._rng.random((len(examples), len(context.item_ids)))


class PopularitySystem:
    """How many distinct training users have the item as a target or in a history; ignores the request."""

    name = "popularity"

    def fit(self, train: Sequence[Example], val: Sequence[Example], context: Context, seed: int) -> None:
        users: dict[int, set[str]] = defaultdict(set)
        for example in train:
            for row in [context.item_index[example.target], *context.history_rows(example)]:
                users[row].add(example.user)
        self._counts = np.zeros(len(context.item_ids))
        for row, who in users.items():
            self._counts[row] = len(who)

    def scores(self, examples: Sequence[Example], context: Context) -> np.ndarray:
        return np.tile(self._counts, (len(examples), 1))


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


class BM25System:
    """Okapi BM25 (rank-bm25) of the request against item texts: the paper's baseline."""

    name = "bm25"

    def fit(self, train: Sequence[Example], val: Sequence[Example], context: Context, seed: int) -> None:
        from rank_bm25 import BM25Okapi

        if not hasattr(self, "_bm25"):  # the item texts are the same for every seed
            self._bm25 = BM25Okapi([tokens(text) or [""] for text in context.item_texts])

    def scores(self, examples: Sequence[Example], context: Context) -> np.ndarray:
        return np.stack([self._bm25.get_scores(tokens(example.request_text)) for example in examples])


class ZeroShotSystem:
    """Cosine of frozen encoder vectors of request and item text, no training (the paper's "zero-shot CLIP";
    with the offline encoder it is zero-shot MiniLM, named after the encoder in reports)."""

    def __init__(self, encoder_name: str):
        self.name = f"zero-shot {encoder_name}"

    def fit(self, train: Sequence[Example], val: Sequence[Example], context: Context, seed: int) -> None:
        pass

    def scores(self, examples: Sequence[Example], context: Context) -> np.ndarray:
        return context.requests(examples) @ context.item_vectors.T


class HistoryOnlySystem:
    """Mean of the history items' encoder vectors · item vector; ignores the request. No history: all zeros."""

    name = "history-only"

    def fit(self, train: Sequence[Example], val: Sequence[Example], context: Context, seed: int) -> None:
        pass

    def scores(self, examples: Sequence[Example], context: Context) -> np.ndarray:
        return history_profiles(examples, context) @ context.item_vectors.T


def history_profiles(examples: Sequence[Example], context: Context) -> np.ndarray:
    """(n, D) the mean encoder vector of each example's history items; zeros for an empty history."""
    profiles = np.zeros((len(examples), context.item_vectors.shape[1]), dtype=np.float32)
    for i, example in enumerate(examples):
        rows = context.history_rows(example)
        if rows:
            profiles[i] = context.item_vectors[rows].mean(0)
    return profiles


class ZeroShotHistorySystem:
    """Zero-shot similarity + w · history-only similarity, w from `WEIGHTS` by validation NDCG@10 over the
    full catalogue (own history items excluded, as in the test runs; the first of equal weights wins, so w = 0,
    plain zero-shot, unless history helps on validation). The simplest use of the history: a yardstick for
    what the trained history summaries add. `WEIGHTS` are the history mixes WhisperLite + history chooses
    from, so neither gets a wider choice than the other (up to 1 before: validation chose the top, 1)."""

    WEIGHTS = HISTORY_MIXES

    def __init__(self, encoder_name: str, evaluator: RankingEvaluator | None = None):
        self.name = f"hybrid: zero-shot {encoder_name} + history"
        self.evaluator = evaluator or RankingEvaluator()
        self.weight: float | None = None  # chosen on the first seed's validation set, kept for the others
        self.tuning: list[dict] = []

    def fit(self, train: Sequence[Example], val: Sequence[Example], context: Context, seed: int) -> None:
        if self.weight is not None:
            return
        self.weight, validation = choose_weight(*self._parts(val, context), val, context, self.evaluator, self.WEIGHTS)
        self.tuning = [{"weight": weight, self.evaluator.primary_metric: score} for weight, score in validation.items()]

    def scores(self, examples: Sequence[Example], context: Context) -> np.ndarray:
        request, history = self._parts(examples, context)
        return request + self.weight * history

    @staticmethod
    def _parts(examples: Sequence[Example], context: Context) -> tuple[np.ndarray, np.ndarray]:
        items = context.item_vectors.T
        return context.requests(examples) @ items, history_profiles(examples, context) @ items


class ZeroShotCollaborativeSystem(ZeroShotHistorySystem):
    """Zero-shot similarity + w · the history's similarity in the split's collaborative space
    (`ranker.collaborative`, recency-weighted as WhisperLite weighs it), w chosen as the hybrid's: the
    yardstick for WhisperLite + history's collaborative term, so the trained model is measured against the
    same log used without training."""

    def __init__(self, encoder_name: str, evaluator: RankingEvaluator | None = None):
        super().__init__(encoder_name, evaluator)
        self.name = f"hybrid: zero-shot {encoder_name} + collaborative history"

    @staticmethod
    def _parts(examples: Sequence[Example], context: Context) -> tuple[np.ndarray, np.ndarray]:
        request = context.requests(examples) @ context.item_vectors.T
        return request, context.collaborative_similarity(examples, RankerConfig.recency_half_life)


def choose_weight(
    scores: np.ndarray,
    history: np.ndarray,
    val: Sequence[Example],
    context: Context,
    evaluator: RankingEvaluator,
    weights: Sequence[float] = HISTORY_MIXES,
) -> tuple[float, dict[float, float]]:
    """The weight w of `weights` whose scores + w · history rank the validation targets best over the full
    catalogue (own history items excluded, as in the test runs; the first of equal ones wins, so 0 unless the
    history helps), and every weight's validation score."""
    targets = np.array([context.item_index[example.target] for example in val])
    validation = {}
    for weight in weights:
        mixed = scores + weight * history
        for row, example in enumerate(val):
            mixed[row, context.history_rows(example)] = -np.inf
        validation[weight] = evaluator.evaluate_scores(mixed, targets)[evaluator.primary_metric]
    return evaluator.first_best(validation), validation
