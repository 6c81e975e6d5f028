"""Answers about the cards on screen that leave the request as it is: comparisons, questions about a card, which
card is the cheapest or dearest, and which card "it" names next."""

from __future__ import annotations

from chat.card_moves import answer_about_cards
from chat.turn import Card
from chat.understand.moves import read_move
from store.item import Item

CARDS = [
    Card(1, Item(id="a", title="Blue linen dress", category="dress", colour="blue", price=40.0), "", 1.0),
    Card(2, Item(id="b", title="Red silk top", category="top", colour="red", price=25.0), "", 0.9),
]


def move(text: str):
    found = read_move(text)
    assert found is not None, text
    return found


def test_a_question_names_its_card_and_it_becomes_it():
    reply, named = answer_about_cards(move("how much is #2?"), CARDS, None, lists_sizes=False)
    assert "$25" in reply and named == 2


def test_a_question_without_a_card_asks_which_one_when_several_are_shown():
    reply, named = answer_about_cards(move("how much is it?"), CARDS, None, lists_sizes=False)
    assert reply.startswith("Which card do you mean?") and named is None


def test_it_is_the_card_named_last():
    reply, named = answer_about_cards(move("how much is it?"), CARDS, 1, lists_sizes=False)
    assert "$40" in reply and named == 1


def test_a_comparison_of_one_card_asks_for_two():
    reply, named = answer_about_cards(move("compare 1"), CARDS, None, lists_sizes=False)
    assert reply.startswith("Name two cards") and named is None


def test_a_comparison_shows_the_cards_side_by_side_and_names_the_last():
    reply, named = answer_about_cards(move("compare 1 and 2"), CARDS, None, lists_sizes=False)
    assert reply.startswith("Cards 1 and 2 side by side") and "Red silk top" in reply and named == 2


def test_a_card_off_screen_is_said_so():
    reply, named = answer_about_cards(move("how much is #5?"), CARDS, 1, lists_sizes=False)
    assert "5" in reply and named == 1


def test_with_no_cards_on_screen_it_asks_for_a_request():
    reply, _ = answer_about_cards(move("compare 1 and 2"), [], None, lists_sizes=False)
    assert reply.startswith("There are no cards on screen yet")


def test_the_cheapest_card_is_named_with_its_price_and_becomes_it():
    reply, named = answer_about_cards(move("which is cheapest?"), CARDS, None, lists_sizes=False)
    assert reply == "The cheapest is card 2, “Red silk top”, at $25." and named == 2


def test_the_most_expensive_card_is_named_with_its_price():
    reply, named = answer_about_cards(move("which one is the most expensive?"), CARDS, None, lists_sizes=False)
    assert reply == "The most expensive is card 1, “Blue linen dress”, at $40." and named == 1


def test_cards_sharing_the_lowest_price_are_all_named():
    same = [*CARDS, Card(3, Item(id="c", title="Green top", category="top", price=25.0), "", 0.8)]
    reply, named = answer_about_cards(move("the cheapest one?"), same, None, lists_sizes=False)
    assert reply == "Cards 2 and 3 are the cheapest, at $25 each." and named == 2


def test_the_cheapest_card_of_a_catalogue_without_prices_says_they_are_made_up():
    made_up = Item(id="c", title="Green top", category="top", price=5.0, extra={"price_source": "synthetic"})
    reply, _ = answer_about_cards(move("which is cheapest?"), [*CARDS, Card(3, made_up, "", 0.8)], None, False)
    assert reply == "The cheapest is card 3, “Green top”, at $5 (made-up prices: this catalogue has none)."
