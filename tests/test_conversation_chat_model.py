"""A configured LangChain chat model rewrites the conversation into the request and filters."""

from __future__ import annotations

import json

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from chat.conversation import Conversation

pytestmark = pytest.mark.slow


def test_the_chat_models_request_and_filters_drive_the_search(demo_app):
    answer = {"request": "linen summer dress", "colours": ["blue"], "categories": ["dress"], "price_max": 200}
    model = FakeListChatModel(responses=[json.dumps(answer)])
    conversation = Conversation(k=5)
    turn = conversation.respond("something for a beach wedding, blue please", demo_app.recommender, model)
    assert conversation.request_text == "linen summer dress"
    assert turn.cards and all(c.item.colour == "blue" and c.item.category == "dress" for c in turn.cards)


def test_an_unusable_chat_model_answer_falls_back_to_the_rules(demo_app):
    model = FakeListChatModel(responses=["I am not sure what you mean."])
    conversation = Conversation(k=5)
    turn = conversation.respond("a red skirt", demo_app.recommender, model)
    assert conversation.constraints.colours == {"red"} and all(c.item.category == "skirt" for c in turn.cards)
