"""Kinds of item outside the canonical categories, as a shopper names them."""

from __future__ import annotations

import pytest

from chat.understand.kinds import (
    garment_named,
    nearest_categories,
    plural,
    title_names_kind,
    without_words,
    words_naming,
)


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("a purple wool swimsuit under $5", "swimsuits"),
        ("Bikinis for the beach", "bikinis"),
        ("silk pajamas", "pyjamas"),
        ("a tux for the gala", "tuxedos"),
        ("a bathing suit", "swimsuits"),
    ],
)
def test_a_garment_outside_the_categories_is_named_by_its_kind(message, kind):
    assert garment_named(message) == kind


@pytest.mark.parametrize(
    "message", ["a summer dress", "a dress, not a kimono", "shoes without a cape", "something chic, like a kimono"]
)
def test_no_kind_is_named_when_none_is_asked_for(message):
    assert garment_named(message) is None


def test_the_nearest_categories_of_a_kind_and_of_a_category_come_from_the_table():
    assert nearest_categories("swimsuits") == ("top", "dress")
    assert nearest_categories("skirts") == ("dress", "trousers")


def test_the_words_of_a_kind_leave_the_request_text():
    assert without_words(["purple wool bathing suit", "swimsuit"], words_naming("swimsuits")) == ["purple wool"]
    assert without_words(["a red skirt"], words_naming(plural("skirt"))) == ["a red"]


@pytest.mark.parametrize(
    ("title", "kinds", "named"),
    [
        ("Genesis Men Striped Shirt", {"shirt"}, True),
        ("Mr. Men Men Printed Grey Tshirt", {"shirt"}, False),
        ("Lee Men Stripes White T-shirt", {"t shirt"}, True),
        ("Basics Men Blue Tshirts", {"t shirt"}, True),
        ("Havaianas Women Flip Flop", {"flip flops"}, True),
        ("Summer linen sundress in white", {"sundress"}, True),
        ("Summer linen maxi dress in white", {"sundress"}, False),
        ("Denim shirt dress with a belt", {"shirt dress"}, True),
        ("Striped shirt and a linen dress", {"shirt dress"}, False),
    ],
)
def test_a_title_names_a_kind_as_a_word_of_its_own_in_either_number(title, kinds, named):
    assert title_names_kind(title, frozenset(kinds)) is named
