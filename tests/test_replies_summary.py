"""The reply's summary of what the cards are for, what it says first about how the message was read, and the price
"cheaper" sets as a shopper would say it."""

import pytest

from chat.replies import beyond, reading_note, summary
from chat.understand.constraints import Constraints, parse_message
from store.facts import CatalogueFacts


def test_the_summary_echoes_the_request_and_its_filters():
    said = summary(8, "summer dress", Constraints(colours=frozenset({"blue"})), [], CatalogueFacts())
    assert said.startswith("Here are 8 picks for “summer dress” (colour blue)")


def test_an_outfit_without_words_says_what_it_goes_with():
    said = summary(8, "", Constraints(), ["to go with “Brown Handbag”"], CatalogueFacts())
    assert said.startswith("Here are 8 picks (to go with “Brown Handbag”).")


def test_cards_followed_without_words_are_said_to_be_like_the_ones_picked():
    assert summary(1, "", Constraints(), [], CatalogueFacts()).startswith("Here is one pick for “items like the ones")


def test_a_long_message_with_a_typo_says_both_how_it_was_read():
    text = "a blakc dress " + "very " * 500
    note = reading_note(parse_message(text), text, "That file is not a picture I can read.")
    assert note == (
        "(That was a long message: I read its first 2,000 characters.) That file is not a picture I can read. "
        "(I read “blakc” as “black”.) "
    )


@pytest.mark.parametrize(
    ("median", "cheaper", "bound"),
    [(50.94, True, 50.0), (70.0, True, 69.0), (50.94, False, 51.0), (70.0, False, 71.0), (7.99, True, 7.98)],
)
def test_cheaper_and_pricier_bound_at_the_nearest_whole_dollar_beyond_the_median(median, cheaper, bound):
    assert beyond(median, cheaper) == bound
