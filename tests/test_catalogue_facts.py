"""CatalogueFacts: what a catalogue holds, counted from its items."""

from __future__ import annotations

import pytest

from store.facts import CatalogueFacts
from store.item import Item

ITEMS = [
    Item("d1", "Red dress", category="dress", price=30.0),
    Item("d2", "Blue dress", category="dress", price=50.0, sizes=("s", "m")),
    Item("d3", "Green dress", category="dress", price=70.0),
    Item("t1", "White top", category="top", price=10.0),
    Item("x1", "Gift card", price=0.0),
]


def test_counts_categories_including_the_uncategorised():
    facts = CatalogueFacts.of(ITEMS)
    assert facts.category_counts == {"dress": 3, "top": 1, "": 1}
    assert facts.total == 5
    assert facts.has_category("dress") and not facts.has_category("swimsuit")


def test_price_quantiles_are_per_category_and_skip_missing_prices():
    facts = CatalogueFacts.of(ITEMS)
    assert facts.price_quantile(0.5, ["dress"]) == pytest.approx(50.0)
    assert facts.price_quantile(0.0) == pytest.approx(10.0)  # the free gift card has no price
    assert facts.price_quantile(0.5, ["dress", "top"]) == pytest.approx(40.0)


def test_a_category_without_prices_falls_back_to_the_whole_catalogue():
    assert CatalogueFacts.of(ITEMS).price_quantile(1.0, ["shoes"]) == pytest.approx(70.0)


def test_lists_sizes_when_any_item_does():
    assert CatalogueFacts.of(ITEMS).lists_sizes
    assert not CatalogueFacts.of(ITEMS[:1]).lists_sizes


def test_an_empty_catalogue_knows_no_prices():
    assert CatalogueFacts().price_quantile(0.5) is None


def test_price_bands_are_thirds_of_the_categorys_prices():
    facts = CatalogueFacts.of(ITEMS)
    low, mid, high = (facts.price_band(band, ["dress"]) for band in ("low", "mid", "high"))
    assert low == (None, pytest.approx(30 + 20 * (2 / 3)))
    assert mid == (pytest.approx(30 + 20 * (2 / 3)), pytest.approx(50 + 20 * (1 / 3)))
    assert high == (pytest.approx(50 + 20 * (1 / 3)), None)


def test_a_catalogue_without_prices_has_no_price_bands():
    assert CatalogueFacts.of([Item("x1", "Gift card")]).price_band("low") == (None, None)


def test_who_when_lists_the_canonical_values_items_carry():
    items = [
        Item("k1", "Jeans", extra={"gender": "Men", "season": "Fall", "usage": "Casual"}),
        Item("k2", "Kurta", extra={"gender": "Women", "usage": "Ethnic"}),
        Item("d1", "Dress"),
    ]
    facts = CatalogueFacts.of(items)
    assert facts.who_when == {
        "gender": {"men", "women"},
        "season": {"autumn"},
        "usage": {"casual", "ethnic"},
    }
    assert CatalogueFacts.of(items[2:]).who_when == {}


def test_the_catalogues_words_are_its_titles_and_brands():
    facts = CatalogueFacts.of([Item(id="1", title="Nike Men Roshe Run Shoes", brand="Nike", description="mesh upper")])
    assert facts.words == {"nike", "roshe", "shoes"}
