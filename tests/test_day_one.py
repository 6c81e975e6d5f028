"""The day-one evaluation's protocol pieces: the full-catalogue run and the paired test against zero-shot."""

from __future__ import annotations

import numpy as np

from ranker.data import Example
from ranker.evaluate.day_one import ZERO_SHOT, full_catalogue_run, pooled_tests, significance

ITEMS = ["a", "b", "c", "d"]


def test_the_run_leaves_out_the_requests_own_history_and_ranks_by_score():
    example = Example("u", "c", "a coat", history=("a",), time=1.0)
    run = full_catalogue_run(np.array([[9.0, 1.0, 5.0, 3.0]]), [example], ITEMS, seed=0)
    (ranked,) = run.values()
    assert "a" not in sorted(ranked, key=ranked.get, reverse=True)[:3]
    assert sorted(ranked, key=ranked.get, reverse=True)[:3] == ["c", "d", "b"]


def test_a_system_that_ranks_every_target_first_differs_significantly_from_one_that_never_does():
    targets = {f"q{i}": "a" for i in range(30)}
    first = {query: {"a": 2.0, "b": 1.0} for query in targets}
    last = {query: {"b": 2.0, "c": 1.5, "a": 1.0} for query in targets}
    p_values = significance(targets, {"zero-shot": last, "trained": first}, "zero-shot")
    assert set(p_values) == {"trained"} and p_values["trained"] < 0.05


def test_the_pooled_test_counts_each_request_once_however_many_seeds_tested_it():
    targets = {f"q{i}": "a" for i in range(30)}
    users = {query: f"u{i % 3}" for i, query in enumerate(targets)}
    hit, miss = {"a": 2.0, "b": 1.0}, {"b": 2.0, "c": 1.5, "a": 1.0}
    trained = {query: hit if i % 2 else miss for i, query in enumerate(targets)}
    zero_shot = {query: miss for query in targets}
    seed_runs = {ZERO_SHOT: {0: zero_shot, 1: zero_shot}, "trained": {0: trained, 1: trained}}
    (test,) = pooled_tests(seed_runs, targets, users).values()
    assert test["requests"] == 30 and test["users"] == 3
    assert test["difference per request"] > 0 and test["p per request"] < 0.05
