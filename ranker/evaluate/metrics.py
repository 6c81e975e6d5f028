"""Metrics through ranx: one relevant item per query; global means and per-user means.

Keys are stable: `test/precision@1`, `test/ndcg@10`, and `test-per-user/ndcg@10` (each user's queries averaged
first, then users: in MovieLens one user wrote 41% of the tags, so the global mean is mostly theirs).
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

PAPER_METRICS = (
    "precision@1",
    "precision@2",
    "precision@3",
    "precision@4",
    "recall@1",
    "recall@2",
    "recall@3",
    "recall@4",
    "ndcg@10",
)
# MRR over the top 100 of the run (ranks beyond 100 would add less than 0.01 each)
FULL_METRICS = ("recall@10", "recall@50", "ndcg@10", "ndcg@50", "mrr@100")


def per_query_metrics(
    targets: Mapping[str, str], run: Mapping[str, Mapping[str, float]], metrics: Sequence[str]
) -> dict[str, dict[str, float]]:
    """targets: query id -> its one relevant item id; run: query id -> {item id: score} -> metric -> query -> value."""
    from ranx import Qrels, Run, evaluate

    qrels = Qrels({query: {item: 1} for query, item in targets.items()})
    ranx_run = Run({query: dict(scores) for query, scores in run.items()})
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*unsafe cast.*")
        evaluate(qrels, ranx_run, list(metrics), save_results_in_run=True)
    return {metric: {query: float(value) for query, value in ranx_run.scores[metric].items()} for metric in metrics}


def summarise(
    per_query: Mapping[str, Mapping[str, float]], users: Mapping[str, str] | None, prefix: str
) -> dict[str, float]:
    """Global means as `<prefix>/<metric>` and, given `users`, per-user macro means as `<prefix>-per-user/<metric>`."""
    out: dict[str, float] = {}
    for metric, values in per_query.items():
        out[f"{prefix}/{metric}"] = float(np.mean(list(values.values()))) if values else 0.0
        if users is None:
            continue
        by_user: dict[str, list[float]] = defaultdict(list)
        for query, value in values.items():
            by_user[users[query]].append(value)
        out[f"{prefix}-per-user/{metric}"] = float(np.mean([np.mean(v) for v in by_user.values()])) if by_user else 0.0
    return out
