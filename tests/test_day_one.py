"""The day-one evaluation's protocol pieces: the full-catalogue run and the paired test against zero-shot."""

from __future__ import annotations

import numpy as np

from ranker.data import Example
from ranker.evaluate.day_one import full_catalogue_run, significance

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
