"""Which messages ask for what the shopper bought before."""

from __future__ import annotations

import pytest

from chat.understand.bought import asks_for_bought


@pytest.mark.parametrize(
    "message",
    ["the same again", "Same again please", "buy it again", "what did I buy?", "show my purchases", "reorder that"],
)
def test_a_message_asking_for_purchases_is_recognised(message):
    assert asks_for_bought(message)


@pytest.mark.parametrize("message", ["a summer dress", "something for the weekend", "again, but in blue"])
def test_an_ordinary_request_does_not_ask_for_purchases(message):
    assert not asks_for_bought(message)
