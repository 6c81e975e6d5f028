"""The clarifying question in a conversation, against the fake recommender of `test_conversation_moves`: a vague
request gets cards and one question, a click on a choice narrows the cards, and no question follows a question."""

from __future__ import annotations

from fake_shop import FakeRecommender

from chat.conversation import Conversation
from chat.replies import TAKE_WIDENING


def question(turn) -> tuple[str, ...]:
    """The clarifying question's choices: the quick replies bar the one that takes an offer to widen a search
    (the dozen fake items fill no page, so that offer comes often)."""
    return tuple(reply for reply in turn.quick_replies if reply != TAKE_WIDENING)


def test_a_vague_request_gets_cards_and_one_question_with_three_to_five_choices():
    turn = Conversation().respond("something nice", FakeRecommender())
    assert turn.cards and 3 <= len(turn.quick_replies) <= 5
    assert turn.reply.endswith("?")


def test_the_question_splits_more_candidates_than_the_cards_shown():
    recommender = FakeRecommender()
    Conversation(k=2).respond("something nice", recommender)
    assert recommender.requests[0].k >= 50


def test_a_specific_request_gets_no_question():
    assert question(Conversation().respond("a red dress", FakeRecommender())) == ()


def test_a_chosen_quick_reply_narrows_the_cards_and_asks_nothing_more():
    conversation, recommender = Conversation(), FakeRecommender()
    first = conversation.respond("something nice", recommender)
    second = conversation.respond(first.quick_replies[0], recommender)
    assert question(second) == ()
    assert second.cards and len(second.cards) < len(first.cards)


def test_never_two_questions_in_a_row():
    conversation, recommender = Conversation(), FakeRecommender()
    assert conversation.respond("something nice", recommender).quick_replies
    assert question(conversation.respond("anything", recommender)) == ()


def test_more_like_a_card_is_not_vague():
    conversation, recommender = Conversation(), FakeRecommender()
    conversation.respond("a red dress", recommender)
    assert question(conversation.respond("more like the first one", recommender)) == ()


def test_a_question_asked_again_after_a_turn_without_one():
    conversation, recommender = Conversation(), FakeRecommender()
    conversation.respond("something nice", recommender)
    conversation.respond("anything", recommender)
    assert conversation.respond("surprise me", recommender).quick_replies


def test_the_cards_of_a_question_turn_are_as_many_as_any_turn_shows():
    recommender = FakeRecommender()
    turn = Conversation(k=3).respond("something nice", recommender)
    assert len(turn.cards) == 3
