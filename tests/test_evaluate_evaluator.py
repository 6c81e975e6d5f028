"""The ranking evaluator that training and the offline evaluation share, against values worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from ranker.evaluate.evaluator import RankingEvaluator


def test_primary_metric_is_the_validation_ndcg_at_10_and_greater_is_better():
    evaluator = RankingEvaluator()
    assert evaluator.primary_metric == "val/ndcg@10"
    assert evaluator.is_better(0.5, 0.4) and not evaluator.is_better(0.4, 0.4)


def test_scores_give_hand_computed_ndcg_for_each_rank_of_the_target():
    scores = np.array([[0.9, 0.1, 0.5, 0.3]] * 4)
    # targets at ranks 0, 3, 1, 2 -> 1, 0 (beyond k = 3), 1/log2(3), 1/log2(4)
    result = RankingEvaluator(metrics=("ndcg@3",), primary="ndcg@3").evaluate_scores(scores, np.array([0, 1, 2, 3]))
    assert result == {"val/ndcg@3": pytest.approx((1 + 0 + 1 / np.log2(3) + 0.5) / 4)}


def test_ties_count_against_the_target():
    # a constant scorer: the target is ranked below both tied items, at rank 2
    assert RankingEvaluator().evaluate_scores(np.zeros((1, 3)), np.array([0])) == {"val/ndcg@10": 0.5}


def test_a_target_tied_with_items_beyond_the_cutoff_earns_nothing():
    scores = np.zeros((1, 12))
    assert RankingEvaluator().evaluate_scores(scores, np.array([5])) == {"val/ndcg@10": 0.0}


def test_runs_give_per_user_means_beside_global_means():
    evaluator = RankingEvaluator(metrics=("precision@1",), split="test", primary="precision@1")
    run = {"q1": {"a": 2.0, "b": 1.0}, "q2": {"a": 2.0, "b": 1.0}, "q3": {"a": 2.0, "b": 1.0}}
    result = evaluator.evaluate_run({"q1": "a", "q2": "b", "q3": "a"}, run, {"q1": "ann", "q2": "ann", "q3": "bob"})
    assert result == {"test/precision@1": pytest.approx(2 / 3), "test-per-user/precision@1": pytest.approx(0.75)}


def test_first_best_takes_the_best_score_and_the_first_of_equal_ones():
    evaluator = RankingEvaluator()
    assert evaluator.first_best({"a": 0.2, "b": 0.5, "c": 0.1}) == "b"
    assert evaluator.first_best({0.0: 0.3, 0.5: 0.3, 1.0: 0.2}) == 0.0
