"""Metrics through the pipeline (scores -> ranked run -> ranx) against values worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from ranker.data import Example
from ranker.evaluate.metrics import FULL_METRICS, PAPER_METRICS, per_query_metrics, summarise
from ranker.evaluate.runner import _run
from ranker.evaluate.systems import Context


def _context(items: list[str]) -> Context:
    return Context(items, items, np.eye(len(items), dtype=np.float32), {}, np.zeros((0, len(items))))


def _metrics(scores: list[list[float]], targets: list[str], metrics, candidates=None, users=None):
    items = ["a", "b", "c", "d", "e"]
    test = [Example(user, target, "r", (), 0.0) for user, target in zip(users or ["u"] * len(targets), targets)]
    queries = [f"q{i}" for i in range(len(test))]
    run = _run(np.array(scores, dtype=np.float64), test, queries, _context(items), candidates, seed=0)
    per_query = per_query_metrics(dict(zip(queries, targets)), run, metrics)
    return summarise(per_query, {query: example.user for query, example in zip(queries, test)}, "test")


def test_a_perfect_ranking_scores_one_on_every_metric():
    result = _metrics([[5, 4, 3, 2, 1]], ["a"], PAPER_METRICS + FULL_METRICS)
    assert result["test/ndcg@10"] == 1.0
    assert result["test/precision@1"] == 1.0
    assert result["test/recall@1"] == 1.0
    assert result["test/mrr@100"] == 1.0


def test_target_third_of_five_gives_hand_computed_values():
    # ranking: b (0.9), d (0.7), a (0.5), e (0.3), c (0.1); the target a is at rank 3
    result = _metrics([[0.5, 0.9, 0.1, 0.7, 0.3]], ["a"], PAPER_METRICS + ("mrr@100",))
    assert result["test/ndcg@10"] == pytest.approx(1 / np.log2(4))  # 0.5
    assert result["test/precision@1"] == 0.0
    assert result["test/precision@3"] == pytest.approx(1 / 3)
    assert result["test/precision@4"] == pytest.approx(1 / 4)
    assert result["test/recall@2"] == 0.0
    assert result["test/recall@3"] == 1.0
    assert result["test/mrr@100"] == pytest.approx(1 / 3)


def test_candidates_restrict_the_ranking_to_their_items():
    # among candidates [a, c, e] only: a (0.5) is second after e (0.6); b and d score higher but are not candidates
    result = _metrics([[0.5, 0.9, 0.1, 0.8, 0.6]], ["a"], ("ndcg@10", "precision@1"), {"q0": ["a", "c", "e"]})
    assert result["test/ndcg@10"] == pytest.approx(1 / np.log2(3))
    assert result["test/precision@1"] == 0.0


def test_per_user_mean_averages_users_not_queries():
    scores = [[5, 4, 3, 2, 1]] * 3
    result = _metrics(scores, ["a", "e", "a"], ("precision@1",), users=["heavy", "heavy", "light"])
    assert result["test/precision@1"] == pytest.approx(2 / 3)
    assert result["test-per-user/precision@1"] == pytest.approx((0.5 + 1.0) / 2)


def test_ties_are_broken_at_random_not_by_catalogue_order():
    # a constant scorer: the target's rank is random, so over many queries P@1 is near 1/5, not 1 for item "a"
    result = _metrics([[1.0] * 5] * 400, ["a"] * 400, ("precision@1",))
    assert 0.12 < result["test/precision@1"] < 0.28
