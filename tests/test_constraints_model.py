"""Constraints: turn-by-turn merge, relaxing, wording, and the Chroma `where` filter they produce."""

from __future__ import annotations

import math

import pytest

from chat.understand.constraints import Constraints, is_valid_where, parse_message


def accumulate(*messages: str) -> Constraints:
    constraints = Constraints()
    for message in messages:
        constraints = constraints.merge(parse_message(message).constraints)
    return constraints


def test_new_colour_replaces_the_old_colour():
    assert accumulate("a red dress", "in blue").colours == {"blue"}


def test_category_survives_a_colour_refinement():
    assert accumulate("a red dress", "in blue").categories == {"dress"}


def test_new_price_bound_replaces_the_old_bound():
    assert accumulate("under $80", "under $50").price_max == 50.0


def test_price_bound_survives_other_refinements():
    assert accumulate("under $80", "in blue", "no polyester").price_max == 80.0


def test_new_lower_bound_above_the_old_upper_bound_drops_the_old_bound():
    merged = accumulate("under $50", "over $100")
    assert (merged.price_min, merged.price_max) == (100.0, None)


def test_exclusions_accumulate():
    assert accumulate("no polyester", "no wool").exclude_materials == {"polyester", "wool"}


def test_positive_mention_lifts_an_exclusion():
    merged = accumulate("not red", "red is fine, in red")
    assert (merged.colours, merged.exclude_colours) == ({"red"}, frozenset())


def test_exclusion_removes_a_wanted_value():
    merged = accumulate("red or blue", "not red")
    assert (merged.colours, merged.exclude_colours) == ({"blue"}, {"red"})


def test_excluded_ids_accumulate():
    merged = Constraints(exclude_ids=frozenset({"a"})).merge(Constraints(exclude_ids=frozenset({"b"})))
    assert merged.exclude_ids == {"a", "b"}


def test_value_both_wanted_and_excluded_is_excluded():
    constraints = Constraints(colours=frozenset({"red", "blue"}), exclude_colours=frozenset({"red"}))
    assert constraints.colours == {"blue"}


def test_min_above_max_is_swapped_on_construction():
    constraints = Constraints(price_min=80, price_max=30)
    assert (constraints.price_min, constraints.price_max) == (30.0, 80.0)


@pytest.mark.parametrize("price", [math.nan, math.inf, -5.0])
def test_impossible_price_is_dropped_on_construction(price):
    assert Constraints(price_max=price).price_max is None


def test_without_price_relaxes_both_bounds():
    relaxed = Constraints(price_min=30, price_max=80, colours=frozenset({"blue"})).without("price")
    assert (relaxed.price_min, relaxed.price_max, relaxed.colours) == (None, None, {"blue"})


def test_without_colours_keeps_the_rest():
    relaxed = accumulate("a blue dress under $60").without("colours")
    assert (relaxed.colours, relaxed.categories, relaxed.price_max) == (frozenset(), {"dress"}, 60.0)


def test_without_an_unknown_field_is_an_error():
    with pytest.raises(ValueError, match="unknown constraint"):
        Constraints().without("flavour")


def test_describe_wording():
    constraints = accumulate("a blue linen dress under $60", "no polyester, not red", "size m")
    assert constraints.describe() == [
        ("price", "under $60"),
        ("categories", "category dress"),
        ("colours", "colour blue"),
        ("exclude_colours", "not red"),
        ("materials", "material linen"),
        ("exclude_materials", "no polyester"),
        ("sizes", "size m"),
    ]


@pytest.mark.parametrize(
    ("constraints", "wording"),
    [
        (Constraints(price_min=30, price_max=80), "$30 to $80"),
        (Constraints(price_min=50), "over $50"),
        (Constraints(price_max=59.99), "under $59.99"),
        (Constraints(price_max=1200), "under $1,200"),
    ],
)
def test_describe_price_wording(constraints, wording):
    assert constraints.describe() == [("price", wording)]


def test_describe_names_fields_that_without_accepts():
    constraints = accumulate("a blue dress under $60, no wool", "size m")
    for name, _ in constraints.describe():
        assert constraints.without(name).describe() != constraints.describe()


def test_describe_of_nothing_is_empty():
    assert Constraints().describe() == []


def test_where_of_nothing_is_none():
    assert Constraints().to_where() is None


def test_where_of_one_clause_is_not_wrapped_in_and():
    assert Constraints(price_max=60).to_where() == {"price": {"$lte": 60.0}}


def test_where_of_two_clauses_is_an_and():
    assert Constraints(price_max=60, colours=frozenset({"blue"})).to_where() == {
        "$and": [{"price": {"$lte": 60.0}}, {"colour": {"$in": ["", "blue"]}}]
    }


def test_where_of_a_price_range_is_two_clauses():
    assert Constraints(price_min=30, price_max=80).to_where() == {
        "$and": [{"price": {"$gte": 30.0}}, {"price": {"$lte": 80.0}}]
    }


def test_where_of_exclusions_alone_is_nin():
    assert Constraints(exclude_materials=frozenset({"wool", "polyester"})).to_where() == {
        "material": {"$nin": ["polyester", "wool"]}
    }


def test_where_with_wanted_and_excluded_values_keeps_only_in():
    constraints = Constraints(colours=frozenset({"blue"}), exclude_colours=frozenset({"red"}))
    assert constraints.to_where() == {"colour": {"$in": ["", "blue"]}}


def test_where_leaves_out_sizes_and_excluded_ids():
    assert Constraints(sizes=frozenset({"m"}), exclude_ids=frozenset({"x"})).to_where() is None


@pytest.mark.parametrize(
    "where",
    [
        {"price": {"$lte": 60.0}},
        {"colour": "blue"},
        {"$and": [{"price": {"$gte": 1}}, {"colour": {"$nin": ["red"]}}]},
        {"$or": [{"colour": "red"}, {"category": {"$eq": "dress"}}]},
    ],
)
def test_valid_where_is_accepted(where):
    assert is_valid_where(where)


@pytest.mark.parametrize(
    "where",
    [
        None,
        {},
        {"colour": {"$in": []}},
        {"colour": {"$in": ["red", 1]}},
        {"$and": [{"colour": "red"}]},
        {"price": {"$lte": "60"}},
        {"price": {"$lte": math.nan}},
        {"price": {"$gte": 1, "$lte": 9}},
        {"colour": "red", "price": 3},
        {"colour": {"$regex": "r.*"}},
        {"$not": {"colour": "red"}},
        {"colour": ["red"]},
    ],
)
def test_invalid_where_is_rejected(where):
    assert not is_valid_where(where)


def test_a_kind_named_stays_through_refinements_and_goes_with_its_category():
    shirt = parse_message("a shirt").constraints
    assert shirt.merge(parse_message("in blue").constraints).kinds == {"shirt"}
    assert shirt.merge(parse_message("a top").constraints).kinds == frozenset()
    assert shirt.merge(parse_message("a t-shirt").constraints).kinds == {"t shirt"}
    assert shirt.without("categories").kinds == frozenset()


@pytest.mark.parametrize("message", ["a blue shirt dress", "sweater dresses for winter", "a t-shirt dress"])
def test_a_dress_named_after_a_top_is_a_dress_and_not_a_top(message):
    constraints = parse_message(message).constraints
    assert constraints.categories == {"dress"}
    assert len(constraints.kinds) == 1 and next(iter(constraints.kinds)).endswith(("dress", "dresses"))
