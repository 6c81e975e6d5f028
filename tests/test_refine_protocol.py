"""The refine protocol: relative refinement measured on real photos, beside words appended and zero-shot."""

from __future__ import annotations

import pytest

from chat.evaluate.refine import EVALUATED, RefineConfig, colour_agreement, run_refine, satisfied_at
from chat.evaluate.report import to_markdown
from store.item import Item, Measures


def test_satisfied_at_counts_empty_slots_as_unsatisfied():
    assert satisfied_at(["a", "b", "c"], {"a", "c", "z"}, k=4) == 0.5


def test_colour_agreement_compares_measured_with_catalogued_colours_of_pictured_items_only():
    def item(item_id: str, colour: str, measured: str, source: str = "picture") -> Item:
        measures = Measures(50.0, 10.0, 10.0, measured, source)
        return Item(id=item_id, title="x", colour=colour, measures=measures, colour_source="catalogue")

    items = [item("1", "red", "red"), item("2", "red", "pink"), item("3", "blue", "blue"), item("4", "red", "x", "")]
    assert colour_agreement(items) == {"red": (2, 0.5), "blue": (1, 1.0), "all": (3, 2 / 3)}


@pytest.fixture(scope="module")
def small_report(shared_data, tmp_path_factory):
    folder = shared_data / "fashion-product-images"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    config = RefineConfig(data=folder, limit=200, references=10, epochs=2, cache_dir=tmp_path_factory.mktemp("refine"))
    return run_refine(config)


def test_on_200_real_products_every_relation_is_scored_for_all_three_systems(small_report):
    assert [result.relation for result in small_report.results] == list(EVALUATED)
    assert all(
        set(result.metrics["satisfied@8"]) == {"relation", "words-appended", "zero-shot"}
        for result in small_report.results
    )


def test_on_200_real_products_the_relation_path_satisfies_the_relation(small_report):
    asked = [result for result in small_report.results if result.references]
    assert asked and all(result.metrics["satisfied@8"]["relation"] >= 0.9 for result in asked)


def test_on_200_real_products_the_relation_path_beats_appending_the_words(small_report):
    asked = [result for result in small_report.results if result.references]
    mean = {s: sum(r.metrics["satisfied@8"][s] for r in asked) / len(asked) for s in ("relation", "words-appended")}
    assert mean["relation"] > mean["words-appended"] + 0.2


def test_the_report_has_a_row_per_relation_and_the_colour_table(small_report):
    text = to_markdown(small_report)
    assert all(f"| {relation} |" in text for relation in EVALUATED) and "| all |" in text
