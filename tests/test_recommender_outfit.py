"""What goes with a card, through the real Recommender (in-memory index, offline encoder): other kinds, those that
share the card's occasion first; chat/relations.py's goes_with filter is worked by hand in tests/test_relations.py."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tiny_shop import tiny_shop

from chat.recommender import Recommender
from chat.request import RelationRequest, Request
from chat.understand.constraints import Constraints
from store.item import Item


def item(item_id: str, title: str, category: str, usage: str) -> Item:
    return Item(id=item_id, title=title, category=category, colour="green", extra={"gender": "Women", "usage": usage})


ITEMS = [
    item("kurta", "W Women Green Kurta", "top", "Ethnic"),
    item("kurti", "W Women Green Kurti", "top", "Ethnic"),
    item("flip-flops", "W Women Green Flip Flops", "shoes", "Casual"),
    item("sunglasses", "W Women Green Sunglasses", "accessory", "Casual"),
    item("churidar", "Aneri Cream Churidar", "trousers", "Ethnic"),
    item("dupatta", "Aneri Red Dupatta", "accessory", "Ethnic"),
]


@pytest.fixture(scope="module")
def shop(sentence_encoder, tmp_path_factory) -> Recommender:
    return tiny_shop(ITEMS, sentence_encoder, tmp_path_factory.mktemp("users"))


@pytest.fixture(scope="module")
def narrow_shop(shop) -> Recommender:
    """The same shop retrieving two candidates, as a big catalogue's nearest 200 may all be of another occasion."""
    return Recommender(shop.encoder, shop.items, shop.users, None, candidates=2)


def outfit(shop: Recommender) -> list[str]:
    pairing = RelationRequest("goes_with", "kurta", "“W Women Green Kurta”")
    request = Request.from_constraints("", Constraints(), relations=[pairing])
    return [pick.item.id for pick in shop.recommend(replace(request, k=len(ITEMS)))]


def test_an_outfit_holds_other_kinds_than_the_card(shop):
    assert set(outfit(shop)) == {"flip-flops", "sunglasses", "churidar", "dupatta"}


def test_an_outfit_shows_what_shares_the_cards_occasion_first(shop):
    assert set(outfit(shop)[:2]) == {"churidar", "dupatta"}


def test_what_shares_the_cards_occasion_joins_the_candidates_when_the_nearest_do_not(narrow_shop):
    assert outfit(narrow_shop)[0] in {"churidar", "dupatta"}
