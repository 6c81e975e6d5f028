"""Cards told by their colour, found on screen (chat/described_cards.py): the parser's reading in, cards out."""

from chat.described_cards import find_described
from chat.turn import Card
from chat.understand.constraints import parse_message
from store.item import Item

COLOURS = ("black", "green", "black", "white")
CARDS = [Card(n, Item(id=f"i{n}", title=f"{c} shirt", colour=c), "", 0.0) for n, c in enumerate(COLOURS, start=1)]


def on_screen(text: str):
    return find_described(parse_message(text), CARDS)


def test_the_green_one_is_the_green_card():
    parsed = on_screen("more like the green one")
    assert parsed.card_refs_like == (2,) and parsed.constraints.colours == frozenset()


def test_the_black_one_is_the_first_black_card_and_the_black_ones_every_one():
    assert on_screen("not the black one").card_refs_exclude == (1,)
    assert on_screen("more like the black ones").card_refs_like == (1, 3)


def test_not_the_black_ones_refuses_black():
    parsed = on_screen("not the black ones")
    assert parsed.constraints.exclude_colours == {"black"} and parsed.card_refs_exclude == ()


def test_a_colour_no_card_shows_is_the_colour_itself():
    assert on_screen("the blue one").constraints.colours == {"blue"}
    assert on_screen("not the red one").constraints.exclude_colours == {"red"}


def test_what_goes_with_the_white_one_pairs_with_the_white_card():
    parsed = on_screen("what goes with the white one?")
    assert parsed.card_refs_pair == (4,) and parsed.relations == ("goes_with",)


def test_a_shade_names_its_colour():
    assert on_screen("the dark green one").card_refs_like == (2,)


def test_one_without_a_colour_is_no_card_told_by_colour():
    assert on_screen("the long one").card_refs_like == ()
