"""The recommender's soft colours and unknown attributes, on a real in-memory index and the offline encoder."""

from __future__ import annotations

import pytest

from chat.recommender import Recommender
from chat.request import Request
from chat.understand.constraints import Constraints, parse_message
from store.index import ItemIndex
from store.item import Item
from store.users import UserStore

ITEMS = [
    Item("w", "Summer dress", category="dress", colour="white", price=40.0),
    Item("y", "Summer dress", category="dress", colour="yellow", price=40.0),
    Item("u", "Summer dress", category="dress", colour="", price=40.0),
    Item("b", "Summer dress in blue", category="dress", colour="blue", price=40.0),
]


@pytest.fixture(scope="module")
def recommender(sentence_encoder, tmp_path_factory) -> Recommender:
    vectors = sentence_encoder.encode_text([item.title for item in ITEMS])  # w, y and u: one vector, equals
    users = UserStore(tmp_path_factory.mktemp("users") / "users.sqlite")
    return Recommender(sentence_encoder, ItemIndex(ITEMS, vectors), users, scorer=None)


def _ids(recommender: Recommender, message: str) -> list[str]:
    request = Request.from_constraints("summer dress", parse_message(message).constraints)
    return [r.item.id for r in recommender.recommend(request)]


def test_the_soft_colours_travel_in_the_request():
    request = Request.from_constraints("dress", parse_message("a dress with white buttons, less yellow").constraints)
    assert (request.prefer_colours, request.avoid_colours, request.where) == (
        {"white"},
        {"yellow"},
        {"category": {"$in": ["dress"]}},
    )


def test_a_preferred_colour_ranks_before_its_equals(recommender):
    ids = _ids(recommender, "more white")
    assert ids.index("w") < min(ids.index("y"), ids.index("u"))


def test_an_avoided_colour_ranks_after_its_equals(recommender):
    ids = _ids(recommender, "less yellow")
    assert ids.index("y") > max(ids.index("w"), ids.index("u"))


def test_an_avoided_colour_ranks_after_a_better_matching_other_colour_yet_still_shows(recommender):
    ids = _ids(recommender, "less yellow")
    assert ids[-1] == "y"  # after "b" too, whose title matches "summer dress" less well


def test_an_item_without_the_wanted_colour_passes_the_filter_after_the_known_match(recommender):
    assert _ids(recommender, "in blue") == ["b", "u"]


def test_unknown_colours_rank_last_only_when_a_colour_is_wanted(recommender):
    request = Request.from_constraints("summer dress", Constraints())
    assert request.known_first == frozenset() and len(recommender.recommend(request)) == 4


KINDS = [
    Item("t1", "Printed cotton tshirt", category="top", colour="white", price=20.0),
    Item("t2", "Cotton t-shirt, printed", category="top", colour="white", price=20.0),
    Item("s1", "Striped shirt", category="top", colour="white", price=30.0),
]


def test_a_kind_the_shopper_named_ranks_before_nearer_items_of_another_kind(sentence_encoder, tmp_path):
    vectors = sentence_encoder.encode_text([item.title for item in KINDS])
    users = UserStore(tmp_path / "users.sqlite")
    recommender = Recommender(sentence_encoder, ItemIndex(KINDS, vectors), users, scorer=None)
    parsed = parse_message("a printed cotton shirt")
    request = Request.from_constraints(parsed.semantic_text, parsed.constraints)
    assert request.kinds == {"shirt"}
    assert [r.item.id for r in recommender.recommend(request)][0] == "s1"
