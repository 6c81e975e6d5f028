"""Garment parts are not categories: a category word naming a part of the item sought never filters."""

from __future__ import annotations

from chat.understand.constraints import parse_message


def test_a_part_after_with_is_not_a_category():
    assert parse_message("a dress with a leather top").constraints.categories == {"dress"}


def test_the_category_a_sentence_describes_a_part_of_does_not_filter():
    assert parse_message("the top has thin straps").constraints.categories == frozenset()


def test_a_coloured_skirt_said_about_a_dress_is_neither_a_category_nor_a_colour_filter():
    constraints = parse_message("the dress has a red-pink mini skirt").constraints
    assert (constraints.categories, constraints.colours) == (frozenset(), frozenset())
    assert constraints.prefer_colours == {"red", "pink"}


def test_a_part_sentence_keeps_the_category_of_the_search():
    search = parse_message("a summer dress").constraints
    assert search.merge(parse_message("the top has thin straps").constraints).categories == {"dress"}


def test_the_material_of_a_part_is_not_a_material_filter():
    assert parse_message("a dress with a leather top").constraints.materials == frozenset()


def test_a_material_after_with_and_no_part_still_filters():
    assert parse_message("a jacket with leather").constraints.materials == {"leather"}
