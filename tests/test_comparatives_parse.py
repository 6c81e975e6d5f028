"""Comparatives as shoppers phrase them: relation names, the ones not understood, and never a word to the encoder."""

from __future__ import annotations

import pytest

from chat.understand.comparatives import RELATIONS
from chat.understand.constraints import parse_message


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("darker", "darker"),
        ("is darker in color", "darker"),
        ("a lighter one", "lighter"),
        ("brighter", "brighter"),
        ("more muted", "more_muted"),
        ("is more colourful", "more_colourful"),
        ("has more colours", "more_colourful"),
        ("plainer", "plainer"),
        ("less busy", "plainer"),
        ("solid", "plainer"),
        ("a tee with no pattern", "plainer"),
        ("cheaper", "cheaper"),
        ("pricier", "pricier"),
        ("more formal", "more_formal"),
        ("dressier", "more_formal"),
        ("a top that is less formal", "more_casual"),
        ("more casual", "more_casual"),
        ("longer", "longer"),
        ("shorter", "shorter"),
        ("a dress, not as long", "shorter"),
        ("with sleeves", "with_sleeves"),
        ("has sleeves", "with_sleeves"),
        ("has longer sleeves", "with_sleeves"),
        ("sleeveless", "sleeveless"),
        ("has no sleeves", "sleeveless"),
        ("looser", "looser"),
        ("tighter", "tighter"),
        ("more fitted", "tighter"),
        ("a different colour", "other_colour"),
        ("another colour", "other_colour"),
        ("in other colours", "other_colour"),
    ],
)
def test_a_comparative_names_its_relation_and_leaves_the_encoder_text(text, relation):
    parsed = parse_message(text)
    assert parsed.relations == (relation,)
    assert relation in RELATIONS
    assert not {"darker", "lighter", "formal", "casual", "long", "sleeves", "colour"} & set(
        parsed.semantic_text.split()
    )


def test_relations_keep_the_order_said():
    assert parse_message("is darker and longer").relations == ("darker", "longer")


def test_cheaper_is_both_a_relative_price_and_a_relation():
    parsed = parse_message("something cheaper and darker")
    assert (parsed.relative_price, parsed.relations) == ("cheaper", ("cheaper", "darker"))


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("more flowy", "more flowy"),
        ("less revealing", "less revealing"),
        ("sexier", "sexier"),
        ("is lacier", "lacier"),
        ("floatier than that", "floatier"),
        ("has shorter sleeves", "shorter sleeves"),
        ("has more of a mosaic print", "more mosaic"),
    ],
)
def test_a_comparative_of_no_relation_is_reported_and_kept_from_the_encoder(text, unknown):
    parsed = parse_message(text)
    assert (parsed.relations, parsed.unknown_comparatives) == ((), (unknown,))
    assert unknown.split()[-1] not in parsed.semantic_text.split()


def test_shorter_sleeves_is_not_a_shorter_garment():
    assert "shorter" not in parse_message("is striped and has shorter sleeves").relations


@pytest.mark.parametrize(
    "text", ["show me more options", "more like the second one", "no more dresses", "anything other than beige"]
)
def test_words_after_more_that_name_no_quality_are_no_comparative(text):
    parsed = parse_message(text)
    assert (parsed.relations, parsed.unknown_comparatives) == ((), ())


def test_lighter_fabric_is_weight_not_a_lighter_colour():
    assert "lighter" not in parse_message("a lighter fabric").relations


def test_a_colour_after_a_comparative_still_filters():
    parsed = parse_message("a darker blue")
    assert (parsed.relations, parsed.constraints.colours) == (("darker",), {"blue"})
