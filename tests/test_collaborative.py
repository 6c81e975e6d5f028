"""Specifications of the collaborative space: items logged by the same shoppers are near, whatever their text."""

from __future__ import annotations

import numpy as np

from ranker.collaborative import CollaborativeSpace

ITEMS = ["a", "b", "c", "d", "unlogged"]
# shoppers 0-2 take a and b, shoppers 3-5 take c and d: two groups that share nobody
LOG = [(f"s{n}", item) for n in range(3) for item in "ab"] + [(f"s{n}", item) for n in range(3, 6) for item in "cd"]


def test_items_taken_by_the_same_shoppers_are_nearer_than_items_taken_by_others():
    space = CollaborativeSpace.fit(LOG, ITEMS, rank=2)
    similarity = space.similarity([[0]], half_life=None)[0]  # a history of "a" alone
    assert similarity[1] > 0.99  # "b": taken by exactly a's shoppers
    assert abs(similarity[2]) < 1e-5 and abs(similarity[3]) < 1e-5


def test_an_item_nobody_logged_has_no_collaborative_similarity():
    space = CollaborativeSpace.fit(LOG, ITEMS, rank=2)
    assert not space.vectors[4].any()
    assert space.similarity([[0, 2]], half_life=None)[0, 4] == 0.0


def test_an_empty_history_is_near_nothing():
    space = CollaborativeSpace.fit(LOG, ITEMS, rank=2)
    assert not space.similarity([[]], half_life=10.0).any()


def test_the_latest_item_of_a_history_weighs_more_under_a_half_life():
    space = CollaborativeSpace.fit(LOG, ITEMS, rank=2)
    similarity = space.similarity([[0, 2]], half_life=1.0)[0]  # "a" then "c": c is the latest, weight 1 vs 0.5
    assert similarity[2] > similarity[0] > 0
    assert np.isclose(similarity[2], 2 * similarity[0])


def test_repeats_count_once_and_items_outside_the_catalogue_are_ignored():
    first = CollaborativeSpace.fit(LOG, ITEMS, rank=2)
    again = CollaborativeSpace.fit(LOG + LOG[:3] + [("s0", "not in the catalogue")], ITEMS, rank=2)
    histories = [[0], [2], [0, 3]]
    # similarities, not vectors: with equal singular values any rotation of the factors is the same space
    assert np.allclose(first.similarity(histories, 10.0), again.similarity(histories, 10.0), atol=1e-5)


def test_a_log_of_one_shopper_gives_a_space_near_nothing():
    space = CollaborativeSpace.fit([("s0", "a"), ("s0", "b")], ITEMS)
    assert not space.similarity([[0]], half_life=None).any()
