"""Answers about the cards on screen, from the items' data: what is not recorded is said to be unknown."""

from __future__ import annotations

from chat.answers import answer_question, compare_table, escape_markdown, not_on_screen
from store.item import Item

DRESS = Item(
    "d1",
    "Red summer dress",
    brand="Sola",
    category="dress",
    colour="red",
    material="linen",
    price=40.0,
    sizes=("s", "m"),
    extra={"gender": "Women"},
)
BARE = Item("x1", "Plain thing", price=12.5)


def test_the_price_is_read_from_the_item():
    assert answer_question("price", 2, DRESS) == "Card 2, “Red summer dress”, costs $40."


def test_a_made_up_price_is_said_to_be_made_up():
    item = Item("k1", "Tee", price=19.0, extra={"price_source": "synthetic"})
    assert "made-up price" in answer_question("price", 1, item)


def test_material_colour_sizes_and_brand_come_from_the_record():
    assert answer_question("material", 1, DRESS) == "Card 1 is made of linen."
    assert answer_question("colour", 1, DRESS) == "Card 1 is red."
    assert answer_question("sizes", 1, DRESS) == "Card 1 comes in S, M."
    assert answer_question("brand", 1, DRESS) == "Card 1 is made by Sola."


def test_unrecorded_facts_are_stated_as_unknown():
    assert answer_question("material", 3, BARE) == "The catalogue does not say what card 3 is made of."
    assert answer_question("colour", 3, BARE) == "The catalogue does not record card 3's colour."
    assert answer_question("brand", 3, BARE) == "The catalogue does not say who makes card 3."
    assert answer_question("gender", 3, BARE, "men") == "The catalogue does not say who card 3 is for."
    assert "lists no sizes" in answer_question("sizes", 3, BARE)


def test_who_an_item_is_for_answers_yes_or_no_from_its_gender():
    assert answer_question("gender", 4, DRESS, "men") == "No: card 4 is listed for women."
    assert answer_question("gender", 4, DRESS, "women") == "Yes: card 4 is listed for women."
    unisex = Item("u1", "Cap", extra={"gender": "Unisex"})
    assert answer_question("gender", 1, unisex, "men").startswith("Yes")


def test_a_comparison_is_a_table_with_a_column_per_card_and_unknowns_marked():
    table = compare_table([(1, DRESS), (3, BARE)])
    lines = table.splitlines()
    assert lines[0] == "| | Card 1 | Card 3 |"
    assert "| Price | $40 | $12.50 |" in lines
    assert "| Material | linen | not listed |" in lines
    assert "| Gender | Women | not listed |" in lines


def test_markup_in_a_title_cannot_break_the_table_or_make_a_link():
    hostile = Item("h1", "Nice | ![x](http://evil.example/p.png) [click](javascript:alert(1)) *bold*", price=1.0)
    row = next(line for line in compare_table([(1, hostile), (2, DRESS)]).splitlines() if line.startswith("| Title"))
    assert row.count(" | ") == 2  # the title's pipe is escaped: still three cells
    assert "![x]" not in row and "[click]" not in row and "*bold*" not in row
    assert escape_markdown("a\nb") == "a b"


def test_a_card_not_on_screen_names_how_many_there_are():
    assert not_on_screen((9,), 8) == "There is no card 9: there are 8 cards on screen."
    assert not_on_screen((2,), 1) == "There is no card 2: there is only one card on screen."
    assert not_on_screen((2, 12), 8) == "There is no card 12: there are 8 cards on screen."
    assert not_on_screen((1,), 0).startswith("There are no cards on screen yet")
