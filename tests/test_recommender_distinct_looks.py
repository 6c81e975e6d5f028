"""One product listed under several ids (the Kaggle photos' "Idee Men Funky Eyewear Green Sunglasses" at three prices)
shows once while other items match, through the real Recommender (in-memory index, offline encoder);
tests/test_window.py works the pure rule by hand."""

from __future__ import annotations

import pytest
from tiny_shop import ask, tiny_shop

from chat.recommender import Recommender
from store.item import Item

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
    return tiny_shop(items, sentence_encoder, tmp_path_factory.mktemp("users"))


def titles_shown(shop: Recommender, message: str, k: int) -> list[str]:
    return [pick.item.title for pick in ask(shop, message, k)]


def test_a_product_listed_twice_shows_once_while_other_items_match(shop):
    shown = titles_shown(shop, "green funky eyewear sunglasses", k=4)
    assert shown[0] == REPEATED
    assert len(set(shown)) == 4


def test_the_other_listings_of_a_product_still_fill_the_window_after_the_rest(shop):
    shown = titles_shown(shop, "green funky eyewear sunglasses", k=8)
    assert len(shown) == 6
    assert shown[:4].count(REPEATED) == 1 and shown[4:] == [REPEATED, REPEATED]
