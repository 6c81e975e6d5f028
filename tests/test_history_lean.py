"""The history's lean, worked by hand: who and what most of a history is for, what a request leaves of it, the
score it adds to each candidate, and the colours most of it is in."""

from __future__ import annotations

import pytest

from chat.history_lean import (
    LeanSettings,
    age_group_in_force,
    history_colours,
    history_lean,
    lean_boost,
    lean_in_force,
    other_age_group,
)

SETTINGS = LeanSettings(share=0.6, min_items=3, weight=1.5)


def said(gender: str, usage: str) -> dict[str, str]:
    return {"gender": gender, "usage": usage}


def test_a_history_mostly_for_one_group_leans_to_it():
    history = [said("women", "casual")] * 3 + [said("men", "sports")]
    assert history_lean(history, SETTINGS) == {"gender": "women", "usage": "casual"}


def test_a_mixed_history_leans_nowhere():
    history = [said("women", "casual"), said("men", "sports")] * 2
    assert history_lean(history, SETTINGS) == {}


def test_a_history_shorter_than_the_minimum_leans_nowhere():
    assert history_lean([said("women", "casual")] * 2, SETTINGS) == {}


def test_unisex_items_neither_count_for_nor_against_a_gender():
    history = [said("women", "")] * 3 + [said("unisex", "")] * 5
    assert history_lean(history, SETTINGS) == {"gender": "women"}


def test_what_the_request_states_it_decides_itself():
    lean = {"gender": "women", "usage": "casual"}
    assert lean_in_force(lean, genders_stated=True, usages_stated=False) == {"usage": "casual"}
    assert lean_in_force(lean, genders_stated=False, usages_stated=True) == {"gender": "women"}


def test_the_boost_is_the_weight_per_matching_value_and_half_for_unisex():
    candidates = [said("women", "casual"), said("unisex", "casual"), said("men", "sports")]
    boost, wording = lean_boost({"gender": "women", "usage": "casual"}, candidates, SETTINGS)
    assert boost.tolist() == pytest.approx([3.0, 2.25, 0.0])
    assert wording == "women's casual"


def test_no_lean_adds_nothing_and_says_nothing():
    boost, wording = lean_boost({}, [said("women", "casual")], SETTINGS)
    assert boost.tolist() == [0.0] and wording == ""


def test_other_age_group_marks_neither_unisex_nor_unknown_items():
    candidates = [said(gender, "") for gender in ("women", "men", "girls", "boys", "unisex", "")]
    assert other_age_group("adults", candidates).tolist() == [False, False, True, True, False, False]
    assert other_age_group("children", candidates).tolist() == [True, True, False, False, False, False]
    assert other_age_group("", candidates).tolist() == [False] * 6


def test_a_gender_lean_sets_the_age_group_in_force():
    assert age_group_in_force({"gender": "women"}, genders_stated=False) == "adults"
    assert age_group_in_force({"gender": "boys"}, genders_stated=False) == "children"


def test_a_request_from_no_history_that_says_nobody_is_for_adults():
    assert age_group_in_force({}, genders_stated=False) == "adults"
    assert age_group_in_force({"usage": "casual"}, genders_stated=False) == "adults"


def test_a_request_that_says_who_it_is_for_has_no_age_group_in_force():
    assert age_group_in_force({}, genders_stated=True) == ""


def test_a_history_mostly_in_two_colours_has_them_as_its_colours():
    assert history_colours(["black"] * 3 + ["white"] * 2 + ["red"], SETTINGS) == {"black", "white"}


def test_a_history_of_many_colours_has_none():
    assert history_colours(["black", "white", "red", "blue", "green"], SETTINGS) == frozenset()


def test_items_of_unknown_colour_neither_count_for_nor_against_the_colours():
    assert history_colours(["black", "black", "black", "", "", ""], SETTINGS) == {"black"}
    assert history_colours(["black", "black", "", ""], SETTINGS) == frozenset()  # two known: too few
