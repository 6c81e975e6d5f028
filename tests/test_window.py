"""The window's order rules (chat/window.py), worked by hand on candidate indices, best first."""

from __future__ import annotations

from chat.window import alternate_categories, distinct_looks, kinds_take_turns, varied


def test_categories_take_turns_the_one_ranked_first_starting():
    order, categories = [0, 1, 2, 3, 4], ["top", "top", "top", "dress", "dress"]
    assert alternate_categories(order, categories, frozenset({"top", "dress"})) == [0, 3, 1, 4, 2]


def test_turns_are_taken_within_a_tier_never_across():
    order, categories, named = [0, 1, 2], ["top", "top", "dress"], frozenset({"top", "dress"})
    assert alternate_categories(order, categories, named) == [0, 2, 1]
    tiers = [(False,), (False,), (True,)]  # the dress was sorted after both tops (a colour to see less of, say)
    assert alternate_categories(order, categories, named, tiers) == [0, 1, 2]


def test_one_category_named_leaves_the_order_as_it_is():
    assert alternate_categories([2, 0, 1], ["top", "top", "top"], frozenset({"top"})) == [2, 0, 1]


def test_no_kind_fills_more_than_a_third_of_the_window_while_others_match():
    kinds = ["watch"] * 6 + ["top", "bag", "shoes"]
    assert varied(range(9), kinds, k=8) == [0, 1, 2, 6, 7, 8, 3, 4, 5]


def test_a_kind_past_its_share_still_fills_the_window_when_nothing_else_matches():
    assert varied(range(5), ["watch"] * 4 + ["top"], k=8) == [0, 1, 2, 4, 3]


def test_items_past_their_share_stay_within_their_tier():
    kinds = ["watch", "watch", "watch", "watch", "top"]
    tiers = [(False,)] * 4 + [(True,)]  # the top was sorted after every watch (a colour to see less of, say)
    assert varied(range(5), kinds, k=3, tiers=tiers) == [0, 1, 2, 3, 4]
    assert varied(range(5), kinds, k=3) == [0, 4, 1, 2, 3]


def test_a_tier_the_order_was_not_sorted_by_is_sorted_first_keeping_the_order_within_it():
    kinds = ["watch", "top", "watch", "top"]
    tiers = [(True,), (False,), (True,), (False,)]  # the tops are what the history is worn for
    assert varied(range(4), kinds, k=4, tiers=tiers) == [1, 3, 0, 2]


def test_an_item_that_looks_like_one_before_it_moves_after_the_others():
    looks = ["green sunglasses", "green sunglasses", "brown wallet", "green sunglasses", "green shirt"]
    assert distinct_looks(range(5), looks) == [0, 2, 4, 1, 3]


def test_an_item_that_looks_like_one_turned_down_moves_after_the_others():
    looks = ["steel watch", "black watch", "white watch"]
    assert distinct_looks(range(3), looks, seen={"steel watch"}) == [1, 2, 0]


def test_a_repeated_look_still_fills_the_window_when_nothing_else_matches():
    assert distinct_looks([2, 0, 1], ["wallet"] * 3) == [2, 0, 1]


def test_a_repeated_look_stays_within_its_tier():
    looks = ["sunglasses", "sunglasses", "shirt"]
    tiers = [(False,), (False,), (True,)]  # the shirt was sorted after both pairs (a colour to see less of, say)
    assert distinct_looks(range(3), looks, tiers) == [0, 1, 2]


def test_kinds_take_turns_in_the_window_each_keeping_its_order():
    kinds = ["watch", "watch", "watch", "shoes", "top", "top"]
    assert kinds_take_turns(range(6), kinds, k=6) == [0, 3, 1, 4, 2, 5]


def test_taking_turns_changes_the_order_of_the_window_not_which_items_fill_it():
    kinds = ["watch", "watch", "watch", "top"]
    assert kinds_take_turns(range(4), kinds, k=3) == [0, 1, 2, 3]


def test_kinds_take_turns_within_a_tier_never_across():
    kinds = ["watch", "watch", "top"]
    tiers = [(False,), (False,), (True,)]  # the top was sorted after both watches (a colour to see less of, say)
    assert kinds_take_turns(range(3), kinds, k=3, tiers=tiers) == [0, 1, 2]
