"""The shop's taste (ranker/shop_taste.py): counted from reactions, worked by hand; its weight chosen by a score."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ranker.shop_taste import WEIGHTS, ShopTaste, choose_weight, fit_shop_taste
from store.item import Item


def item(item_id: str, brand: str, material: str, colour: str) -> Item:
    return Item(id=item_id, title=item_id, brand=brand, material=material, colour=colour, category="dress")


CATALOGUE = [
    item("a", "Solenne", "linen", "blue"),
    item("b", "Solenne", "silk", "red"),
    item("c", "Nord", "linen", "red"),
    item("d", "Nord", "synthetic", "blue"),
]


def test_each_value_weighs_the_smoothed_log_odds_of_its_reactions():
    # two likes of a (Solenne, linen, blue), one dislike of c (Nord, linen, red), one rejection of d
    taste = fit_shop_taste([("a", True), ("a", True), ("c", False), ("d", False)], CATALOGUE)
    assert taste.values["brand=Solenne"] == pytest.approx(math.log(3 / 1))
    assert taste.values["brand=Nord"] == pytest.approx(math.log(1 / 3))
    assert taste.values["material=linen"] == pytest.approx(math.log(3 / 2))
    assert taste.values["material=synthetic"] == pytest.approx(math.log(1 / 2))
    assert "material=silk" not in taste.values  # nobody reacted to silk: it weighs 0
    assert taste.reactions == 4


def test_an_item_leans_by_its_values_summed_over_their_spread_across_the_catalogue_times_the_weight():
    taste = fit_shop_taste([("a", True), ("a", True), ("c", False), ("d", False)], CATALOGUE)
    sums = np.array(
        [sum(taste.values.get(f"{k}={getattr(i, k)}", 0.0) for k in ("brand", "material", "colour")) for i in CATALOGUE]
    )
    assert taste.scale == pytest.approx(sums.std())
    leaned = ShopTaste(taste.values, taste.scale, 0.5, taste.reactions).lean(CATALOGUE)
    assert leaned == pytest.approx(0.5 * sums / sums.std(), rel=1e-5)
    assert leaned.argmax() == 0 and max(leaned[2:]) < leaned[1]  # the liked item first, the Nord items last


def test_a_taste_of_weight_zero_or_no_reactions_leans_nothing():
    assert not fit_shop_taste([("a", True)], CATALOGUE).lean(CATALOGUE).any()  # weight 0 until chosen
    assert not ShopTaste(weight=1.0).lean(CATALOGUE).any()
    assert fit_shop_taste([("gone", True)], CATALOGUE).reactions == 0  # an id the catalogue lost counts for nothing


def test_the_weight_is_the_one_the_score_rates_best_and_a_tie_keeps_the_smaller():
    taste = fit_shop_taste([("a", True)], CATALOGUE)
    chosen, scores = choose_weight(taste, lambda t: -abs(t.weight - 0.75), keeps=lambda t: True)
    assert chosen.weight == 0.75 and set(scores) == set(WEIGHTS)
    assert choose_weight(taste, lambda t: 1.0, keeps=lambda t: True)[0].weight == 0.0  # no gain anywhere: no lean


def test_a_weight_that_does_harm_elsewhere_is_never_chosen_however_well_it_scores():
    taste = fit_shop_taste([("a", True)], CATALOGUE)
    chosen, scores = choose_weight(taste, lambda t: t.weight, keeps=lambda t: t.weight <= 0.5)
    assert chosen.weight == 0.5 and max(scores) == 0.5
    assert choose_weight(taste, lambda t: t.weight, keeps=lambda t: False)[0].weight == 0.0


def test_its_description_names_what_it_leans_to_or_that_it_leans_nothing():
    taste = fit_shop_taste([("a", True), ("a", True), ("c", False)], CATALOGUE)
    assert "brand=Solenne" in ShopTaste(taste.values, taste.scale, 0.5, 3).describe()
    assert "by 0.5 SD" in ShopTaste(taste.values, taste.scale, 0.5, 3).describe()
    assert "no lean" in taste.describe()


def test_a_saved_taste_loads_as_it_was_and_an_unreadable_file_loads_as_none(tmp_path):
    taste = ShopTaste({"brand=Solenne": 1.1}, 0.7, 0.5, 12)
    taste.save(tmp_path / "taste.json")
    assert ShopTaste.load(tmp_path / "taste.json") == taste
    (tmp_path / "broken.json").write_text("{not json")
    assert ShopTaste.load(tmp_path / "broken.json") is None
    assert ShopTaste.load(tmp_path / "missing.json") is None
