"""Colour words as shoppers write them: main colour versus accents, soft shifts, names outside the vocabulary."""

from __future__ import annotations

import pytest

from chat.understand.colours import EXTRA_COLOUR_NAMES, nearest_canonical
from chat.understand.constraints import Constraints, parse_message


def test_the_main_colour_filters_and_the_buttons_colour_is_only_preferred():
    constraints = parse_message("a black dress with white buttons").constraints
    assert (constraints.colours, constraints.prefer_colours) == ({"black"}, {"white"})


@pytest.mark.parametrize(
    ("text", "accent"),
    [
        ("a top with an orange logo", "orange"),
        ("a shirt with white stripes", "white"),
        ("a cardigan with gold buttons", "yellow"),
        ("a dress with red trim", "red"),
        ("a skirt with a blue print", "blue"),
        ("has a red floral print", "red"),
        ("has red on the text logo", "red"),
    ],
)
def test_a_colour_of_a_detail_is_an_accent_never_a_filter(text, accent):
    constraints = parse_message(text).constraints
    assert (constraints.colours, constraints.prefer_colours) == (frozenset(), {accent})


def test_a_colour_after_with_and_a_main_colour_is_an_accent():
    constraints = parse_message("is grey with black homo-sapiens").constraints
    assert (constraints.colours, constraints.prefer_colours) == ({"grey"}, {"black"})


def test_two_colours_of_the_item_both_filter():
    assert parse_message("is black and white striped").constraints.colours == {"black", "white"}


def test_a_white_colour_named_after_has_is_still_the_main_colour():
    assert parse_message("has a white color and is black").constraints.colours == {"white", "black"}


@pytest.mark.parametrize("text", ["more white", "whiter", "a bit more white please"])
def test_more_of_a_colour_is_a_soft_preference(text):
    constraints = parse_message(text).constraints
    assert (constraints.colours, constraints.prefer_colours) == (frozenset(), {"white"})


def test_less_of_a_colour_steers_away_and_never_filters_to_it():
    constraints = parse_message("less yellow").constraints
    assert constraints.avoid_colours == {"yellow"}
    assert not constraints.colours and constraints.to_where() is None


def test_a_colour_comparative_leaves_the_encoder_text():
    assert parse_message("a dress, less yellow").semantic_text == "dress"


@pytest.mark.parametrize("text", ["a multicoloured dress", "a multi-colour top", "a colourful print shirt"])
def test_several_colours_read_as_multi(text):
    assert parse_message(text).constraints.colours == {"multi"}


@pytest.mark.parametrize(
    ("word", "colour"),
    [
        ("cranberry", "red"),
        ("melon", "orange"),
        ("mustard", "yellow"),
        ("teal", "blue"),
        ("burgundy", "red"),
        ("salmon", "pink"),
        ("mint", "green"),
        ("lilac", "purple"),
        ("wheat", "beige"),
        ("crimson", "red"),
        ("skyblue", "blue"),
        ("chartreuse", "green"),
    ],
)
def test_a_colour_name_outside_the_vocabulary_maps_to_the_nearest_canonical_colour(word, colour):
    assert parse_message(f"a {word} dress").constraints.colours == {colour}


def test_css_colour_names_come_from_their_rgb_in_cielab():
    assert (nearest_canonical((255, 99, 71)), EXTRA_COLOUR_NAMES["tomato"]) == ("red", "red")
    assert nearest_canonical((25, 25, 112)) == EXTRA_COLOUR_NAMES["midnightblue"] == "navy"


def test_printed_is_a_pattern_for_a_shopper_not_the_multi_colour():
    assert parse_message("is cowl neck and printed").constraints.colours == frozenset()


def test_a_colour_carried_from_earlier_yields_to_a_newer_colour_shift():
    carried = parse_message("a black dress").constraints
    assert carried.merge(parse_message("more white").constraints).colours == frozenset()
    assert carried.merge(parse_message("less black").constraints).colours == frozenset()
    assert carried.merge(parse_message("in a different colour").constraints).colours == frozenset()


def test_a_colour_carried_from_earlier_stays_beside_a_newer_accent():
    carried = parse_message("a black dress").constraints
    merged = carried.merge(parse_message("with white buttons").constraints)
    assert (merged.colours, merged.prefer_colours) == ({"black"}, {"white"})


def test_a_preferred_colour_lifts_an_earlier_avoidance():
    merged = Constraints(avoid_colours=frozenset({"white"})).merge(parse_message("more white").constraints)
    assert (merged.prefer_colours, merged.avoid_colours) == ({"white"}, frozenset())


def test_soft_colours_are_described_but_never_filter():
    constraints = Constraints(prefer_colours=frozenset({"white"}), avoid_colours=frozenset({"yellow"}))
    assert constraints.to_where() is None
    assert dict(constraints.describe()) == {"prefer_colours": "leaning to white", "avoid_colours": "less yellow"}
