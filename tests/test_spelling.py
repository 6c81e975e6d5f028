"""Typos read as the vocabulary word they miss (chat/understand/spelling.py), and the words that stay as typed."""

import pytest

from chat.understand.constraints import parse_message
from chat.understand.spelling import read_typos
from store.facts import CatalogueFacts
from store.item import Item


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("a sumer dres", "a sumer dress"),
        ("blakc jeans", "black jeans"),
        ("no polyster", "no polyester"),
        ("whte sneakrs", "white sneakers"),
    ],
)
def test_a_mistyped_kind_colour_or_material_is_read_as_the_word_it_misses(typed, read):
    assert read_typos(typed)[0] == read


@pytest.mark.parametrize("text", ["a back t-shirt", "a tanky look", "colour", "something comfy", "a wrap dress"])
def test_english_words_and_words_made_from_vocabulary_stay_as_typed(text):
    assert read_typos(text) == (text, ())


def test_the_catalogues_own_words_are_no_typos():
    assert read_typos("the bronzer look")[0] == "the bronze look"  # no English word, one edit from "bronze"
    facts = CatalogueFacts.of([Item(id="1", title="Bronzer Women Gold Clutch", brand="Bronzer")])
    assert read_typos("the bronzer look", facts.words) == ("the bronzer look", ())


@pytest.mark.parametrize("text", ["nike roshe", "khadi kurta", "floral prnts"])
def test_a_short_word_is_read_as_a_typo_only_for_a_slip_of_the_fingers(text):
    assert read_typos(text) == (text, ())


@pytest.mark.parametrize(("typed", "read"), [("dres", "dress"), ("blakc", "black"), ("jeanss", "jeans")])
def test_a_dropped_swapped_or_doubled_letter_is_a_slip(typed, read):
    assert read_typos(typed)[0] == read


def test_the_parse_says_what_each_typo_was_read_as_and_filters_by_it():
    parsed = parse_message("a blakc dres, no polyster")
    assert parsed.typos == (("blakc", "black"), ("dres", "dress"), ("polyster", "polyester"))
    assert parsed.constraints.categories == {"dress"} and parsed.constraints.colours == {"black"}
    assert parsed.constraints.exclude_materials == {"polyester"}


def test_a_word_far_longer_than_any_vocabulary_word_is_no_typo():
    assert read_typos("polyesterrrrrrrrr") == ("polyesterrrrrrrrr", ())
