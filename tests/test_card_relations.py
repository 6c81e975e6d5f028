"""What "what goes with card 1" leaves of the request in force (chat/card_relations.py::for_other_kinds)."""

from chat.card_relations import for_other_kinds
from chat.understand.constraints import Constraints


def test_the_kind_and_what_was_said_for_it_go_with_their_words():
    said = Constraints(
        categories=frozenset({"top"}),
        kinds=frozenset({"shirt"}),
        colours=frozenset({"white"}),
        materials=frozenset({"linen"}),
        sizes=frozenset({"m"}),
    )
    parts, left = for_other_kinds(["white linen shirt", "for the office"], said)
    assert parts == ["for the office"]
    assert left == Constraints()


def test_the_shoppers_budget_occasion_and_refusals_stay():
    said = Constraints(
        categories=frozenset({"top"}),
        price_max=80.0,
        usages=frozenset({"formal"}),
        exclude_colours=frozenset({"black"}),
        exclude_terms=frozenset({"polyester"}),
    )
    _, left = for_other_kinds(["formal shirt"], said)
    assert left == Constraints(
        price_max=80.0,
        usages=frozenset({"formal"}),
        exclude_colours=frozenset({"black"}),
        exclude_terms=frozenset({"polyester"}),
    )
