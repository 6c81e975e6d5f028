"""Specifications of training examples, splits and tensors: above all, no future item in a history."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ranker.data import Example, ReviewEvent, TrainingSet, build_examples, random_split

# ann's events; t=3 holds two events at the same time, t=5 is a rating without text
TABLE = [
    ReviewEvent("ann", "a", "first", 1.0),
    ReviewEvent("ann", "b", "second", 2.0),
    ReviewEvent("ann", "c", "tie one", 3.0),
    ReviewEvent("ann", "d", "tie two", 3.0),
    ReviewEvent("ann", "e", "", 5.0, rating=4.0),
    ReviewEvent("ann", "f", "after the rating", 6.0),
    ReviewEvent("bob", "b", "bob's only", 2.5),
]


def _by_target(examples: list[Example]) -> dict[str, Example]:
    return {example.target: example for example in examples}


def test_no_item_from_the_future_or_the_same_time_enters_a_history():
    examples = build_examples(TABLE, history_max=50)
    times = {(event.user, event.item): event.time for event in TABLE}
    for example in examples:
        assert all(times[(example.user, item)] < example.time for item in example.history)
    ann = _by_target(examples)
    assert ann["c"].history == ("a", "b") and ann["d"].history == ("a", "b")  # ties never see each other


def test_histories_are_oldest_first_and_include_events_without_text():
    ann = _by_target(build_examples(TABLE, history_max=50))
    assert ann["f"].history == ("a", "b", "c", "d", "e")


def test_only_interactions_with_text_become_examples():
    examples = build_examples(TABLE, history_max=50)
    assert [(example.user, example.target) for example in examples] == [
        ("ann", "a"),
        ("ann", "b"),
        ("ann", "c"),
        ("ann", "d"),
        ("ann", "f"),
        ("bob", "b"),
    ]
    assert _by_target(examples)["a"].request_text == "first"


def test_history_is_capped_at_the_most_recent_items():
    ann = _by_target(build_examples(TABLE, history_max=2))
    assert ann["f"].history == ("d", "e")
    assert _by_target(build_examples(TABLE, history_max=0))["f"].history == ()


def test_histories_belong_to_their_own_user():
    bob = [example for example in build_examples(TABLE, 50) if example.user == "bob"]
    assert bob[0].history == ()


def test_repeated_items_appear_once_at_their_latest_time_and_never_as_their_own_target():
    events = [
        ReviewEvent("u", "x", "", 1.0),
        ReviewEvent("u", "y", "", 2.0),
        ReviewEvent("u", "x", "", 3.0),
        ReviewEvent("u", "x", "tagging x", 4.0),
        ReviewEvent("u", "z", "request", 5.0),
    ]
    examples = _by_target(build_examples(events, 50))
    assert examples["x"].history == ("y",)
    assert examples["z"].history == ("y", "x")
    assert _by_target(build_examples(events, 50, drop_target_from_history=False))["x"].history == ("y", "x")


def _examples(users: dict[str, int]) -> list[Example]:
    return [Example(user, f"{user}{i}", "text", (), float(i)) for user, count in users.items() for i in range(count)]


def test_random_split_is_seeded_disjoint_and_sized_by_fractions():
    examples = _examples({"ann": 100})
    train, val, test = random_split(examples, seed=3)
    assert (len(train), len(val), len(test)) == (80, 10, 10)
    assert sorted(e.target for e in train + val + test) == sorted(e.target for e in examples)
    assert random_split(examples, seed=3) == (train, val, test)
    assert random_split(examples, seed=4)[0] != train
    with pytest.raises(ValueError, match="sum to 1"):
        random_split(examples, seed=0, fractions=(0.5, 0.1, 0.1))


def test_training_set_maps_items_to_rows_and_pads_histories():
    examples = [
        Example("u", "b", "r1", ("a", "gone", "c"), 1.0),
        Example("u", "a", "r2", (), 2.0),
    ]
    index = {"a": 0, "b": 1, "c": 2}
    data = TrainingSet.from_examples(examples, index, np.eye(2, 4, dtype=np.float32))
    assert len(data) == 2
    assert data.targets.tolist() == [1, 0]
    assert data.history.tolist() == [[0, 2], [0, 0]]  # "gone" left the catalogue: skipped
    assert data.history_mask.tolist() == [[True, True], [False, False]]
    assert torch.equal(data.requests, torch.eye(2, 4))


def test_training_set_refuses_targets_missing_from_the_catalogue():
    with pytest.raises(KeyError, match="not in the item index"):
        TrainingSet.from_examples([Example("u", "zz", "r", (), 1.0)], {"a": 0}, np.zeros((1, 4), np.float32))


def test_training_set_pads_known_negatives_and_skips_those_gone_from_the_catalogue():
    examples = [Example("u", "a", "r1", (), 1.0, negatives=("b", "gone", "c")), Example("u", "b", "r2", (), 2.0)]
    data = TrainingSet.from_examples(examples, {"a": 0, "b": 1, "c": 2}, np.eye(2, 4, dtype=np.float32))
    assert data.negatives.tolist() == [[1, 2], [0, 0]]
    assert data.negatives_mask.tolist() == [[True, True], [False, False]]
