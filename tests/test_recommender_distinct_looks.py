"""One product listed under several ids (the Kaggle photos' "Idee Men Funky Eyewear Green Sunglasses" at three prices)
shows once while other items match, and not again once turned down, through the real Recommender (in-memory index,
offline encoder); tests/test_window.py works the pure rule by hand."""

from __future__ import annotations

import pytest
from tiny_shop import ask, tiny_shop

from chat.recommender import Recommender
from chat.request import Request
from chat.understand.constraints import parse_message
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


def test_a_product_turned_down_does_not_come_back_under_another_id_while_other_items_match(shop):
    message = "green funky eyewear sunglasses"
    turned_down = ask(shop, message, k=1)[0].item
    request = Request.from_constraints(message, parse_message(message).constraints, exclude_ids={turned_down.id}, k=4)
    shown = [pick.item.title for pick in shop.recommend(request)]
    assert turned_down.title == REPEATED and REPEATED not in shown[:3] and shown[3] == REPEATED  # three others
