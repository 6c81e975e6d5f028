"""find_who_when: who an item is for and when it is worn, as canonical values of store.vocabulary; without_who_when:
the words of a value the shopper moved on from."""

from __future__ import annotations

import pytest

from chat.understand.who_when import (
    WhoWhen,
    buys_for_someone_else,
    find_who_when,
    names_recipient,
    without_recipient,
    without_who_when,
)


@pytest.mark.parametrize(
    ("text", "genders"),
    [
        ("a shirt for men", {"men"}),
        ("men's shoes", {"men"}),
        ("women's jeans", {"women"}),
        ("a ladies top", {"women"}),
        ("a dress for my daughter", {"girls"}),
        ("a jacket for my son", {"boys"}),
        ("a tie for my husband", {"men"}),
        ("kids shoes", {"boys", "girls"}),
        ("a unisex bag", {"unisex"}),
    ],
)
def test_who_an_item_is_for(text, genders):
    assert find_who_when(text).genders == genders


@pytest.mark.parametrize(
    ("text", "usages"),
    [
        ("a blazer for the office", {"formal"}),
        ("trousers for work", {"formal"}),
        ("leggings for the gym", {"sports"}),
        ("running shoes", {"sports"}),
        ("a party dress", {"party"}),
        ("a casual top", {"casual"}),
        ("something smart casual", {"smart casual"}),
        ("an ethnic kurta", {"ethnic"}),
    ],
)
def test_what_occasion_an_item_is_for(text, usages):
    assert find_who_when(text).usages == usages


@pytest.mark.parametrize(
    ("text", "seasons"),
    [("a coat for winter", {"winter"}), ("a summer dress", {"summer"}), ("boots for fall", {"autumn"})],
)
def test_when_an_item_is_worn(text, seasons):
    assert find_who_when(text).seasons == seasons


@pytest.mark.parametrize("text", ["a top that is less formal", "more casual", "semi-formal", "is more girly"])
def test_a_comparative_is_not_a_usage_or_a_gender(text):
    found = find_who_when(text)
    assert not found.usages and not found.genders


def test_a_negated_season_is_no_constraint():
    assert find_who_when("a jacket, not for winter").seasons == frozenset()


def test_a_wedding_names_no_usage():
    assert find_who_when("a dress for a beach wedding").usages == frozenset()


@pytest.mark.parametrize(
    ("text", "stale", "left"),
    [
        ("a gift for my boyfriend", WhoWhen(genders=frozenset({"men"})), "a gift"),
        ("a summer dress for men", WhoWhen(seasons=frozenset({"summer"})), "a dress for men"),
        ("a summer dress for men", WhoWhen(genders=frozenset({"men"})), "a summer dress"),
        ("shoes for the office", WhoWhen(usages=frozenset({"formal"})), "shoes"),
        ("kids shoes", WhoWhen(genders=frozenset({"boys"})), "shoes"),
    ],
)
def test_the_words_of_a_stale_recipient_or_occasion_leave_the_text_with_their_for(text, stale, left):
    assert without_who_when(text, stale) == left


def test_words_naming_a_value_still_wanted_or_negated_stay():
    assert without_who_when("a coat for men", WhoWhen(genders=frozenset({"women"}))) == "a coat for men"
    negated = "a coat, not for winter"
    assert without_who_when(negated, WhoWhen(seasons=frozenset({"winter"}))) == negated


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a gift for my boyfriend", True),
        ("a watch for my dad", True),
        ("something for her", True),
        ("a present", True),
        ("a top for a friend", True),
        ("a dress for her wedding", False),
        ("dresses for women", False),
        ("a summer dress", False),
    ],
)
def test_a_gift_or_a_relation_says_the_shopper_buys_for_someone_else(text, expected):
    assert buys_for_someone_else(text) is expected


def test_a_recipient_named_by_relation_is_found_and_taken_out():
    assert names_recipient("a watch for my dad") and not names_recipient("a watch for men")
    assert without_recipient("gift for my boyfriend in blue") == "gift in blue"
    assert without_recipient("present my son") == "present"
