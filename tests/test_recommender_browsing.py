"""A request that names no kind ("an everyday look") browses: through the real Recommender (in-memory index,
offline encoder), what no category names (briefs, boxers) shows only after the garments, shoes and accessories,
and the kinds take turns in the window; tests/test_window.py works the pure rules by hand."""

from __future__ import annotations

import pytest
from tiny_shop import ask, tiny_shop

from chat.recommender import Recommender
from store.item import Item

ITEMS = [
    ("briefs-1", "Jockey Men Comfort Black Briefs", ""),
    ("boxers-1", "Jockey Men Comfort Grey Boxers", ""),
    ("boxer-shorts-1", "Crusoe Men Comfort Green Boxer Shorts", ""),  # its title names a kind, its record none
    ("watch-1", "Puma Men Comfort Black Watch", "accessory"),
    ("watch-2", "Titan Men Comfort Steel Watch", "accessory"),
    ("watch-3", "Fastrack Men Comfort Blue Watch", "accessory"),
    ("shirt-1", "Peter England Men Blue Shirt", "top"),
    ("shoes-1", "Nike Men White Sports Shoes", "shoes"),
]


@pytest.fixture(scope="module")
def shop(sentence_encoder, tmp_path_factory) -> Recommender:
    items = [Item(id=i, title=title, category=category, price=20.0) for i, title, category in ITEMS]
    return tiny_shop(items, sentence_encoder, tmp_path_factory.mktemp("users"))


def shown(shop: Recommender, message: str, k: int) -> list[str]:
    return [pick.item.id for pick in ask(shop, message, k)]


def test_underwear_shows_only_after_every_garment_shoe_and_accessory_when_browsing(shop):
    ids = shown(shop, "a comfortable everyday outfit", k=8)
    assert set(ids[-3:]) == {"briefs-1", "boxers-1", "boxer-shorts-1"}


def test_underwear_still_shows_when_asked_for(shop):
    assert shown(shop, "black briefs", k=1) == ["briefs-1"]


def test_no_kind_shows_twice_in_a_row_while_another_is_in_the_window(shop):
    category = {item_id: category for item_id, _, category in ITEMS}
    kinds = [category[item_id] for item_id in shown(shop, "a comfortable everyday outfit", k=8)]
    assert kinds[:5] == ["accessory", "top", "accessory", "shoes", "accessory"]  # the three watches, apart


def test_a_colour_alone_does_not_bring_the_underwear_forward(sentence_encoder, tmp_path):
    black = [
        Item(id="briefs-1", title="Jockey Men Black Briefs", colour="black", price=9.0),
        Item(id="shirt-1", title="Peter England Men Check Shirt", category="top", colour="black", price=30.0),
        Item(id="shoes-1", title="Nike Men Running Shoes", category="shoes", colour="black", price=60.0),
    ]  # only the briefs' title says "black": the nearest to the words
    ids = [pick.item.id for pick in ask(tiny_shop(black, sentence_encoder, tmp_path), "like this but in black", k=3)]
    assert ids[-1] == "briefs-1"
