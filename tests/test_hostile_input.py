"""Hostile input through a whole conversation on the demo app: never an exception, a reply every time, and the
cards' HTML never carries markup from the message.

The parser's own hostile-input properties are in test_parser_hostile.py; here the message goes through
`Conversation.respond` (encoder, Chroma, ranker) and the UI's JSON handler (which also saves the transcript).
"""

from __future__ import annotations

import json
import re

import gradio as gr
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chat.conversation import Conversation
from chat.web.cards import cards_html
from chat.web.handlers import Handlers
from chat.web.rate_limit import RateLimiter, RateLimits

pytestmark = pytest.mark.slow  # the demo app is built once per session (about half a minute)

# The only tags cards_html writes; any other "<" in its output came from data and was not escaped.
CARD_TAG = re.compile(r"</?(ol|li|strong|span|br|small|em)(\s[^<>]*)?>")
MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "<b>red</b> dress",
    "javascript:alert(document.cookie)",
    "<iframe src=//evil>",
    "&lt;script&gt;",
    "<li class=wl-card>fake</li>",
]
SQL = [
    "'; DROP TABLE users;--",
    "red' OR '1'='1",
    "1; DELETE FROM interactions",
    '" UNION SELECT * FROM sessions --',
    "$in $nin $and $or",
    '{"category": {"$ne": null}}',
]
NUMBERS = ["$1e309", "NaN", "inf", "-5", "under -5", "١٢٠", "１２３", "$" + "9" * 400, "1,2,3", "80 to 30", "0x50"]
WORDS = ["a", "red", "dress", "under", "cheaper", "not", "the", "second", "one", "more", "like", "start over", "blue"]

pieces = st.one_of(
    st.sampled_from(MARKUP),
    st.sampled_from(SQL),
    st.sampled_from(NUMBERS),
    st.sampled_from(WORDS),
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8"), max_size=40),  # any code point, incl. controls and lone surrogates
)
messages = st.one_of(
    st.lists(pieces, min_size=1, max_size=8).map(" ".join),
    st.tuples(pieces, st.integers(100, 8000)).map(lambda pair: (pair[0] + " ") * pair[1]),  # very long
    st.text(max_size=300),
)
HOSTILE_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def assert_cards_escaped(html: str) -> None:
    stray = CARD_TAG.sub("", html)
    assert "<" not in stray and ">" not in stray, stray[:300]


@HOSTILE_SETTINGS
@given(conversation=st.lists(messages, min_size=1, max_size=3))
def test_respond_never_raises_and_always_replies(demo_app, conversation):
    chat = Conversation()
    for message in conversation:
        turn = chat.respond(message, demo_app.recommender)
        assert turn.reply.strip()
        assert_cards_escaped(cards_html(turn.cards))
    json.dumps(chat.transcript())


@HOSTILE_SETTINGS
@given(message=messages)
def test_the_turn_handler_answers_and_saves_a_signed_in_shoppers_transcript(demo_app, message):
    unlimited = RateLimits(turns_per_session=10**9, turns_per_client=10**9)  # many examples, not an abuser
    handlers = Handlers(demo_app, RateLimiter(unlimited))
    profile = gr.OAuthProfile({"name": "H", "preferred_username": "hostile", "profile": "", "picture": ""})
    answer, chat = handlers.turn(message, "me", None, profile)
    assert answer["reply"].strip() and "error" not in answer
    assert demo_app.users.transcript(chat.session_id)[-1]["data"]["content"] == answer["reply"]


@pytest.mark.parametrize("payload", MARKUP)
def test_markup_around_a_request_still_finds_dresses_and_is_never_in_the_cards(demo_app, payload):
    turn = Conversation().respond(f"{payload} a red dress {payload}", demo_app.recommender)
    assert turn.cards and all(card.item.category == "dress" for card in turn.cards)
    html = cards_html(turn.cards)
    assert_cards_escaped(html)
    assert "script" not in html and "onerror" not in html


def test_a_lone_surrogate_is_answered_not_raised(demo_app):
    turn = Conversation().respond("a red dress \ud800 \udfff", demo_app.recommender)
    assert turn.cards and turn.reply.strip()
