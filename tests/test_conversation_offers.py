"""The offers to drop a constraint, against fakes (tests/fake_shop.py): when nothing matches everything (beside the
cards found without it), when fewer cards than a page match, and what a yes, "drop" or a refinement does then."""

from __future__ import annotations

from chat.conversation import Conversation
from chat.replies import TAKE_WIDENING


def ids(turn) -> list[str]:
    return [card.item.id for card in turn.cards]


def test_when_nothing_matches_the_newest_constraint_is_offered_beside_the_cards_without_it(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress in red", fake_recommender)
    empty = conversation.respond("made of silk", fake_recommender)
    assert "Nothing matches material silk" in empty.reply and "Shall I drop “material silk”?" in empty.reply
    assert [card.item.id for card in empty.cards] == ["d1"] and empty.quick_replies == (TAKE_WIDENING,)
    assert conversation.constraints.materials == {"silk"}, "the preview does not drop the constraint"


def test_yes_drops_the_constraint_that_emptied_the_answer(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress in red", fake_recommender)
    conversation.respond("made of silk", fake_recommender)
    relaxed = conversation.respond("yes", fake_recommender)
    assert [card.item.id for card in relaxed.cards] == ["d1"] and not conversation.constraints.materials


def test_a_refinement_after_nothing_matched_is_applied_to_the_cards_shown_without_the_culprit(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress", fake_recommender)
    conversation.respond("in green", fake_recommender)
    turn = conversation.respond("under $70", fake_recommender)
    assert "Nothing matches colour green" in turn.reply and "under $70" in turn.reply
    assert sorted(card.item.id for card in turn.cards) == ["d1", "d2"]


def test_beside_fewer_cards_than_a_page_the_newest_constraint_is_offered_and_drop_takes_it(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress", fake_recommender)
    few = conversation.respond("in blue", fake_recommender)
    assert ids(few) == ["d2", "d3"] and "without “colour blue” I can show 4" in few.reply
    assert ids(conversation.respond("drop the blue", fake_recommender)) == ["d1", "d2", "d3", "d4"]


def test_beside_fewer_cards_than_a_page_a_message_asking_for_more_refines_instead_of_taking_the_offer(fake_recommender):
    conversation = Conversation()
    conversation.respond("a blue dress", fake_recommender)
    turn = conversation.respond("forget that, in black instead", fake_recommender)
    assert ids(turn) == ["d4"]


def test_the_kind_of_item_is_never_offered_for_dropping(fake_recommender):
    turn = Conversation().respond("a dress", fake_recommender)
    assert len(turn.cards) == 4 and turn.quick_replies == () and "without" not in turn.reply


def test_a_colour_offered_for_dropping_leaves_the_request_words_with_the_yes(fake_recommender):
    conversation = Conversation()
    conversation.respond("a dress", fake_recommender)
    preview = conversation.respond("in green", fake_recommender)
    assert "picks for “dress”" in preview.reply, "the preview's words still name the colour"
    conversation.respond("yes", fake_recommender)
    assert "green" not in conversation.request_text
