"""parse_message: a shopper's words as price bounds, vocabulary filters, negations and conversation references."""

from __future__ import annotations

import pytest

from chat.understand.constraints import parse_message


def bounds(text: str) -> tuple[float | None, float | None]:
    constraints = parse_message(text).constraints
    return constraints.price_min, constraints.price_max


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a dress under $60", (None, 60.0)),
        ("below 60", (None, 60.0)),
        ("less than 60 dollars", (None, 60.0)),
        ("max 60", (None, 60.0)),
        ("<= 60", (None, 60.0)),
        ("up to €60", (None, 60.0)),
        ("no more than £60", (None, 60.0)),
        ("60 or less", (None, 60.0)),
        ("between 30 and 80", (30.0, 80.0)),
        ("30-80", (30.0, 80.0)),
        ("$30 to $80", (30.0, 80.0)),
        ("from 30 to 80", (30.0, 80.0)),
        ("over 100", (100.0, None)),
        ("at least 50", (50.0, None)),
        ("50+", (50.0, None)),
        ("around 50", (40.0, 60.0)),
        ("under 1,200", (None, 1200.0)),
        ("under 59.99", (None, 59.99)),
        ("under 1.2k", (None, 1200.0)),
        ("60 bucks", (None, 60.0)),
        ("a $45 top", (None, 45.0)),
        ("nothing over 80 dollars", (None, 80.0)),
        ("nothing above $80", (None, 80.0)),
        ("not above 80 euros", (None, 80.0)),
        ("none more expensive than £80", (None, 80.0)),
        ("not exceeding 80 bucks", (None, 80.0)),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_price_phrasing_gives_bounds(text, expected):
    assert bounds(text) == expected


@pytest.mark.parametrize(
    "text", ["similar to 3", "3/4 sleeves", "2 and 3", "size 8-10", "a cheap dress", "1e309", "more than 2 dresses"]
)
def test_numbers_that_are_not_prices_give_no_bound(text):
    assert bounds(text) == (None, None)


def test_price_above_the_plausible_maximum_is_ignored():
    assert bounds("under 99999999999999999999") == (None, None)


def test_later_price_phrase_replaces_earlier_bound():
    assert bounds("under $80, actually under $50") == (None, 50.0)


def test_contradictory_bounds_are_swapped():
    assert bounds("over 100 and under 50") == (50.0, 100.0)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("no polyester", "exclude_materials", "polyester"),
        ("not red", "exclude_colours", "red"),
        ("anything but black", "exclude_colours", "black"),
        ("without leather", "exclude_materials", "leather"),
        ("except denim", "exclude_materials", "denim"),
        ("nothing in pink", "exclude_colours", "pink"),
        ("no more dresses", "exclude_categories", "dress"),
        ("avoid wool", "exclude_materials", "wool"),
        ("not a fan of yellow", "exclude_colours", "yellow"),
        ("hate orange", "exclude_colours", "orange"),
        ("I don't want anything in grey", "exclude_colours", "grey"),
        ("polyester-free", "exclude_materials", "polyester"),
        ("anything other than beige", "exclude_colours", "beige"),
        ("skirts instead of dresses", "exclude_categories", "dress"),
    ],
)
def test_negation_phrasing_excludes_the_term(text, field, value):
    constraints = parse_message(text).constraints
    assert getattr(constraints, field) == {value}
    assert value not in constraints.colours | constraints.materials | constraints.categories


def test_negation_covers_terms_joined_by_or():
    assert parse_message("not red or pink").constraints.exclude_colours == {"red", "pink"}


def test_negation_covers_terms_joined_by_nor():
    assert parse_message("neither red nor pink").constraints.exclude_colours == {"red", "pink"}


def test_negation_ends_at_and_so_the_next_colour_is_wanted():
    constraints = parse_message("is not red and black").constraints
    assert (constraints.exclude_colours, constraints.colours) == ({"red"}, {"black"})


def test_negation_ends_at_a_comma():
    constraints = parse_message("no red, blue please").constraints
    assert (constraints.exclude_colours, constraints.colours) == ({"red"}, {"blue"})


def test_negation_of_a_colour_leaves_the_following_category_wanted():
    constraints = parse_message("no red dresses").constraints
    assert (constraints.exclude_colours, constraints.categories) == ({"red"}, {"dress"})


def test_negation_of_a_non_vocabulary_word_excludes_nothing():
    constraints = parse_message("is red with no sleeves").constraints
    assert (constraints.colours, constraints.exclude_colours) == ({"red"}, frozenset())


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("in blue", "colours", "blue"),
        ("blue", "colours", "blue"),
        ("a blue dress", "categories", "dress"),
        ("made of linen", "materials", "linen"),
        ("Navy Blue track pants", "colours", "navy"),
        ("navy blue track pants", "categories", "trousers"),
        ("flip flops for the beach", "categories", "shoes"),
        ("an off-white t-shirt", "colours", "white"),
        ("an off-white t-shirt", "categories", "top"),
        ("a navy-blue coat", "colours", "navy"),
        ("RED!!!", "colours", "red"),
        ("a tank", "categories", "top"),
        ("capris", "categories", "trousers"),
    ],
)
def test_positive_mention_is_wanted(text, field, value):
    assert getattr(parse_message(text).constraints, field) == {value}


def test_multi_word_colour_wins_over_its_single_words():
    assert parse_message("dark blue jeans").constraints.colours == {"navy"}


@pytest.mark.parametrize("text", ["redo the search", "a tanky look", "blueish", "capsule wardrobe", "toppings"])
def test_vocabulary_words_match_whole_words_only(text):
    assert parse_message(text).constraints.is_empty()


def test_capris_is_trousers_not_a_cap():
    assert parse_message("capris").constraints.categories == {"trousers"}


def test_cap_sleeves_is_not_a_cap():
    assert parse_message("a dress with cap sleeves").constraints.categories == {"dress"}


def test_category_after_with_describes_a_part_not_the_request():
    assert parse_message("a dress with a belt").constraints.categories == {"dress"}


def test_negated_category_after_with_describes_a_part_and_is_not_excluded():
    constraints = parse_message("has a pattern and no belt").constraints
    assert constraints.exclude_categories == frozenset()


def test_semantic_text_drops_price_negation_and_filler():
    assert (
        parse_message("Show me a blue linen dress under $60, no polyester please").semantic_text == "blue linen dress"
    )


def test_semantic_text_keeps_negated_non_vocabulary_words():
    assert parse_message("is red with no pockets").semantic_text == "is red with no pockets"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("cheaper", "cheaper"), ("less expensive ones", "cheaper"), ("more affordable", "cheaper")]
    + [("pricier", "pricier"), ("something more expensive", "pricier"), ("a dress", None)],
)
def test_relative_price_flag(text, expected):
    assert parse_message(text).relative_price == expected


def test_cheaper_than_an_amount_is_a_bound_not_a_relative_price():
    parsed = parse_message("cheaper than $40")
    assert (parsed.relative_price, parsed.constraints.price_max) == (None, 40.0)


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("more like the first one", 1),
        ("more like the second one", 2),
        ("like the third", 3),
        ("the fourth one", 4),
        ("similar to the fifth", 5),
        ("the sixth one", 6),
        ("the seventh one", 7),
        ("the eighth one", 8),
        ("the ninth one", 9),
        ("the tenth one", 10),
        ("like #2", 2),
        ("similar to 3", 3),
        ("the 3rd one", 3),
        ("number 3", 3),
    ],
)
def test_card_reference_like(text, index):
    assert parse_message(text).card_refs_like == (index,)


@pytest.mark.parametrize(
    ("text", "index"),
    [("not #3", 3), ("not the third", 3), ("no to 2", 2), ("don't like the 2nd one", 2), ("hide number 4", 4)],
)
def test_card_reference_exclude(text, index):
    assert parse_message(text).card_refs_exclude == (index,)


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("what goes with card 1?", 1),
        ("what would go well with #3", 3),
        ("what can I wear with the second one", 2),
        ("something to match this one", 1),
        ("anything that goes with number 4", 4),
    ],
)
def test_what_goes_with_a_card_asks_for_an_outfit_around_it(text, index):
    parsed = parse_message(text)
    assert parsed.card_refs_pair == (index,) and parsed.relations == ("goes_with",)
    assert parsed.card_refs_like == () and parsed.card_refs_exclude == ()
    assert not {"goes", "wear", "match"} & set(parsed.semantic_text.split())


def test_what_goes_with_it_means_the_card_named_last():
    assert parse_message("what goes with it?", pointed=3).card_refs_pair == (3,)
    assert parse_message("what can I wear with it").card_refs_pair == (1,)


def test_it_after_like_is_no_card():
    parsed = parse_message("i like it in red")
    assert parsed.card_refs_like == () and parsed.card_refs_pair == ()


def test_a_kind_to_go_with_a_card_keeps_the_kind():
    parsed = parse_message("shoes to go with #2")
    assert parsed.card_refs_pair == (2,) and parsed.constraints.categories == {"shoes"}


def test_not_that_one_excludes_the_first_card():
    assert parse_message("not that one").card_refs_exclude == (1,)


def test_not_that_one_excludes_the_card_named_before_it():
    parsed = parse_message("the third one? no, not that one")
    assert parsed.card_refs_exclude == (3,)


def test_not_that_one_excludes_the_card_the_last_answer_named():
    assert parse_message("not that one", pointed=2).card_refs_exclude == (2,)
    assert parse_message("not the first one", pointed=2).card_refs_exclude == (1,)  # said outright wins


def test_card_reference_does_not_leak_into_filters_or_text():
    parsed = parse_message("more like the second one but in red")
    assert (parsed.card_refs_like, parsed.constraints.colours, parsed.semantic_text) == ((2,), {"red"}, "red")


@pytest.mark.parametrize("text", ["wait a second", "my first date", "not that expensive", "a two piece set"])
def test_ordinary_words_are_not_card_references(text):
    parsed = parse_message(text)
    assert (parsed.card_refs_like, parsed.card_refs_exclude) == ((), ())


@pytest.mark.parametrize("text", ["start over", "New search: red shoes", "reset", "clear", "clear all filters"])
def test_reset_phrasing(text):
    assert parse_message(text).reset


def test_clear_as_an_adjective_is_not_a_reset():
    assert not parse_message("a clear plastic bag").reset


@pytest.mark.parametrize(
    "text",
    ["actually, show me sneakers", "Instead, hats", "something different: a scarf", "never mind, jackets"],
)
def test_topic_change_phrasing(text):
    assert parse_message(text).new_topic


def test_instead_with_only_a_colour_is_a_refinement_not_a_new_topic():
    parsed = parse_message("red instead")
    assert (parsed.new_topic, parsed.constraints.colours) == (False, {"red"})


def test_actually_followed_by_a_refinement_is_not_a_new_topic():
    assert not parse_message("actually, in blue").new_topic


def test_reset_words_do_not_reach_the_encoder():
    assert parse_message("start over: red shoes").semantic_text == "red shoes"


def test_refusing_a_kind_excludes_that_kind_not_its_category():
    constraints = parse_message("no sneakers").constraints
    assert constraints.exclude_terms == {"sneakers"} and constraints.exclude_categories == frozenset()
    assert constraints.describe() == [("exclude_terms", "no sneakers")]


def test_refusing_a_category_by_its_name_excludes_the_category():
    constraints = parse_message("no more dresses").constraints
    assert constraints.exclude_categories == {"dress"} and constraints.exclude_terms == frozenset()


def test_refused_kinds_accumulate_and_relax_together():
    merged = parse_message("not sneakers").constraints.merge(parse_message("no boots").constraints)
    assert merged.exclude_terms == {"sneakers", "boots"} and merged.without("exclude_terms").exclude_terms == set()


def test_refusing_a_word_outside_the_vocabulary_refuses_it_in_the_items_text():
    parsed = parse_message("white sports shoes, no nike")
    assert parsed.constraints.exclude_terms == {"nike"}
    assert "nike" not in parsed.semantic_text


def test_refused_brands_joined_by_or_are_all_refused():
    assert parse_message("not adidas or puma").constraints.exclude_terms == {"adidas", "puma"}


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("no running shoes", {"running shoes"}),
        ("no tank tops", {"tank tops"}),
        ("not nike shoes", {"nike shoes"}),
        ("no tank tops or hoodies", {"tank tops", "hoodies"}),
    ],
)
def test_a_kind_right_after_a_refused_word_is_refused_with_it_not_wanted(text, refused):
    parsed = parse_message(text)
    assert parsed.constraints.exclude_terms == refused
    assert parsed.constraints.categories == frozenset() and parsed.semantic_text == ""


def test_refusing_one_kind_of_shoe_beside_a_dress_keeps_the_dress_alone():
    parsed = parse_message("a summer dress, no high heels")
    assert parsed.constraints.categories == {"dress"} and parsed.constraints.exclude_terms == {"high heels"}
    assert "heels" not in parsed.semantic_text


def test_either_and_as_well_are_filler():
    assert parse_message("no flip flops either").semantic_text == ""
    assert parse_message("a scarf as well").semantic_text == "scarf"


@pytest.mark.parametrize("text", ["not sure, a dress", "no thanks", "a dress not for work", "no more than $50"])
def test_a_negation_of_no_thing_refuses_nothing(text):
    assert parse_message(text).constraints.exclude_terms == frozenset()
