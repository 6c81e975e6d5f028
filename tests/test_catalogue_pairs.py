"""Catalogue pairs: requests written from an item's own fields, seeded, never its embedded text, held out by item."""

from __future__ import annotations

import random

import pytest

from ranker.catalogue_pairs import REMARKS, PairConfig, catalogue_pairs, item_requests, leaks
from store.catalogs.demo import generate_demo_catalog
from store.item import Item

SHIRT = Item(
    id="15970",
    title="Turtle Check Men Navy Blue Shirt",
    brand="Turtle Check",
    category="top",
    colour="navy",
    extra={"gender": "Men", "articleType": "Shirts", "usage": "Casual", "season": "Fall", "raw_colour": "Navy Blue"},
)


@pytest.fixture(scope="module")
def items(tmp_path_factory) -> list[Item]:
    return generate_demo_catalog(tmp_path_factory.mktemp("demo"), 120, 0)


def test_the_same_seed_writes_the_same_pairs(items):
    assert catalogue_pairs(items, PairConfig(seed=4)) == catalogue_pairs(items, PairConfig(seed=4))


def test_another_seed_writes_other_requests(items):
    first, second = (catalogue_pairs(items, PairConfig(seed=seed)).train for seed in (0, 1))
    assert [e.request_text for e in first] != [e.request_text for e in second]


def test_an_items_requests_do_not_depend_on_the_catalogues_order(items):
    shuffled = random.Random(3).sample(items, len(items))
    config = PairConfig(validation_items=0.0)
    assert catalogue_pairs(shuffled, config) == catalogue_pairs(items, config)


def test_no_request_is_the_items_embedded_text_or_a_whole_part_of_it(items):
    by_id = {item.id: item for item in items}
    pairs = catalogue_pairs(items, PairConfig(requests_per_item=5))
    for example in pairs.train + pairs.validation:
        text = by_id[example.target].text().lower()
        assert example.request_text.lower() != text
        assert example.request_text.lower() not in {part.lower().strip(".") for part in text.split(". ")}


def test_leaks_recognises_the_title_up_to_case_and_punctuation():
    assert leaks("turtle check men navy-blue shirt!", SHIRT)
    assert leaks(SHIRT.text(), SHIRT)
    assert not leaks("navy shirts for men", SHIRT)


def test_held_out_items_have_no_training_pair(items):
    pairs = catalogue_pairs(items, PairConfig(validation_items=0.2))
    held = {example.target for example in pairs.validation}
    assert len(held) == round(0.2 * len(items))
    assert held.isdisjoint(example.target for example in pairs.train)


def test_pairs_have_no_history_and_each_item_gets_distinct_requests(items):
    pairs = catalogue_pairs(items, PairConfig(requests_per_item=3, validation_items=0.0))
    assert all(example.history == () for example in pairs.train)
    per_item: dict[str, list[str]] = {}
    for example in pairs.train:
        per_item.setdefault(example.target, []).append(example.request_text)
    assert all(len(texts) == len(set(texts)) == 3 for texts in per_item.values())


def test_a_request_names_the_items_fields_in_words():
    requests = item_requests(SHIRT, 40, random.Random(0))
    words = " ".join(requests).lower()
    assert {"navy", "shirts", "men", "casual", "autumn"} <= set(words.replace("'", " ").split())
    assert not any(request.lower() == "turtle check men navy blue shirt" for request in requests)


def test_max_items_samples_the_catalogue(items):
    pairs = catalogue_pairs(items, PairConfig(max_items=30, validation_items=0.0))
    assert len({example.target for example in pairs.train}) == 30


def test_remarks_end_the_given_share_of_requests_and_are_seeded(items):
    config = PairConfig(requests_per_item=4, validation_items=0.0, remarks=0.5)
    texts = [example.request_text for example in catalogue_pairs(items, config).train]
    remarked = sum(text.endswith(REMARKS) for text in texts)
    assert 0.4 < remarked / len(texts) < 0.6
    assert texts == [example.request_text for example in catalogue_pairs(items, config).train]


def test_without_remarks_an_item_gets_the_requests_it_got_before_remarks_existed():
    written_before = [
        "any top for men",
        "casual navy blue top",
        "casual navy top for autumn",
        "any casual navy blue top for autumn",
    ]
    assert item_requests(SHIRT, 4, random.Random(0), remarks=0.0) == written_before
