"""Price words, currencies, who and when, other languages and the echo in a conversation, against a fake
recommender with the real `where` semantics of the in-memory index (as in tests/test_conversation_moves.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from chat.conversation import Conversation
from chat.request import Recommendation, Request
from store.facts import CatalogueFacts
from store.index import ItemIndex
from store.item import Item

DRESSES = [Item(f"d{p}", f"Dress {p}", category="dress", colour="blue", price=float(p)) for p in range(10, 100, 10)]
TOPS = [Item(f"t{p}", f"Top {p}", category="top", colour="blue", price=float(p)) for p in (5, 6, 7, 8, 9, 10)]
KAGGLE_LIKE = [
    Item("m1", "Shirt for men", category="top", extra={"gender": "Men", "season": "Winter", "usage": "Formal"}),
    Item("w1", "Shirt for women", category="top", extra={"gender": "Women", "season": "Summer", "usage": "Casual"}),
    Item("u1", "Unisex shirt", category="top", extra={"gender": "Unisex", "season": "Summer"}),
    Item("n1", "A shirt that says nothing", category="top"),
]


class FakeRecommender:
    """Every item passing the request's filters, in catalogue order; records each request."""

    def __init__(self, items: list[Item]):
        self.index = ItemIndex(items, np.eye(len(items), dtype=np.float32))
        self.facts = CatalogueFacts.of(items)
        self.requests: list[Request] = []

    def recommend(self, request: Request) -> list[Recommendation]:
        self.requests.append(request)
        passing = self.index.mask(request.where)
        return [Recommendation(item, 1.0) for item, keep in zip(self.index.items, passing) if keep][: request.k]

    def count(self, request: Request) -> int:
        return len(self.recommend(request))


@pytest.fixture
def shop() -> FakeRecommender:
    return FakeRecommender(DRESSES + TOPS)


def test_cheap_is_under_the_first_third_of_the_categorys_prices_and_the_reply_says_so(shop):
    turn = Conversation().respond("a cheap dress", shop)
    bound = round(shop.facts.price_quantile(1 / 3, ["dress"]))
    assert turn.cards and all(card.item.price <= bound and card.item.category == "dress" for card in turn.cards)
    assert f"cheap: under ${bound} for dresses here" in turn.reply.lower()


def test_expensive_is_over_the_last_third(shop):
    turn = Conversation().respond("an expensive dress", shop)
    bound = round(shop.facts.price_quantile(2 / 3, ["dress"]))
    assert turn.cards and all(card.item.price >= bound for card in turn.cards)


def test_a_price_band_is_re_read_when_the_category_arrives(shop):
    conversation = Conversation()
    conversation.respond("something cheap", shop)
    everything = conversation.constraints.price_max
    turn = conversation.respond("a dress", shop)
    assert conversation.constraints.price_max == round(shop.facts.price_quantile(1 / 3, ["dress"]))
    assert conversation.constraints.price_max != everything and "for dresses here" in turn.reply


def test_a_stated_price_replaces_a_price_band(shop):
    conversation = Conversation()
    conversation.respond("a cheap dress", shop)
    turn = conversation.respond("under $80", shop)
    assert conversation.constraints.price_max == 80 and "cheap:" not in turn.reply.lower()


def test_a_price_word_alone_refines_the_current_request(shop):
    conversation = Conversation()
    conversation.respond("a dress", shop)
    turn = conversation.respond("mid-range", shop)
    assert turn.cards and "mid-range:" in turn.reply.lower() and conversation.constraints.price_min is not None


def test_a_price_band_that_empties_the_answer_is_offered_for_dropping_and_dropped_with_yes():
    shop = FakeRecommender([*DRESSES, Item("r1", "Red dress", category="dress", colour="red", price=95.0)])
    conversation = Conversation()
    conversation.respond("a red dress", shop)
    offer = conversation.respond("cheap", shop)
    assert [card.item.id for card in offer.cards] == ["r1"] and "Shall I drop “under $" in offer.reply
    turn = conversation.respond("yes", shop)
    assert [card.item.id for card in turn.cards] == ["r1"] and "cheap" not in turn.reply.lower()


def test_an_amount_in_another_currency_is_read_as_dollars_and_the_reply_says_so(shop):
    turn = Conversation().respond("a dress under 40 euros", shop)
    assert all(card.item.price <= 40 for card in turn.cards)
    assert "in dollars" in turn.reply and "euros" in turn.reply


def test_a_message_in_another_language_gets_a_polite_reply_and_no_search(shop):
    conversation = Conversation()
    conversation.respond("a dress", shop)
    shown, asked = conversation.cards, len(shop.requests)
    turn = conversation.respond("une robe rouge pas chère", shop)
    assert "English" in turn.reply and "French" in turn.reply
    assert len(shop.requests) == asked and turn.cards == shown


def test_with_a_chat_model_a_message_in_another_language_becomes_a_request(shop):
    answer = {"request": "red dress", "categories": ["dress"], "price_max": 30}
    turn = Conversation().respond("une robe pas chère", shop, FakeListChatModel(responses=[json.dumps(answer)]))
    assert turn.cards and all(card.item.category == "dress" and card.item.price <= 30 for card in turn.cards)


def test_who_and_when_filter_but_let_items_that_do_not_say_through():
    turn = Conversation().respond("a shirt for men", FakeRecommender(KAGGLE_LIKE))
    assert [card.item.id for card in turn.cards] == ["m1", "u1", "n1"]
    assert "for men" in turn.reply and "filters nothing" not in turn.reply


def test_a_season_the_catalogue_knows_filters():
    turn = Conversation().respond("a shirt for winter", FakeRecommender(KAGGLE_LIKE))
    assert [card.item.id for card in turn.cards] == ["m1", "n1"]


def test_who_and_when_a_catalogue_does_not_know_are_said_to_filter_nothing(shop):
    turn = Conversation().respond("a dress for my husband", shop)
    assert turn.cards
    assert "This catalogue does not say who items are for, so “for men” filters nothing." in turn.reply


def test_the_echo_shows_the_meaningful_words_only(shop):
    turn = Conversation().respond("um, so, I guess, maybe <script>alert(1)</script> a blue dress", shop)
    assert "for “blue dress”" in turn.reply and "alert" not in turn.reply
