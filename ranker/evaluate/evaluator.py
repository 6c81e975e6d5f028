"""The one ranking evaluator: ranked lists with one relevant item per query -> metrics through ranx.

Training (early stopping in `ranker.train`), the validation grid (`ranker.evaluate.whisperlite`) and the test
metrics of the offline evaluation all read their numbers here, under stable keys `<split>/<metric>`, and the
measure that chooses is `primary_metric` ("val/ndcg@10"; greater is better).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, TypeVar

import numpy as np

from ranker.evaluate.metrics import per_query_metrics, summarise

K = TypeVar("K")


@dataclass(frozen=True)
class RankingEvaluator:
    """`metrics` are ranx names ("ndcg@10", "precision@1", "mrr@100"); `split` prefixes their keys; `primary`
    is the metric that chooses epochs and settings."""

    metrics: tuple[str, ...] = ("ndcg@10",)
    split: str = "val"
    primary: str = "ndcg@10"
    greater_is_better: ClassVar[bool] = True  # true of every metric ranx offers that we use

    @property
    def primary_metric(self) -> str:
        return f"{self.split}/{self.primary}"

    def is_better(self, value: float, best: float) -> bool:
        return value > best if self.greater_is_better else value < best

    def first_best(self, scores: Mapping[K, float]) -> K:
        """The key of the best score, the first of equally good ones in `scores`' order (so a grid lists its
        default first: a tie keeps it)."""
        keys = iter(scores)
        best = next(keys)
        for key in keys:
            if self.is_better(scores[key], scores[best]):
                best = key
        return best

    def evaluate_run(
        self,
        targets: Mapping[str, str],
        run: Mapping[str, Mapping[str, float]],
        users: Mapping[str, str] | None = None,
    ) -> dict[str, float]:
        """targets: query -> its relevant item; run: query -> {item: score}. -> `<split>/<metric>` means, and
        with `users` (query -> user) also the per-user means `<split>-per-user/<metric>`."""
        per_query = per_query_metrics(targets, run, self.metrics)
        return summarise(per_query, users, self.split)

    def evaluate_scores(self, scores: np.ndarray, targets: np.ndarray) -> dict[str, float]:
        """scores (M, N) over all N items, targets (M,) the relevant column of each row -> the metrics' means.

        Ties count against the target: it is ranked below every other item scoring at least as high, so a
        constant scorer earns nothing (ranx alone would order tied items by id)."""
        return self.evaluate_run(*self._ranked(scores, targets))

    def per_query_primary(self, scores: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """(M,) the primary metric of each row of `scores`, as `evaluate_scores` ranks them; its mean is the
        primary metric (the spread is what tells a real gain from a lucky draw)."""
        targets_by_query, run = self._ranked(scores, targets)
        values = per_query_metrics(targets_by_query, run, (self.primary,))[self.primary]
        return np.array([values[query] for query in targets_by_query])

    def _ranked(self, scores: np.ndarray, targets: np.ndarray) -> tuple[dict[str, str], dict[str, dict[str, float]]]:
        scores = np.asarray(scores)
        depth = min(max(_cutoff(metric) for metric in self.metrics), scores.shape[1])
        run: dict[str, dict[str, float]] = {}
        qrels: dict[str, str] = {}
        for query, (row, target) in enumerate(zip(scores, np.asarray(targets), strict=True)):
            ahead = int((row >= row[target]).sum()) - 1  # other items scoring at least as high as the target
            top = np.argpartition(-row, depth)[: depth + 1] if depth < len(row) else np.arange(len(row))
            others = [int(i) for i in top[np.argsort(-row[top], kind="stable")] if i != target]
            ranking = [*others[:ahead], int(target), *others[ahead:]][:depth]
            run[str(query)] = {str(item): float(depth - position) for position, item in enumerate(ranking)}
            qrels[str(query)] = str(int(target))
        return qrels, run


def _cutoff(metric: str) -> int:
    """The depth a metric reads: 10 for "ndcg@10"."""
    name, _, k = metric.partition("@")
    if not k.isdigit():
        raise ValueError(f"metric {metric!r} has no cutoff; write it as {name}@k")
    return int(k)
