"""Paired significance tests of one system against another on the same test requests, pooled over seeds.

Per request: ranx's `compare` (two-sided paired Student's t-test) over every (seed, test request) pair, both
systems ranking the same candidates. Per user: the same test (scipy's `ttest_rel`, the function ranx calls) over
each user's mean, so that every user weighs the same, as the per-user averages do. p < `ALPHA` is significant.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Mapping

import numpy as np
from scipy.stats import ttest_rel

from ranker.evaluate.metrics import per_query_metrics

ALPHA = 0.05

Runs = Mapping[str, Mapping[str, float]]  # query -> {item: score}


def pooled(per_seed: Mapping[int, Mapping[str, object]]) -> dict[str, object]:
    """{seed: {query: value}} -> {"seed/query": value}: the seeds' test requests as one paired sample."""
    return {f"{seed}/{query}": value for seed, values in per_seed.items() for query, value in values.items()}


def paired_test(
    targets: Mapping[str, str], treatment: Runs, control: Runs, users: Mapping[str, str], metric: str
) -> dict[str, float | bool | int]:
    """`treatment` against `control` on the same queries (targets: query -> its relevant item; users: query ->
    user) -> mean difference and p-value per request and per user, and whether each is significant."""
    from ranx import Qrels, Run, compare

    qrels = Qrels({query: {item: 1} for query, item in targets.items()})
    runs = [Run(dict(treatment), name="treatment"), Run(dict(control), name="control")]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*unsafe cast.*")
        report = compare(qrels, runs, [metric], stat_test="student", max_p=ALPHA).to_dict()
    p_request = _p_value(float(report["treatment"]["comparisons"]["control"][metric]))
    values = {
        name: per_query_metrics(targets, run, [metric])[metric] for name, run in (("t", treatment), ("c", control))
    }
    by_user: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for query in targets:
        by_user[users[query]].append((values["t"][query], values["c"][query]))
    user_means = np.array([np.mean(pairs, axis=0) for pairs in by_user.values()])  # (users, 2)
    differs = len(user_means) > 1 and not np.allclose(user_means[:, 0], user_means[:, 1])
    p_user = _p_value(float(ttest_rel(user_means[:, 0], user_means[:, 1]).pvalue)) if differs else 1.0
    difference = float(np.mean([values["t"][query] - values["c"][query] for query in targets]))
    return {
        "metric": metric,
        "requests": len(targets),
        "users": len(user_means),
        "difference per request": difference,
        "p per request": p_request,
        "significant per request": p_request < ALPHA,
        "difference per user": float(np.mean(user_means[:, 0] - user_means[:, 1])),
        "p per user": p_user,
        "significant per user": p_user < ALPHA,
    }


def _p_value(p: float) -> float:
    """Identical scores give the t-test no variance (NaN): no evidence of a difference, p = 1."""
    return p if np.isfinite(p) else 1.0
