"""What a conversation asks the recommender and stores, against fakes: one behaviour each, in milliseconds.

`FakeRecommender` answers from a dozen items with the real `where` semantics of the in-memory index and records
every `Request`; `FakeFeedbackStore` records what would be stored. The real app is the point of
`tests/test_conversation.py`; here the point is the dialogue state.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from chat.conversation import Conversation
from chat.recommender import Recommendation, Request
from store.facts import CatalogueFacts
from store.index import ItemIndex
from store.item import Item

ITEMS = [
    Item("d1", "Red summer dress", category="dress", colour="red", material="linen", price=40.0, sizes=("s", "m")),
    Item("d2", "Blue summer dress", category="dress", colour="blue", material="cotton", price=60.0, sizes=("m", "l")),
    Item("d3", "Blue silk dress", category="dress", colour="blue", material="silk", price=120.0, sizes=("xs",)),
    Item("d4", "Black linen dress", category="dress", colour="black", material="linen", price=80.0, sizes=("l",)),
    Item("s1", "White running sneakers", category="shoes", colour="white", material="synthetic", price=90.0),
    Item("s2", "Black leather boots", category="shoes", colour="black", material="leather", price=150.0),
    Item("s3", "Tan leather sandals", category="shoes", colour="brown", material="leather", price=50.0),
    Item("b1", "Woven straw bag", category="bag", colour="beige", material="straw", price=35.0),
]


class FakeRecommender:
    """Every item passing the request's filters, in catalogue order; records each request."""

    def __init__(self, items: list[Item] = ITEMS, lists_sizes: bool = True):
        self.index = ItemIndex(items, np.eye(len(items), dtype=np.float32))
        self.facts = replace(CatalogueFacts.of(items), lists_sizes=lists_sizes)
        self.requests: list[Request] = []

    def recommend(self, request: Request) -> list[Recommendation]:
        self.requests.append(request)
        passing = self.index.mask(request.where) & ~np.isin([i.id for i in self.index.items], list(request.exclude_ids))
        items = [item for item, keep in zip(self.index.items, passing) if keep]
        items = [i for i in items if not request.exclude_terms & set(i.title.lower().split())]
        items = [i for i in items if not request.sizes or not i.sizes or request.sizes & set(i.sizes)]
        return [Recommendation(item, 1.0) for item in items[: request.k]]


class FakeFeedbackStore:
    def __init__(self) -> None:
        self.recorded: list[tuple[str, str, str]] = []

    def record(self, user_id, item_id, kind, when=None, session_id=None) -> int:
        self.recorded.append((user_id, item_id, kind))
        return len(self.recorded)


@pytest.fixture
def recommender() -> FakeRecommender:
    return FakeRecommender()


def test_a_refinement_keeps_the_category_and_adds_the_colour(recommender):
    conversation = Conversation()
    conversation.respond("a dress", recommender)
    turn = conversation.respond("in blue", recommender)
    assert [card.item.id for card in turn.cards] == ["d2", "d3"]
    assert recommender.requests[-1].where == {
        "$and": [{"category": {"$in": ["dress"]}}, {"colour": {"$in": ["", "blue"]}}]
    }


def test_a_size_reaches_the_recommender_and_the_reply(recommender):
    turn = Conversation().respond("a dress in size m", recommender)
    assert recommender.requests[-1].sizes == {"m"}
    assert [card.item.id for card in turn.cards] == ["d1", "d2"] and "size m" in turn.reply


def test_on_a_catalogue_without_sizes_the_reply_says_a_size_filters_nothing():
    turn = Conversation().respond("shoes in size 38", FakeRecommender(lists_sizes=False))
    assert "This catalogue lists no sizes, so “size 38” filters nothing." in turn.reply
    assert "(category shoes, size 38)" not in turn.reply


def test_a_refused_kind_reaches_the_recommender_and_keeps_the_category(recommender):
    conversation = Conversation()
    conversation.respond("shoes", recommender)
    turn = conversation.respond("no sneakers", recommender)
    assert recommender.requests[-1].exclude_terms == {"sneakers"}
    assert [card.item.id for card in turn.cards] == ["s2", "s3"]


def test_not_that_one_hides_the_card_from_every_later_request(recommender):
    conversation = Conversation()
    conversation.respond("a dress", recommender)
    conversation.respond("not the first one", recommender)
    conversation.respond("in red or blue", recommender)
    assert all("d1" in request.exclude_ids for request in recommender.requests[1:])


def test_cheaper_bounds_the_price_below_the_median_of_the_cards_on_screen(recommender):
    conversation = Conversation()
    conversation.respond("a dress", recommender)  # 40, 60, 120, 80: median 70
    turn = conversation.respond("cheaper", recommender)
    assert {"price": {"$lte": pytest.approx(70 * 0.999)}} in recommender.requests[-1].where["$and"]
    assert [card.item.price for card in turn.cards] == [40.0, 60.0]


def test_when_nothing_matches_the_newest_constraint_is_offered_and_yes_drops_it(recommender):
    conversation = Conversation()
    conversation.respond("a dress in red", recommender)
    empty = conversation.respond("made of silk", recommender)
    assert empty.cards == [] and "Shall I drop “material silk”?" in empty.reply
    relaxed = conversation.respond("yes", recommender)
    assert [card.item.id for card in relaxed.cards] == ["d1"]


def test_a_like_is_stored_for_a_remembered_shopper():
    store, conversation = FakeFeedbackStore(), Conversation(user_id="hf:ada", remembered=True)
    conversation.respond("a bag", FakeRecommender())
    conversation.feedback(1, "like", store)
    assert store.recorded == [("hf:ada", "b1", "like")]


def test_a_like_on_a_persona_steers_the_next_request_but_is_never_stored():
    store, recommender, conversation = FakeFeedbackStore(), FakeRecommender(), Conversation(user_id="maya")
    conversation.respond("a bag", recommender)
    conversation.feedback(1, "like", store)
    conversation.respond("something for the beach", recommender)
    assert store.recorded == [] and recommender.requests[-1].liked_ids == ("b1",)


def test_a_second_like_of_the_same_card_is_stored_once_and_a_dislike_replaces_it():
    store, conversation = FakeFeedbackStore(), Conversation(user_id="hf:ada", remembered=True)
    conversation.respond("a dress", FakeRecommender())
    conversation.feedback(2, "like", store)
    conversation.feedback(2, "like", store)
    conversation.feedback(2, "dislike", store)
    assert store.recorded == [("hf:ada", "d2", "like"), ("hf:ada", "d2", "dislike")]
    assert (conversation.liked, conversation.disliked) == ([], ["d2"])


def test_start_over_forgets_the_request_and_keeps_the_likes(recommender):
    conversation = Conversation()
    conversation.respond("a blue dress", recommender)
    conversation.feedback(1, "like")
    conversation.respond("start over", recommender)
    turn = conversation.respond("shoes", recommender)
    assert recommender.requests[-1].where == {"category": {"$in": ["shoes"]}} and len(turn.cards) == 3
    assert conversation.liked == ["d2"]


def test_another_category_starts_a_new_topic(recommender):
    conversation = Conversation()
    conversation.respond("a red dress", recommender)
    conversation.respond("some shoes", recommender)
    assert recommender.requests[-1].where == {"category": {"$in": ["shoes"]}}
    assert "dress" not in conversation.request_text
