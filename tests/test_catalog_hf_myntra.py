"""A Hugging Face dataset of the `ashraq/fashion-product-images-small` schema (id, gender, masterCategory,
subCategory, articleType, baseColour, season, year, usage, productDisplayName, image) reads into the item fields the
Kaggle reader fills, so who/when filters and the derived demo shoppers work on a Space as on the Kaggle photos.
The dataset is built by the test from a few hundred of the real photos and saved with `save_to_disk`."""

from __future__ import annotations

import csv
from pathlib import Path

import datasets
import pytest

from store.catalogs.huggingface import read_hf_dataset
from store.catalogs.kaggle import read_fashion_product_images
from store.demo_shoppers import shoppers_for
from store.facts import CatalogueFacts
from store.vocabulary import who_when

ROWS = 300
SCHEMA = datasets.Features(
    {
        "id": datasets.Value("int64"),
        **{
            name: datasets.Value("string")
            for name in ("gender", "masterCategory", "subCategory", "articleType", "baseColour", "season")
        },
        "year": datasets.Value("float64"),  # as on the hub: a float column with gaps
        "usage": datasets.Value("string"),
        "productDisplayName": datasets.Value("string"),
        "image": datasets.Image(),
    }
)


@pytest.fixture(scope="module")
def folder(shared_data) -> Path:
    folder = shared_data / "fashion-product-images"
    if not (folder / "styles.csv").is_file():
        pytest.skip(f"{folder}/styles.csv is absent")
    return folder


@pytest.fixture(scope="module")
def saved(folder, tmp_path_factory) -> Path:
    """The first ROWS rows of styles.csv that have a photo, every 5th one among them, as a saved dataset."""
    with open(folder / "styles.csv", newline="", encoding="utf-8", errors="replace") as file:
        rows = [row for row in csv.DictReader(file) if (folder / "images" / f"{row['id']}.jpg").is_file()]
    rows = [row for row in rows if None not in row][: ROWS * 5 : 5]  # the 22 repaired rows are the Kaggle reader's
    data = {name: [] for name in SCHEMA}
    for row in rows:
        for name in SCHEMA:
            if name == "image":
                data[name].append(str(folder / "images" / f"{row['id']}.jpg"))
            elif name == "id":
                data[name].append(int(row[name]))
            elif name == "year":
                data[name].append(float(row[name]) if row[name] else None)
            else:
                data[name].append(row[name])
    target = tmp_path_factory.mktemp("hf") / "fashion-product-images-small"
    datasets.Dataset.from_dict(data, features=SCHEMA).save_to_disk(str(target))
    return target


@pytest.fixture(scope="module")
def read(saved, tmp_path_factory):
    return read_hf_dataset(saved, image_dir=tmp_path_factory.mktemp("pictures"))


@pytest.fixture(scope="module")
def kaggle(folder):
    return {item.id: item for item in read_fashion_product_images(folder, with_images_only=True).items}


def test_every_row_with_a_picture_becomes_an_item_with_its_png(read):
    assert len(read.items) == ROWS and not read.problems
    assert all(Path(item.image).is_file() and item.image.endswith(".png") for item in read.items)


def test_the_items_carry_the_fields_the_kaggle_reader_fills(read, kaggle):
    for item in read.items:
        same = kaggle[item.id]
        fields = ("title", "category", "colour", "price")
        assert [getattr(item, name) for name in fields] == [getattr(same, name) for name in fields]
        assert who_when(item.extra) == who_when(same.extra)
        assert item.extra["articleType"] == same.extra["articleType"] and item.extra["price_source"] == "synthetic"


def test_who_and_when_are_known_for_the_catalogue(read):
    facts = CatalogueFacts.of(read.items)
    assert {"men", "women"} <= facts.who_when["gender"] and {"casual", "sports"} <= facts.who_when["usage"]


def test_the_demo_shoppers_are_derived_from_the_dataset(read):
    shoppers = shoppers_for(read.items)
    groups = {(frozenset(s.taste.genders), frozenset(s.taste.usages)) for s in shoppers}
    assert len(groups) == 4 and shoppers[1].taste.genders == {"men"} and shoppers[1].user.about.startswith("men's")
    assert all(any(map(s.taste.matches, read.items)) for s in shoppers)
