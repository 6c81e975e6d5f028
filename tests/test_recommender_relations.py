"""The recommender's relation path: "like card 2 but darker" keeps the reference's kind, applies the relation,
and tells the caller when it cannot."""

from __future__ import annotations

import pytest

from chat.recommender import Recommender
from chat.request import RelationRequest, Request
from store.index import ItemIndex
from store.item import Item, Measures
from store.users import UserStore


def shade(lightness: float) -> Measures:
    return Measures(lightness, 20.0, 20.0, "blue", "picture")


ITEMS = [
    Item(id="ref", title="Blue summer dress", category="dress", colour="blue", price=60.0, measures=shade(60)),
    Item(id="d1", title="Navy summer dress", category="dress", colour="navy", price=70.0, measures=shade(30)),
    Item(id="d2", title="Dark blue party dress", category="dress", colour="navy", price=90.0, measures=shade(40)),
    Item(id="d3", title="Light blue summer dress", category="dress", colour="blue", price=50.0, measures=shade(75)),
    Item(id="t1", title="Navy summer top", category="top", colour="navy", price=20.0, measures=shade(25)),
    Item(id="plain", title="Dress without a word on formality", category="dress", price=40.0),
]


@pytest.fixture()
def recommender(tmp_path, sentence_encoder) -> Recommender:
    index = ItemIndex(ITEMS, sentence_encoder.encode_text([item.text() for item in ITEMS]))
    return Recommender(sentence_encoder, index, UserStore(tmp_path / "users.sqlite"), scorer=None)


def test_a_relation_returns_only_items_of_the_references_kind_that_satisfy_it(recommender):
    picks = recommender.recommend(Request(text="summer dress", relations=(RelationRequest("darker", "ref", "card 2"),)))
    assert sorted(pick.item.id for pick in picks) == ["d1", "d2"]


def test_the_relation_is_anded_with_the_requests_own_filter(recommender):
    request = Request(text="dress", where={"price": {"$lte": 80.0}}, relations=(RelationRequest("darker", "ref"),))
    assert [pick.item.id for pick in recommender.recommend(request)] == ["d1"]


def test_the_caller_gets_the_wording_of_what_was_done(recommender):
    assert recommender.relation_filter(RelationRequest("darker", "ref", "card 2")).wording == "darker than card 2"


def test_a_relation_that_cannot_apply_still_answers_with_the_references_kind_and_says_why(recommender):
    relation = RelationRequest("more_formal", "plain", "card 3")
    applied = recommender.relation_filter(relation)
    picks = recommender.recommend(Request(text="dress", relations=(relation,)))
    assert not applied.supported and applied.reason.startswith("card 3 has no usage or occasion")
    assert picks and {pick.item.category for pick in picks} == {"dress"} and "plain" not in {p.item.id for p in picks}


def test_a_reference_gone_from_the_catalogue_is_reported(recommender):
    applied = recommender.relation_filter(RelationRequest("darker", "gone", "card 1"))
    assert (applied.supported, applied.reason) == (False, "card 1 is no longer in the catalogue")
