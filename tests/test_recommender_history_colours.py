"""A history mostly in two colours lifts items of those colours where the request names none, through the real
Recommender (in-memory index, offline encoder); tests/test_history_lean.py works `history_colours` by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tiny_shop import tiny_shop

from chat.recommender import Recommender
from chat.request import Request
from chat.understand.constraints import parse_message
from store.item import Item

LIKED = ("tee-red-1", "tee-white-1", "tee-red-2")  # a history of red and white t-shirts
ITEMS = [
    Item(id="tee-red-1", title="Nike Men Sports Tshirt", category="top", colour="red", price=20.0),
    Item(id="tee-white-1", title="Puma Men Sports Tshirt", category="top", colour="white", price=20.0),
    Item(id="tee-red-2", title="Adidas Men Sports Tshirt", category="top", colour="red", price=20.0),
    *(  # the same shirt in three colours: the frozen similarity cannot tell them apart
        Item(id=f"shirt-{colour}", title="Wrangler Men Casual Shirt", category="top", colour=colour, price=30.0)
        for colour in ("green", "black", "red")
    ),
]


@pytest.fixture(scope="module")
def shop(sentence_encoder, tmp_path_factory) -> Recommender:
    return tiny_shop(ITEMS, sentence_encoder, tmp_path_factory.mktemp("users"))


def shirts(shop: Recommender, message: str, liked: tuple[str, ...]) -> list[str]:
    request = Request.from_constraints(message, parse_message(message).constraints, liked_ids=liked)
    picks = shop.recommend(replace(request, k=len(ITEMS)))
    return [pick.item.id for pick in picks if pick.item.id.startswith("shirt")]


def test_the_historys_colour_comes_first_among_equals_where_the_request_names_none(shop):
    assert shirts(shop, "a casual shirt", liked=())[0] != "shirt-red"
    assert shirts(shop, "a casual shirt", liked=LIKED)[0] == "shirt-red"


def test_a_request_that_names_a_colour_is_ranked_without_the_historys(shop):
    message = "a casual shirt, not green"
    assert shirts(shop, message, liked=LIKED) == shirts(shop, message, liked=())
