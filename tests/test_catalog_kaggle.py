"""The real Kaggle "Fashion Product Images (Small)" copy: 44,446 rows, 22 of them with commas in the title."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from store.catalogs.kaggle import (
    PRICE_BANDS,
    UNCATEGORISED_ARTICLE_TYPES,
    read_fashion_product_images,
    synthetic_price,
    title_gender,
)
from store.vocabulary import CATEGORIES, COLOURS


@pytest.fixture(scope="module")
def folder(shared_data) -> Path:
    folder = shared_data / "fashion-product-images"
    if not (folder / "styles.csv").is_file():
        pytest.skip(f"{folder}/styles.csv is absent")
    return folder


@pytest.fixture(scope="module")
def full(folder):
    return read_fashion_product_images(folder)


@pytest.fixture(scope="module")
def by_id(full):
    return {item.id: item for item in full.items}


def test_every_row_is_read_including_the_repaired_ones(full):
    assert len(full.items) == 44_446
    assert full.duplicate_ids == []


def test_the_22_rows_with_commas_in_the_title_are_repaired_and_listed(full):
    assert len(full.problems) == 22
    assert Counter(problem.split(": ")[1] for problem in full.problems) == {
        "11 fields, expected 10 (title re-joined)": 20,
        "12 fields, expected 10 (title re-joined)": 2,
    }
    assert "styles.csv:6569: 11 fields, expected 10 (title re-joined)" in full.problems


def test_repaired_title_keeps_its_commas(by_id):
    assert by_id["3413"].title == "Myntra Men's Yes, its all about me White T-shirt"
    assert by_id["23124"].title == "Converse Unisex Navy Blue Liv,Laugh,Love Flip-flops"
    assert by_id["23124"].extra["articleType"] == "Flip Flops"


def test_only_the_9583_photographed_items_keep_an_image(full):
    with_image = [item for item in full.items if item.image]

    assert len(with_image) == 9_583
    assert len(full.missing_images) == 44_446 - 9_583
    assert all(Path(item.image).is_file() for item in with_image[:200])
    assert Image.open(with_image[0].image).size == (224, 224)


def test_missing_images_give_a_single_warning(folder, caplog):
    with caplog.at_level(logging.WARNING, logger="store.catalogs"):
        read_fashion_product_images(folder, limit=2_000)

    missing = [record for record in caplog.records if "no image file" in record.getMessage()]
    assert len(missing) == 1


def test_every_item_has_a_canonical_category_or_a_documented_non_garment_type(full):
    categories = Counter(item.category for item in full.items)
    uncategorised = {item.extra["articleType"].lower() for item in full.items if not item.category}

    assert set(categories) - {""} == set(CATEGORIES)
    assert uncategorised <= UNCATEGORISED_ARTICLE_TYPES
    assert categories[""] == 4_520


def test_colours_are_canonical_except_the_15_listed_as_na(full):
    colours = Counter(item.colour for item in full.items)

    assert set(colours) - {""} <= set(COLOURS)
    assert colours[""] == 15
    assert {item.extra["raw_colour"] for item in full.items if not item.colour} == {"NA"}


def test_kaggle_attributes_are_kept_in_extra(by_id):
    item = by_id["39386"]

    assert (item.category, item.colour) == ("trousers", "blue")
    assert item.extra["gender"] == "Men"
    assert item.extra["articleType"] == "Jeans"
    assert item.extra["season"] == "Summer"
    assert item.extra["usage"] == "Casual"
    assert item.extra["year"] == 2012


def test_kaggle_gender_usage_and_season_are_canonical_in_the_metadata(by_id):
    meta = by_id["39386"].metadata()
    assert (meta["gender"], meta["usage"], meta["season"]) == ("men", "casual", "summer")


def test_a_childs_item_the_column_calls_adult_takes_the_gender_its_title_names(by_id):
    shorts, dress = by_id["13284"], by_id["27224"]  # "... Kids Boys Solid Black Shorts", "... Kids Girl ... Dress"
    assert (shorts.extra["gender"], dress.extra["gender"]) == ("Boys", "Girls")
    assert dress.metadata()["gender"] == "girls" and "Women" not in dress.text()


def test_an_adults_item_keeps_its_gender(by_id):
    assert by_id["19287"].extra["gender"] == "Women"  # "Guess Women Party Girl White Watch"


def test_the_column_as_published_is_read_when_titles_are_not_to_correct_it(folder):
    published = read_fashion_product_images(folder, genders_from_titles=False).items
    genders = {item.id: item.extra["gender"] for item in published}
    assert (genders["13284"], genders["27224"]) == ("Men", "Women")


def test_the_titles_first_gender_word_decides_the_age():
    assert title_gender("Women", "Guess Women Party Girl White Watch") == "Women"
    assert title_gender("Men", "Chimp Men Baloon Boy Blue Tshirts") == "Men"
    assert title_gender("Men", "Chhota Bheem Kids Boy Men Journey to Petra Orange Tshirt") == "Boys"
    assert title_gender("Women", "Gini and Jony Girl's Vanya White Polka Dot Kidswear") == "Girls"
    assert title_gender("Women", "Chhota Bheem Chutki Kids-Girls Orange Digital Watch") == "Girls"
    assert title_gender("Men", "Palm Tree Kids Solid Brown Trousers") == "Boys"  # "kids" says the age only


def test_a_unisex_or_childs_column_is_kept_whatever_the_title_says():
    assert title_gender("Unisex", "ADIDAS Kids Adispeed Black Sports Shoes") == "Unisex"
    assert title_gender("Boys", "Doodle Boys living Upto White Tshirt") == "Boys"
    assert title_gender("Women", "Roadster Boyfriend Fit Blue Jeans") == "Women"  # a whole word, not "boy..."


def test_brand_is_a_title_prefix_only_when_it_starts_many_titles(by_id):
    assert by_id["39386"].brand == "Peter England"
    assert by_id["22564"].brand == ""  # "Lino Perros Black Women ...": a rare prefix, not a brand


def test_price_is_synthetic_deterministic_and_within_the_category_band(full, by_id):
    low, high = PRICE_BANDS["trousers"]

    assert by_id["39386"].price == synthetic_price("39386", "Jeans", "trousers")
    assert all(item.extra["price_source"] == "synthetic" for item in full.items)
    assert all(low - 1 <= item.price <= high for item in full.items if item.category == "trousers")
    assert len({item.price for item in full.items}) > 100


def test_with_images_only_keeps_the_photographed_items(folder):
    read = read_fashion_product_images(folder, with_images_only=True)

    assert len(read.items) == 9_583
    assert read.missing_images == []
    assert all(item.image for item in read.items)


def test_limit_stops_after_that_many_items(folder):
    read = read_fashion_product_images(folder, limit=50, with_images_only=True)

    assert len(read.items) == 50
    assert all(Path(item.image).is_file() for item in read.items)
