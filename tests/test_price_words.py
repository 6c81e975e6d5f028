"""Prices as shoppers say them: bounds, ranges, currencies, spelled amounts and absolute price words."""

from __future__ import annotations

import pytest

from chat.understand.constraints import parse_message


def bounds(text: str) -> tuple[float | None, float | None]:
    constraints = parse_message(text).constraints
    return constraints.price_min, constraints.price_max


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no more than 80", (None, 80.0)),
        ("at most $50", (None, 50.0)),
        ("up to 60", (None, 60.0)),
        ("maximum 90", (None, 90.0)),
        ("min 30", (30.0, None)),
        ("more than 30", (30.0, None)),
        ("from 30", (30.0, None)),
        ("40 to 60 dollars", (40.0, 60.0)),
        ("$40-$60", (40.0, 60.0)),
        ("80 euros", (None, 80.0)),
        ("50 quid", (None, 50.0)),
        ("eighty dollars", (None, 80.0)),
        ("nothing over eighty dollars", (None, 80.0)),
        ("under fifty quid", (None, 50.0)),
        ("a hundred and twenty five bucks", (None, 125.0)),
    ],
)
def test_bounded_phrasings_ranges_and_spelled_amounts(text, expected):
    assert bounds(text) == expected


def test_a_spelled_number_without_a_currency_is_not_a_price():
    assert bounds("two dresses") == (None, None)


@pytest.mark.parametrize(
    ("text", "currency"),
    [("€80", "euros"), ("a dress under 80 euros", "euros"), ("£50", "pounds"), ("50 quid", "pounds"), ("$50", "")],
)
def test_the_currency_named_is_reported_and_the_amount_kept(text, currency):
    parsed = parse_message(text)
    assert parsed.currency == currency
    assert parsed.constraints.price_max in (50.0, 80.0)


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("a cheap dress", "low"),
        ("something affordable", "low"),
        ("budget sneakers", "low"),
        ("not too expensive", "low"),
        ("mid-range shoes", "mid"),
        ("moderately priced", "mid"),
        ("an expensive bag", "high"),
        ("luxury watches", "high"),
        ("premium leather boots", "high"),
        ("a high-end coat", "high"),
    ],
)
def test_absolute_price_words_are_bands(text, band):
    assert parse_message(text).price_band == band


@pytest.mark.parametrize("text", ["cheaper", "more expensive", "less pricey", "budget ones", "designer jeans"])
def test_relative_price_words_and_designer_are_not_bands(text):
    assert parse_message(text).price_band is None


def test_a_price_word_is_not_a_word_of_the_request():
    assert parse_message("a cheap summer dress").semantic_text == "summer dress"
