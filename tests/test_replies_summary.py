"""The reply's summary of what the cards are for (chat/replies.py::summary)."""

from chat.replies import summary
from chat.understand.constraints import Constraints
from store.facts import CatalogueFacts


def test_the_summary_echoes_the_request_and_its_filters():
    said = summary(8, "summer dress", Constraints(colours=frozenset({"blue"})), [], CatalogueFacts())
    assert said.startswith("Here are 8 picks for “summer dress” (colour blue)")


def test_an_outfit_without_words_says_what_it_goes_with():
    said = summary(8, "", Constraints(), ["to go with “Brown Handbag”"], CatalogueFacts())
    assert said.startswith("Here are 8 picks (to go with “Brown Handbag”).")


def test_cards_followed_without_words_are_said_to_be_like_the_ones_picked():
    assert summary(1, "", Constraints(), [], CatalogueFacts()).startswith("Here is one pick for “items like the ones")
