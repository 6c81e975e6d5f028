"""A request naming several kinds ("a dress and a shirt") shows each of them, taking turns, through the real
Recommender (in-memory index, offline encoder); and the order's pure rule, worked by hand."""

from __future__ import annotations

import pytest

from chat.recommender import Recommender, alternate_categories
from chat.request import Request
from chat.understand.constraints import parse_message
from store.index import ItemIndex
from store.item import Item
from store.users import UserStore

KINDS = {  # article type -> category; the shirts' and t-shirts' titles say "shirt" more often than dresses "dress"
    "Shirt": "top",
    "Tshirt": "top",
    "Dress": "dress",
    "Jeans": "trousers",
    "Sneakers": "shoes",
}
COLOURS = ("Blue", "White", "Black", "Red")


def catalogue() -> list[Item]:
    return [
        Item(
            id=f"{kind}-{n}",
            title=f"Roadster Women {colour} Cotton {kind}" + (" Shirt Style" if kind == "Shirt" else ""),
            category=category,
            colour=colour.lower(),
            price=30.0 + n,
        )
        for kind, category in KINDS.items()
        for n, colour in enumerate(COLOURS * 3)
    ]


@pytest.fixture(scope="module")
def shop(sentence_encoder, tmp_path_factory) -> Recommender:
    items = catalogue()
    index = ItemIndex(items, sentence_encoder.encode_text([item.text() for item in items]))
    return Recommender(sentence_encoder, index, UserStore(tmp_path_factory.mktemp("users") / "u.sqlite"), None)


def categories_shown(shop: Recommender, message: str) -> list[str]:
    request = Request.from_constraints(message, parse_message(message).constraints)
    return [pick.item.category for pick in shop.recommend(request)]


@pytest.mark.parametrize(
    ("message", "named"),
    [("a dress and a shirt", {"dress", "top"}), ("jeans and sneakers", {"trousers", "shoes"})],
)
def test_two_kinds_named_take_turns_on_the_cards(shop, message, named):
    shown = categories_shown(shop, message)
    assert len(shown) == 8 and set(shown) == named
    assert all(first != second for first, second in zip(shown, shown[1:], strict=False))


def test_the_kind_named_within_a_category_still_comes_first_among_its_own(shop):
    request = Request.from_constraints("a dress and a shirt", parse_message("a dress and a shirt").constraints)
    tops = [pick.item for pick in shop.recommend(request) if pick.item.category == "top"]
    assert tops and all(item.id.startswith("Shirt-") for item in tops)


def test_one_kind_named_keeps_the_rankers_order(shop):
    assert set(categories_shown(shop, "a blue dress")) == {"dress"}


def test_categories_take_turns_the_one_ranked_first_starting():
    order, categories = [0, 1, 2, 3, 4], ["top", "top", "top", "dress", "dress"]
    assert alternate_categories(order, categories, frozenset({"top", "dress"})) == [0, 3, 1, 4, 2]


def test_turns_are_taken_within_a_tier_never_across():
    order, categories, named = [0, 1, 2], ["top", "top", "dress"], frozenset({"top", "dress"})
    assert alternate_categories(order, categories, named) == [0, 2, 1]
    tiers = [(False,), (False,), (True,)]  # the dress was sorted after both tops (a colour to see less of, say)
    assert alternate_categories(order, categories, named, tiers) == [0, 1, 2]


def test_one_category_named_leaves_the_order_as_it_is():
    assert alternate_categories([2, 0, 1], ["top", "top", "top"], frozenset({"top"})) == [2, 0, 1]
