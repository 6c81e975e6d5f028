"""Specifications of the history-signal measures: ranks among the items not excluded, and neighbourhoods."""

from __future__ import annotations

import numpy as np

from ranker.evaluate.history_signal import neighbourhood_in_history, target_ranks


def test_a_targets_rank_skips_the_excluded_items_and_counts_ties_against_it():
    scores = np.array([[0.9, 0.8, 0.5, 0.5, 0.1]])
    assert target_ranks(scores, np.array([2]), [[]]).tolist() == [4]  # items 0, 1 and the tied 3 come first
    assert target_ranks(scores, np.array([2]), [[0, 3]]).tolist() == [2]


def test_the_neighbourhood_is_found_only_when_a_near_item_is_in_the_history():
    angles = np.array([0.0, 0.1, 1.5, 3.0])
    items = np.stack([np.cos(angles), np.sin(angles)], axis=1)  # item 1 is item 0's nearest, item 3 its farthest
    found = neighbourhood_in_history(items, np.array([0, 0, 0]), [[1], [3], []], k=1)
    assert found.tolist() == [True, False, False]
