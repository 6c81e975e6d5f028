"""A request naming several kinds ("a dress and a shirt") shows each of them, taking turns, through the real
Recommender (in-memory index, offline encoder); a request naming none shows several (tests/test_window.py works
the pure rules by hand)."""

from __future__ import annotations

import pytest
from tiny_shop import ask, tiny_shop

from chat.recommender import Recommender
from chat.request import Request
from chat.understand.constraints import parse_message
from store.item import Item

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
    return tiny_shop(catalogue(), sentence_encoder, tmp_path_factory.mktemp("users"))


def categories_shown(shop: Recommender, message: str) -> list[str]:
    return [pick.item.category for pick in ask(shop, message)]


@pytest.mark.parametrize(
    ("message", "named"),
    [("a dress and a shirt", {"dress", "top"}), ("jeans and sneakers", {"trousers", "shoes"})],
)
def test_two_kinds_named_take_turns_on_the_cards(shop, message, named):
    shown = categories_shown(shop, message)
    assert len(shown) == 8 and set(shown) == named
    assert all(first != second for first, second in zip(shown, shown[1:], strict=False))


def test_the_kind_named_within_a_category_still_comes_first_among_its_own(shop):
    tops = [pick.item for pick in ask(shop, "a dress and a shirt") if pick.item.category == "top"]
    assert tops and all(item.id.startswith("Shirt-") for item in tops)


def test_one_kind_named_keeps_the_rankers_order(shop):
    assert set(categories_shown(shop, "a blue dress")) == {"dress"}


def test_a_request_naming_no_kind_shows_several_kinds_none_filling_more_than_a_third(shop):
    shown = categories_shown(shop, "something in blue")
    assert len(shown) == 8 and len(set(shown)) >= 3
    assert max(shown.count(category) for category in shown) <= 3


@pytest.mark.parametrize(
    ("message", "browsing"),
    [("something for the weekend", True), ("something in blue", True), ("a dress", False), ("a shirt", False)],
)
def test_a_request_is_browsing_when_it_names_no_kind_of_item(message, browsing):
    assert Request.from_constraints(message, parse_message(message).constraints).browsing is browsing


def test_a_request_anchored_on_a_card_or_a_photo_is_not_browsing():
    constraints = parse_message("something similar").constraints
    assert not Request.from_constraints("something similar", constraints, anchor_ids=["Shirt-0"]).browsing
    assert not Request.from_constraints("", constraints, image_vector=[1.0, 0.0]).browsing


def test_a_request_built_from_bare_text_is_ranked_as_scored_not_varied():
    """The offline evaluations build requests from bare text: their scores are the ranker's, not the window's."""
    assert not Request("something for the weekend").browsing
