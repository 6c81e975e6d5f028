"""Conversation behaviours a shopper relies on, on the real demo app (Chroma, SQLite, the trained demo model)."""

from __future__ import annotations

import statistics

import pytest

from chat.conversation import Conversation
from store.users import User

pytestmark = pytest.mark.slow  # the demo app is built once per session (about half a minute)


def talk(
    app, *messages: str, user: str | None = None, remembered: bool = False, k: int = 8
) -> tuple[Conversation, list]:
    conversation = Conversation(user_id=user, remembered=remembered, k=k)
    turns = [conversation.respond(message, app.recommender) for message in messages]
    return conversation, turns


def test_a_refinement_keeps_the_category_and_adds_the_colour(demo_app):
    _, turns = talk(demo_app, "a summer dress", "in blue")
    assert turns[1].cards and all(c.item.category == "dress" and c.item.colour == "blue" for c in turns[1].cards)


def test_a_price_bound_holds_on_every_card(demo_app):
    _, turns = talk(demo_app, "a jacket under $90")
    assert turns[0].cards and all(c.item.price <= 90 for c in turns[0].cards)


def test_cheaper_means_below_the_median_of_the_last_cards(demo_app):
    _, turns = talk(demo_app, "a bag", "cheaper")
    median = statistics.median(c.item.price for c in turns[0].cards)
    assert turns[1].cards and all(c.item.price < median for c in turns[1].cards)


def test_a_negated_material_is_excluded(demo_app):
    _, turns = talk(demo_app, "a dress", "no polyester")
    assert turns[1].cards and all(c.item.material != "polyester" for c in turns[1].cards)


def test_a_rejected_card_never_comes_back_in_the_conversation(demo_app):
    conversation, turns = talk(demo_app, "a top")
    rejected = turns[0].cards[0].item.id
    later = [conversation.respond(m, demo_app.recommender) for m in ("not that one", "in cotton", "a casual top")]
    assert all(rejected not in {c.item.id for c in turn.cards} for turn in later)


def test_more_like_a_card_keeps_that_cards_item_among_the_picks(demo_app):
    conversation, turns = talk(demo_app, "shoes")
    second = turns[0].cards[1].item
    after = conversation.respond("more like the second one", demo_app.recommender)
    assert second.id in {c.item.id for c in after.cards[:3]}


def test_a_new_category_starts_a_new_request_but_keeps_the_sessions_likes(demo_app):
    conversation, turns = talk(demo_app, "a summer dress")
    conversation.feedback(1, "like", demo_app.users)
    after = conversation.respond("actually, show me sneakers", demo_app.recommender)
    assert all(c.item.category == "shoes" for c in after.cards)
    assert conversation.request_text == "sneakers" and conversation.liked == [turns[0].cards[0].item.id]


def test_start_over_clears_the_request_and_cards(demo_app):
    conversation, turns = talk(demo_app, "a red skirt under $80", "start over")
    assert turns[1].cards == [] and conversation.constraints.is_empty() and conversation.request_text == ""


def test_nothing_matching_names_the_constraint_and_yes_relaxes_it(demo_app):
    conversation, turns = talk(demo_app, "a jacket", "under $3")
    assert "under $3" in turns[1].reply and "drop" in turns[1].reply
    assert turns[1].cards and all(c.item.category == "jacket" and c.item.price > 3 for c in turns[1].cards)
    relaxed = conversation.respond("yes", demo_app.recommender)
    assert relaxed.cards and all(c.item.category == "jacket" for c in relaxed.cards)


def test_an_empty_message_asks_for_a_request_and_keeps_the_cards(demo_app):
    conversation, turns = talk(demo_app, "a bag", "   ")
    assert "looking for" in turns[1].reply and turns[1].cards == turns[0].cards


def test_a_huge_message_is_answered_and_says_it_was_cut(demo_app):
    _, turns = talk(demo_app, "a blue dress " + "very " * 5000)
    assert turns[0].cards and "first 2,000 characters" in turns[0].reply


def test_markup_in_a_message_does_not_reach_the_request(demo_app):
    conversation, turns = talk(demo_app, "<script>alert(1)</script> a <b>red</b> dress")
    assert "script" not in conversation.request_text and turns[0].cards
    assert conversation.messages[0].content.startswith("<script>")  # the transcript keeps what was typed


def test_a_like_by_a_signed_in_shopper_is_stored_once(demo_app):
    demo_app.users.add_user(User("hf:tester-like", "Tester"))
    conversation, turns = talk(demo_app, "a scarf", user="hf:tester-like", remembered=True)
    conversation.feedback(2, "like", demo_app.users)
    conversation.feedback(2, "like", demo_app.users)
    stored = demo_app.users.history("hf:tester-like")
    assert [i.item_id for i in stored] == [turns[0].cards[1].item.id]


def test_a_like_on_a_demo_persona_steers_the_conversation_but_is_never_stored(demo_app):
    before = demo_app.users.history("grace")
    conversation, turns = talk(demo_app, "a top", user="grace")
    conversation.feedback(1, "like", demo_app.users)
    assert conversation.liked == [turns[0].cards[0].item.id]
    assert demo_app.users.history("grace") == before


def test_a_guests_like_changes_the_next_turn_without_touching_the_store(demo_app):
    before = demo_app.users.count_interactions()
    plain, plain_turns = talk(demo_app, "a top", "something for the weekend")
    liked = Conversation(k=8)
    first = liked.respond("a top", demo_app.recommender)
    liked.feedback(len(first.cards), "like", demo_app.users)
    after = liked.respond("something for the weekend", demo_app.recommender)
    assert [c.item.id for c in after.cards] != [c.item.id for c in plain_turns[1].cards]
    assert demo_app.users.count_interactions() == before


def test_a_disliked_card_is_not_shown_again(demo_app):
    conversation, turns = talk(demo_app, "a handbag")
    disliked = turns[0].cards[0].item.id
    conversation.feedback(1, "dislike", demo_app.users)
    after = conversation.respond("in leather", demo_app.recommender)
    assert disliked not in {c.item.id for c in after.cards}


def test_feedback_on_a_card_not_on_screen_says_so(demo_app):
    conversation, _ = talk(demo_app, "a belt")
    assert "no card 42" in conversation.feedback(42, "like", demo_app.users)


def test_the_transcript_is_a_list_of_langchain_messages(demo_app):
    conversation, _ = talk(demo_app, "a dress", "in red")
    assert [m["type"] for m in conversation.transcript()] == ["human", "ai", "human", "ai"]
