"""Reading a conversation move from a message: the next page, going back, purchases, comparisons and questions about
a card."""

from __future__ import annotations

import pytest

from chat.understand.moves import Move, read_move


@pytest.mark.parametrize(
    "message", ["something else", "other options", "Show me more!", "more please", "next", "what else?", "ok, more"]
)
def test_asking_for_more_of_the_same_is_the_next_page(message):
    assert read_move(message) == Move("next_page")


@pytest.mark.parametrize("message", ["go back", "back", "undo", "the previous ones", "back to the previous results"])
def test_asking_for_the_previous_cards_is_going_back(message):
    assert read_move(message) == Move("back")


@pytest.mark.parametrize(
    ("message", "positions"),
    [
        ("I'll take the second one", (2,)),
        ("buy #3", (3,)),
        ("add card 2 to my basket", (2,)),
        ("I want to buy number 4 please", (4,)),
        ("order the first one", (1,)),
        ("I'll take it", ()),
        ("ok, I'll go for that one", ()),
    ],
)
def test_taking_a_card_is_a_purchase_of_it(message, positions):
    assert read_move(message) == Move("purchase", positions)


@pytest.mark.parametrize("message", ["I'll take a red one", "buy shoes", "take me back", "I'll take #2 in blue"])
def test_taking_something_other_than_one_card_is_no_purchase(message):
    move = read_move(message)
    assert move is None or move.kind != "purchase"


@pytest.mark.parametrize(
    ("message", "positions"),
    [
        ("compare 1 and 3", (1, 3)),
        ("compare the first two", (1, 2)),
        ("1 vs 3", (1, 3)),
        ("difference between #2 and #4", (2, 4)),
        ("how do the second and the fourth one compare?", (2, 4)),
        ("compare them", ()),
    ],
)
def test_a_comparison_names_the_cards_in_the_order_said(message, positions):
    assert read_move(message) == Move("compare", positions)


@pytest.mark.parametrize(
    ("message", "move"),
    [
        ("how much is #2?", Move("question", (2,), "price")),
        ("what is the first one made of?", Move("question", (1,), "material")),
        ("which sizes does it come in?", Move("question", (), "sizes")),
        ("is #4 for men?", Move("question", (4,), "gender", "men")),
        ("what colour is the third one?", Move("question", (3,), "colour")),
        ("who makes #1?", Move("question", (1,), "brand")),
        ("what colours do they come in?", Move("question", (), "colour")),
    ],
)
def test_a_question_about_a_card_names_the_fact_and_the_card(message, move):
    assert read_move(message) == move


def test_a_size_in_a_question_is_not_a_card():
    assert read_move("how much is it in size 38?") == Move("question", (), "price")


@pytest.mark.parametrize(
    "message",
    [
        "show me more dresses",
        "something else, a scarf",
        "more like the second one",
        "more like this",
        "the second one but in red",
        "do you have a dress that costs under $50?",
        "which brands do you have?",
        "cheaper",
        "the cheapest watches for men",
        "not that one",
        "a purple wool swimsuit under $5",
        "",
    ],
)
def test_a_request_or_a_card_reference_is_not_a_move(message):
    assert read_move(message) is None


def test_a_long_message_is_never_a_move():
    assert read_move("show me more " + "of these lovely things " * 10) is None


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        ("which is cheapest?", "lowest"),
        ("Which one is the cheapest", "lowest"),
        ("the least expensive one?", "lowest"),
        ("what's the most expensive?", "highest"),
        ("which is the priciest of these", "highest"),
    ],
)
def test_asking_which_card_costs_least_or_most_is_a_move_on_the_cards(message, asked):
    assert read_move(message) == Move("extreme", fact="price", asked=asked)
