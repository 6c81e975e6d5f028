"""find_drops and Constraints.dropping: what a shopper takes back of the request in force, and nothing else."""

from __future__ import annotations

import pytest

from chat.replies import drop_note
from chat.understand.constraints import Constraints, parse_message
from chat.understand.drops import Drops, find_drops
from chat.understand.topic import without_dropped_words


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("forget red", {"red"}),
        ("forget the red", {"red"}),
        ("drop the cotton", {"cotton"}),
        ("never mind the summer bit", {"summer"}),
        ("forget about the office", {"formal"}),
        ("remove polyester", {"polyester"}),
    ],
)
def test_a_named_value_is_dropped(text, values):
    assert find_drops(text)[0] == Drops(values=frozenset(values))


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("any colour", "colours"),
        ("whatever color", "colours"),
        ("i don't care about the colour", "colours"),
        ("colour doesn't matter", "colours"),
        ("any price", "price"),
        ("forget about the price limit", "price"),
        ("no budget", "price"),
        ("ignore the size", "sizes"),
        ("any fabric", "materials"),
    ],
)
def test_a_named_kind_of_constraint_is_dropped(text, field):
    assert find_drops(text)[0] == Drops(fields=frozenset({field}))


@pytest.mark.parametrize(
    "text",
    [
        "forget it",
        "forget that, in blue instead",
        "drop the second one",
        "remove the red one",
        "forget the dress",
        "any colour but black",
        "a red dress",
    ],
)
def test_what_names_no_constraint_is_no_drop(text):
    drops, rest = find_drops(text)
    assert not drops and rest == text


def test_a_dropped_colour_is_not_read_as_wanted():
    parsed = parse_message("forget red")
    assert parsed.constraints.colours == frozenset() and parsed.drops.values == {"red"}


def test_the_rest_of_the_message_still_counts():
    parsed = parse_message("forget the red, in green instead")
    assert parsed.drops.values == {"red"} and parsed.constraints.colours == {"green"}


def test_dropping_a_value_takes_it_out_wherever_it_is():
    constraints = Constraints(colours=frozenset({"red", "blue"}), prefer_colours=frozenset({"white"}))
    dropped = constraints.dropping(Drops(values=frozenset({"red", "white"})))
    assert dropped == Constraints(colours=frozenset({"blue"}))


def test_dropping_the_colour_relaxes_wanted_excluded_and_soft_colours():
    constraints = Constraints(
        colours=frozenset({"red"}), exclude_colours=frozenset({"black"}), avoid_colours=frozenset({"yellow"})
    )
    assert constraints.dropping(Drops(fields=frozenset({"colours"}))) == Constraints()


def test_dropping_the_price_relaxes_both_bounds_and_keeps_the_rest():
    constraints = Constraints(price_min=20, price_max=60, materials=frozenset({"cotton"}))
    assert constraints.dropping(Drops(fields=frozenset({"price"}))) == Constraints(materials=frozenset({"cotton"}))


def test_the_reply_names_what_was_dropped_what_was_not_in_force_and_how_to_refuse_it():
    note = drop_note(["under $60", "red"], ["materials"], ["yellow"])
    assert note == (
        "Dropped “under $60”, “red”. (There was no material filter to drop.) "
        "(“yellow” was not part of your request: to leave it out, say “not yellow”.) "
    )


@pytest.mark.parametrize(
    ("message", "left"),
    [
        ("a dress in navy blue", ["dress"]),
        ("a dress made of cotton", ["dress"]),
        ("a red dress with pockets", ["dress with pockets"]),
    ],
)
def test_the_words_of_a_dropped_filter_leave_the_request_text_whole(message, left):
    parsed = parse_message(message)
    after = parsed.constraints.dropping(Drops(fields=frozenset({"colours", "materials"})))
    assert without_dropped_words([parsed.semantic_text], parsed.constraints, after) == left


def test_a_new_recipient_takes_the_old_ones_words_out_of_the_request_text():
    before = parse_message("a gift for my boyfriend").constraints
    after = before.merge(parse_message("something for my daughter").constraints)
    assert without_dropped_words(["gift for my boyfriend"], before, after) == ["gift"]
