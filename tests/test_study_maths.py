"""The relevance study's score, worked by hand: the paper's mapping, per-system credit, the t interval."""

from __future__ import annotations

import math

import pytest

from chat.evaluate.study import GradedCard, mean_interval, relevance, study_table


@pytest.mark.parametrize(("grade", "score"), [(1, -1), (2, -1), (3, 0), (4, 1), (5, 1)])
def test_grades_map_to_minus_one_zero_plus_one_as_in_the_paper(grade, score):
    assert relevance(grade) == score


@pytest.mark.parametrize("grade", [0, 6, -1])
def test_a_grade_outside_one_to_five_is_refused(grade):
    with pytest.raises(ValueError, match="1 to 5"):
        relevance(grade)


def test_the_interval_is_students_t_worked_by_hand():
    # scores 1, 0, -1, 1: mean 0.25; sample sd sqrt(2.75 / 3) = 0.957427; se 0.478714; t(0.975, 3) = 3.182446
    mean, low, high = mean_interval([1, 0, -1, 1])
    assert mean == pytest.approx(0.25)
    assert low == pytest.approx(0.25 - 1.523487, abs=1e-5)
    assert high == pytest.approx(0.25 + 1.523487, abs=1e-5)


def test_one_rating_has_a_mean_but_no_interval():
    mean, low, high = mean_interval([1])
    assert mean == 1 and math.isnan(low) and math.isnan(high)


def test_a_card_two_systems_returned_counts_once_for_each_of_them():
    cards = [
        GradedCard(3, 5, ("zero-shot", "whisperlite")),  # +1 for both
        GradedCard(3, 1, ("whisperlite",)),  # -1
        GradedCard(3, 3, ("random",)),  # 0
        GradedCard(5, 4, ("random",)),  # +1, another k
    ]
    cells = {(c.system, c.k): c for c in study_table(cards, ("whisperlite", "zero-shot", "random"))}
    assert set(cells) == {("whisperlite", 3), ("zero-shot", 3), ("random", 3), ("random", 5)}
    assert (cells["whisperlite", 3].count, cells["whisperlite", 3].mean) == (2, 0.0)
    assert (cells["zero-shot", 3].count, cells["zero-shot", 3].mean) == (1, 1.0)
    assert (cells["random", 3].mean, cells["random", 5].mean) == (0.0, 1.0)


def test_the_table_lists_systems_in_the_given_order_then_by_k():
    cards = [GradedCard(7, 4, ("random",)), GradedCard(3, 4, ("random",)), GradedCard(5, 2, ("zero-shot",))]
    cells = study_table(cards, ("zero-shot", "random"))
    assert [(c.system, c.k) for c in cells] == [("zero-shot", 5), ("random", 3), ("random", 7)]
