"""The semi-synthetic fashion set: seeded, labelled, and requests worded as documented."""

from __future__ import annotations

import pytest

from ranker.datasets.semi_synthetic import SemiSyntheticConfig, generate_fashion_set
from ranker.simulate.requests import read_caption_clauses

SMALL = SemiSyntheticConfig(seed=0, shoppers=40, catalogue_size=600)


@pytest.fixture(scope="module")
def folders(shared_data):
    return shared_data / "fashion-product-images", shared_data / "fashion-iq" / "captions"


@pytest.fixture(scope="module")
def fashion(folders):
    return generate_fashion_set(*folders, SMALL)


def test_same_seed_gives_the_same_set_and_another_seed_another(folders, fashion):
    assert generate_fashion_set(*folders, SMALL).interactions == fashion.interactions
    other = generate_fashion_set(*folders, SemiSyntheticConfig(seed=1, shoppers=40, catalogue_size=600))
    assert other.interactions != fashion.interactions


def test_it_is_labelled_semi_synthetic(fashion):
    assert fashion.label == "semi-synthetic"
    assert fashion.summary()["label"] == "semi-synthetic"


def test_sizes_follow_the_config(fashion):
    assert len(fashion.items) == 600
    assert len({row.user for row in fashion.interactions}) == 40
    requests = [row for row in fashion.interactions if row.text]
    assert 40 * SMALL.requests_min <= len(requests) <= 40 * SMALL.requests_max


def test_requests_name_the_target_article_type_and_never_a_gender(fashion):
    for row in fashion.interactions:
        if row.text:
            words = row.text.split()
            assert row.text.split(" that ")[0].lower() in fashion.items[row.item].lower()
            assert not {"men", "women", "boys", "girls", "unisex"} & set(words)


def test_every_request_comes_after_its_shoppers_purchases(fashion):
    last_purchase: dict[str, float] = {}
    first_request: dict[str, float] = {}
    for row in fashion.interactions:
        if row.text:
            first_request.setdefault(row.user, row.time)
        else:
            last_purchase[row.user] = max(last_purchase.get(row.user, 0.0), row.time)
    assert all(last_purchase[user] < first_request[user] for user in first_request)


def test_caption_clauses_are_short_fashion_iq_phrases_without_colours(folders):
    clauses = read_caption_clauses(folders[1])
    assert "is longer" in clauses
    assert not any(word in ("black", "red", "blue", "white") for clause in clauses for word in clause.split())
    assert all(clause.split()[0] in ("is", "has") and len(clause.split()) <= 5 for clause in clauses)
