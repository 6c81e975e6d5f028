"""One product listed under several ids (the Kaggle photos' "Idee Men Funky Eyewear Green Sunglasses" at three prices)
shows once while other items match, through the real Recommender (in-memory index, offline encoder);
tests/test_window.py works the pure rule by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chat.recommender import Recommender
from chat.request import Request
from chat.understand.constraints import parse_message
from store.index import ItemIndex
from store.item import Item
from store.users import UserStore

REPEATED = "Idee Men Funky Eyewear Green Sunglasses"


@pytest.fixture(scope="module")
def shop(sentence_encoder, tmp_path_factory) -> Recommender:
    titles = [REPEATED] * 3 + [
        "Fastrack Men Aviator Sunglasses",
        "Polaroid Men Wayfarer Sunglasses",
        "Ray Ban Men Round Sunglasses",
    ]
    items = [
        Item(id=f"glasses-{n}", title=title, category="accessory", colour="green", price=12.99 + 9 * n)
        for n, title in enumerate(titles)
    ]
    index = ItemIndex(items, sentence_encoder.encode_text([item.text() for item in items]))
    return Recommender(sentence_encoder, index, UserStore(tmp_path_factory.mktemp("users") / "u.sqlite"), None)


def titles_shown(shop: Recommender, message: str, k: int) -> list[str]:
    request = replace(Request.from_constraints(message, parse_message(message).constraints), k=k)
    return [pick.item.title for pick in shop.recommend(request)]


def test_a_product_listed_twice_shows_once_while_other_items_match(shop):
    shown = titles_shown(shop, "green funky eyewear sunglasses", k=4)
    assert shown[0] == REPEATED
    assert len(set(shown)) == 4


def test_the_other_listings_of_a_product_still_fill_the_window_after_the_rest(shop):
    shown = titles_shown(shop, "green funky eyewear sunglasses", k=8)
    assert len(shown) == 6
    assert shown[:4].count(REPEATED) == 1 and shown[4:] == [REPEATED, REPEATED]
