"""Specifications of the paired significance tests: what counts as one pair."""

from __future__ import annotations

from ranker.evaluate.significance import paired_test, pooled


def _runs(hits: list[bool]) -> dict[str, dict[str, float]]:
    """query i ranks its target "t" first where hits[i], else second behind "x"."""
    return {f"q{i}": ({"t": 2.0, "x": 1.0} if hit else {"x": 2.0, "t": 1.0}) for i, hit in enumerate(hits)}


def test_a_request_tested_under_several_seeds_is_one_pair_not_one_per_seed():
    hits = [True] * 6 + [False] * 2
    control = [False] * 4 + [True] * 2 + [False] * 2
    per_seed_targets = {seed: {f"q{i}": "t" for i in range(8)} for seed in (0, 1, 2)}
    targets = pooled(per_seed_targets)
    users = {query: query.split("/")[1] for query in targets}
    treatment_runs = pooled({seed: _runs(hits) for seed in (0, 1, 2)})
    control_runs = pooled({seed: _runs(control) for seed in (0, 1, 2)})
    same_requests = {query: query.split("/")[1] for query in targets}

    once = paired_test(targets, treatment_runs, control_runs, users, "ndcg@10", same_requests)
    tripled = paired_test(targets, treatment_runs, control_runs, users, "ndcg@10")

    assert once["requests"] == 8 and tripled["requests"] == 24
    assert once["difference per request"] == tripled["difference per request"]
    assert once["p per request"] > tripled["p per request"]  # the copies are no new evidence
    assert once["p per request"] == once["p per user"]  # one request per user: the same pairs


def test_identical_systems_differ_with_p_one():
    runs = _runs([True, False, True])
    targets = {query: "t" for query in runs}
    result = paired_test(targets, runs, runs, {query: query for query in runs}, "ndcg@10")
    assert result["p per request"] == 1.0 and not result["significant per request"]
