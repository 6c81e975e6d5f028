"""One config selects the catalogue; names and fingerprints identify it for collections and checkpoints."""

from __future__ import annotations

import dataclasses
import re

import pytest

from store.catalogs import CatalogConfig, catalog_fingerprint, catalog_name, load_catalog
from store.catalogs.jsonl import write_items_csv, write_items_jsonl
from store.item import Item

ITEMS = [
    Item(id="1", title="Blue linen dress", category="dress", colour="blue", price=80.0),
    Item(id="2", title="Black leather belt", category="accessory", colour="black", price=25.0),
    Item(id="3", title="White sneakers", category="shoes", colour="white", price=60.0),
]


def test_demo_source_generates_into_the_cache_folder(tmp_path):
    read = load_catalog(CatalogConfig(demo_items=24, seed=3), tmp_path)

    assert len(read.items) == 24
    assert (tmp_path / "demo-catalog" / "catalog.jsonl").is_file()
    assert read.items[0].id == "demo3-0000"


@pytest.mark.parametrize("writer, name", [(write_items_jsonl, "shop.jsonl"), (write_items_csv, "shop.csv")])
def test_jsonl_source_reads_jsonl_and_csv_files(tmp_path, writer, name):
    path = writer(ITEMS, tmp_path / name)

    read = load_catalog(CatalogConfig(source="jsonl", path=str(path), limit=2), tmp_path)

    assert read.items == ITEMS[:2]


def test_kaggle_source_with_images_only(shared_data, tmp_path):
    folder = shared_data / "fashion-product-images"
    config = CatalogConfig(source="kaggle", path=str(folder), limit=30, with_images_only=True)

    read = load_catalog(config, tmp_path)

    assert len(read.items) == 30
    assert all(item.image for item in read.items)


def test_hf_source_reads_a_local_dataset(tmp_path):
    import datasets

    datasets.Dataset.from_dict({"id": ["x"], "title": ["Green wool beanie"], "color": ["Olive"]}).save_to_disk(
        str(tmp_path / "ds")
    )

    read = load_catalog(CatalogConfig(source="hf", path=str(tmp_path / "ds")), tmp_path)

    assert [(item.id, item.title, item.colour) for item in read.items] == [("x", "Green wool beanie", "green")]


def test_unknown_source_or_missing_path_is_refused():
    with pytest.raises(ValueError, match="not one of"):
        CatalogConfig(source="amazon")
    with pytest.raises(ValueError, match="needs a path"):
        CatalogConfig(source="kaggle")


def test_fingerprint_is_short_stable_and_independent_of_order_and_price():
    repriced = [dataclasses.replace(item, price=item.price + 1) for item in reversed(ITEMS)]

    assert re.fullmatch(r"[0-9a-f]{12}", catalog_fingerprint(ITEMS))
    assert catalog_fingerprint(repriced) == catalog_fingerprint(ITEMS)


def test_fingerprint_changes_with_a_title_or_an_item():
    retitled = [dataclasses.replace(ITEMS[0], title="Red linen dress"), *ITEMS[1:]]

    assert catalog_fingerprint(retitled) != catalog_fingerprint(ITEMS)
    assert catalog_fingerprint(ITEMS[:2]) != catalog_fingerprint(ITEMS)


@pytest.mark.parametrize(
    "config, name",
    [
        (CatalogConfig(), "demo-s0-480"),
        (CatalogConfig(seed=2, demo_items=100), "demo-s2-100"),
        (CatalogConfig(source="kaggle", path="/data/fashion-product-images"), "kaggle-fashion-product-images"),
        (
            CatalogConfig(source="kaggle", path="/d", limit=1000, with_images_only=True),
            "kaggle-fashion-product-images-img-n1000",
        ),
        (CatalogConfig(source="jsonl", path="/srv/My Shop/catalog.csv"), "jsonl-my-shop-catalog"),
        (
            CatalogConfig(source="hf", path="ashraq/fashion-product-images-small"),
            "hf-ashraq-fashion-product-images-small",
        ),
    ],
)
def test_catalog_name_is_a_readable_slug(config, name):
    assert catalog_name(config) == name
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*[a-z0-9]", name)
