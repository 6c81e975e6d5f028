"""The shopper simulator: one Taste weighs a catalogue, one simulator draws histories and requests from it."""

from __future__ import annotations

import random

import numpy as np
import pytest

from ranker.demo import DemoDataConfig, simulate_demo_shoppers
from ranker.simulate.shoppers import ShopperShape, simulate_shopper
from ranker.simulate.taste import Catalogue, Preference, Taste, draw
from store.catalogs.demo import generate_demo_catalog
from store.demo_shoppers import shoppers_for
from store.item import Item

ITEMS = [
    Item(id="blue-dress", title="Dress", category="dress", colour="blue", extra={"gender": "Women"}),
    Item(id="red-dress", title="Dress", category="dress", colour="red", extra={"gender": "Women"}),
    Item(id="blue-top", title="Top", category="top", colour="blue", extra={"gender": "Unisex"}),
    Item(id="red-top", title="Top", category="top", colour="red", extra={"gender": "Men"}),
]
CATALOGUE = Catalogue(
    ITEMS,
    {
        "kind": lambda item: item.category,
        "colour": lambda item: item.colour,
        "gender": lambda item: item.extra["gender"],
    },
)
DRESSES_IN_BLUE = Taste((Preference("kind", ("dress",), 4.0), Preference("colour", ("blue",), 3.0)))


def test_affinity_multiplies_one_plus_boost_over_the_preferences_met():
    assert CATALOGUE.affinity(DRESSES_IN_BLUE).tolist() == [20.0, 5.0, 4.0, 1.0]


def test_an_item_outside_the_required_values_weighs_nothing():
    taste = Taste(DRESSES_IN_BLUE.preferences, required={"gender": ("Women", "Unisex")})
    assert CATALOGUE.affinity(taste).tolist() == [20.0, 5.0, 4.0, 0.0]


def test_draw_never_picks_a_weightless_item_and_follows_the_weights():
    rng = random.Random(0)
    counts = np.bincount([draw(np.array([3.0, 0.0, 1.0]), rng) for _ in range(4000)], minlength=3)
    assert counts[1] == 0 and counts[0] / counts[2] == pytest.approx(3.0, rel=0.15)


@pytest.mark.parametrize("order", ["interleaved", "batched"])
def test_a_shopper_buys_first_then_asks_for_items_of_the_tastes_kinds(order):
    taste = Taste(DRESSES_IN_BLUE.preferences, kinds=("top",))
    shape = ShopperShape(history_min=3, history_max=3, requests_min=2, requests_max=2, noise=0.0, order=order)
    events = simulate_shopper("ann", taste, CATALOGUE, shape, lambda item, rng: f"a {item.title}", random.Random(1))
    assert [event.text for event in events[:3]] == ["", "", ""] and [event.time for event in events] == [1, 2, 3, 4, 5]
    assert all(event.item.endswith("-top") and event.text == "a Top" for event in events[3:])


def test_a_count_whose_range_is_one_number_draws_nothing_from_the_stream():
    fixed = ShopperShape(1, 1, 0, 0, noise=1.0)
    events = simulate_shopper("u", DRESSES_IN_BLUE, CATALOGUE, fixed, lambda i, r: "x", random.Random(3))
    rng = random.Random(3)
    rng.random()  # noise 1: the purchase's coin, then a uniform product; no draw for the counts
    assert [event.item for event in events] == [ITEMS[rng.randrange(len(ITEMS))].id]


def test_the_same_seed_simulates_the_same_shopper():
    shape = ShopperShape(2, 6, 1, 3, noise=0.5)
    twice = [simulate_shopper("u", DRESSES_IN_BLUE, CATALOGUE, shape, lambda i, r: "x", random.Random(7)) for _ in "ab"]
    assert twice[0] == twice[1]


@pytest.fixture(scope="module")
def items(tmp_path_factory):
    return generate_demo_catalog(tmp_path_factory.mktemp("demo"), 240, 0)


def test_demo_shoppers_request_only_items_of_their_demo_taste(items):
    config = DemoDataConfig(3, 8, 6, taste_noise=0.2, favourite_colour_boost=2.0, seed=0)
    events = simulate_demo_shoppers(items, config)
    by_id = {item.id: item for item in items}
    tastes = {shopper.user.id: shopper.taste for shopper in shoppers_for(items)}
    requests = [event for event in events if event.text]
    assert len(requests) == len(tastes) * 3 * 6
    assert all(tastes[event.user.split("-")[1]].matches(by_id[event.item]) for event in requests)
