"""Paired significance tests of one system against another on the same test requests, pooled over seeds.

Per request: a two-sided paired Student's t-test (scipy's `ttest_rel`, the test ranx's `compare` runs) over the
distinct test requests, each request's metric averaged over the seeds it was tested in. A per-user time split
tests the same requests under every seed: counting each seed's copy as its own pair would triple n and shrink
p without any new evidence (a deterministic baseline scores the three copies identically). Per user: the same
test over each user's mean, so that every user weighs the same, as the per-user averages do. p < `ALPHA` is
significant.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping

import numpy as np
from scipy.stats import ttest_rel

from ranker.evaluate.metrics import per_query_metrics

ALPHA = 0.05

Runs = Mapping[str, Mapping[str, float]]  # query -> {item: score}


def pooled(per_seed: Mapping[int, Mapping[str, object]]) -> dict[str, object]:
    """{seed: {query: value}} -> {"seed/query": value}: the seeds' test requests as one paired sample."""
    return {f"{seed}/{query}": value for seed, values in per_seed.items() for query, value in values.items()}


def paired_test(
    targets: Mapping[str, str],
    treatment: Runs,
    control: Runs,
    users: Mapping[str, str],
    metric: str,
    requests: Mapping[str, Hashable] | None = None,
) -> dict[str, float | bool | int]:
    """`treatment` against `control` on the same queries (targets: query -> its relevant item; users: query ->
    user; requests: query -> the request it asks, equal for a request tested under several seeds, by default
    the query itself) -> mean difference and p-value per request and per user, and whether each is
    significant."""
    requests = requests or {query: query for query in targets}
    values = {
        name: per_query_metrics(targets, run, [metric])[metric] for name, run in (("t", treatment), ("c", control))
    }
    by_request: dict[Hashable, list[tuple[float, float]]] = defaultdict(list)
    by_user: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for query in targets:
        pair = (values["t"][query], values["c"][query])
        by_request[requests[query]].append(pair)
        by_user[users[query]].append(pair)
    request_means, user_means = _means(by_request), _means(by_user)
    p_request, p_user = _paired_p(request_means), _paired_p(user_means)
    return {
        "metric": metric,
        "requests": len(request_means),
        "users": len(user_means),
        "difference per request": float(np.mean(request_means[:, 0] - request_means[:, 1])),
        "p per request": p_request,
        "significant per request": p_request < ALPHA,
        "difference per user": float(np.mean(user_means[:, 0] - user_means[:, 1])),
        "p per user": p_user,
        "significant per user": p_user < ALPHA,
    }


def _means(groups: Mapping[Hashable, list[tuple[float, float]]]) -> np.ndarray:
    """group -> its (treatment, control) pairs => (groups, 2) the means of each group's pairs."""
    return np.array([np.mean(pairs, axis=0) for pairs in groups.values()])


def _paired_p(means: np.ndarray) -> float:
    """The paired t-test's p over the rows of (n, 2) means; 1.0 when the two columns do not differ."""
    if len(means) < 2 or np.allclose(means[:, 0], means[:, 1]):
        return 1.0
    return _p_value(float(ttest_rel(means[:, 0], means[:, 1]).pvalue))


def _p_value(p: float) -> float:
    """Identical scores give the t-test no variance (NaN): no evidence of a difference, p = 1."""
    return p if np.isfinite(p) else 1.0
