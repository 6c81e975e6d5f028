"""The clarifying question as pure functions: what is vague, and which attribute splits the candidates best,
on counts worked out by hand."""

from __future__ import annotations

import math

import pytest

from chat.clarify import best_question, entropy, is_vague, price_bands
from chat.understand.constraints import parse_message
from store.item import Item


def _vague(message: str) -> bool:
    parsed = parse_message(message)
    return is_vague(parsed.constraints, parsed.semantic_text)


@pytest.mark.parametrize("message", ["something nice", "a gift", "anything", "surprise me", "what do you have?"])
def test_filler_alone_is_vague(message):
    assert _vague(message)


@pytest.mark.parametrize("message", ["a red dress", "a dress", "in red", "something nice under $50", "linen"])
def test_any_filter_makes_a_request_specific(message):
    assert not _vague(message)


@pytest.mark.parametrize("message", ["something warm", "a gift for the office", "something nice for a wedding"])
def test_one_word_beyond_filler_makes_a_request_specific(message):
    assert not _vague(message)


def test_entropy_of_two_halves_and_of_a_half_and_two_quarters():
    assert entropy([1, 1]) == pytest.approx(math.log(2))
    assert entropy([2, 1, 1]) == pytest.approx(1.5 * math.log(2))
    assert entropy([]) == 0.0


def _item(n: int, category: str = "dress", occasions: str = "", price: float = 50.0) -> Item:
    extra = {"occasions": occasions} if occasions else {}
    return Item(f"i{n}", f"item {n}", category=category, price=price, extra=extra)


def test_the_category_question_when_categories_split_evenly():
    # categories 4/4/4: ln 3 = 1.10; occasions all "party": one value, no question
    items = [_item(n, category, "party") for n, category in enumerate(["dress", "shoes", "bag"] * 4)]
    question = best_question(items)
    assert question.attribute == "category"
    assert question.choices == ("bag", "dress", "shoes")  # equal counts: by name


def test_the_occasion_question_when_occasions_split_better_than_categories():
    # categories 10/1/1: entropy 0.57; occasions 4/4/4: ln 3 = 1.10
    categories = ["dress"] * 10 + ["shoes", "bag"]
    items = [_item(n, category, ["beach", "office", "gym"][n % 3]) for n, category in enumerate(categories)]
    question = best_question(items)
    assert question.attribute == "occasion"
    assert set(question.choices) == {"beach", "office", "gym"}


def test_an_item_with_two_occasions_counts_half_for_each():
    # beach 0.5 + 1 = 1.5, office 1, wedding 0.5: offered most common first
    items = [_item(1, occasions="beach, wedding"), _item(2, occasions="beach"), _item(3, occasions="office")]
    assert best_question(items).choices == ("beach", "office", "wedding")


def test_at_most_five_choices_the_rest_pooled():
    categories = ["dress", "top", "trousers", "skirt", "jacket", "shoes", "bag"]
    question = best_question([_item(n, category) for n, category in enumerate(categories)])
    assert question.choices == ("bag", "dress", "jacket", "shoes", "skirt")


def test_the_price_question_offers_the_bands_cheapest_first_as_messages_the_parser_reads():
    # all dresses; prices 2 under $30, 2 between, 2 over $60: ln 3
    items = [_item(n, price=price) for n, price in enumerate([70, 10, 40, 80, 20, 50])]
    question = best_question(items, price_edges=(30.0, 60.0))
    assert question.attribute == "price"
    assert question.choices == ("under $30", "$30 to $60", "over $60")
    assert [parse_message(choice).constraints.price_max for choice in question.choices] == [30.0, 60.0, None]


def test_price_bands_are_three_rounded_phrases():
    assert price_bands(33.6, 80.2) == ("under $34", "$34 to $80", "over $80")


def test_no_question_when_no_attribute_has_three_values():
    items = [_item(n, ["dress", "shoes"][n % 2], ["beach", "gym"][n % 2]) for n in range(6)]
    assert best_question(items, price_edges=None) is None
