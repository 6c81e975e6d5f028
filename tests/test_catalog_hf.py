"""Hugging Face product datasets through `datasets`, written locally by the test (no hub access)."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import numpy as np
import pytest
from PIL import Image

from store.catalogs.huggingface import ColumnMap, read_hf_dataset


def _picture(rgb: tuple[int, int, int]) -> Image.Image:
    return Image.new("RGB", (32, 32), rgb)


@pytest.fixture(scope="module")
def saved_dataset(tmp_path_factory) -> Path:
    """A Myntra-style dataset with PIL pictures (an `Image` feature), saved with `save_to_disk`."""
    folder = tmp_path_factory.mktemp("hf") / "products"
    features = datasets.Features(
        {
            "id": datasets.Value("int64"),
            "productDisplayName": datasets.Value("string"),
            "articleType": datasets.Value("string"),
            "baseColour": datasets.Value("string"),
            "gender": datasets.Value("string"),
            "price": datasets.Value("float64"),
            "image": datasets.Image(),
        }
    )
    data = {
        "id": [101, 102, 103],
        "productDisplayName": ["Roadster Men Navy Blue Jeans", "", "Nike Women Pink Sports Shoes"],
        "articleType": ["Jeans", "Tshirts", "Sports Shoes"],
        "baseColour": ["Navy Blue", "White", "Pink"],
        "gender": ["Men", "Men", "Women"],
        "price": [39.0, 12.0, 80.5],
        "image": [_picture((20, 30, 90)), _picture((255, 255, 255)), _picture((240, 120, 170))],
    }
    datasets.Dataset.from_dict(data, features=features).save_to_disk(str(folder))
    return folder


def test_saved_dataset_rows_become_items_with_canonical_attributes(saved_dataset, tmp_path):
    read = read_hf_dataset(saved_dataset, image_dir=tmp_path / "images")

    jeans = read.items[0]
    assert [item.id for item in read.items] == ["101", "103"]
    assert (jeans.title, jeans.category, jeans.colour, jeans.price) == (
        "Roadster Men Navy Blue Jeans",
        "trousers",
        "navy",
        39.0,
    )
    assert jeans.extra == {"gender": "Men", "raw_category": "Jeans", "raw_colour": "Navy Blue"}


def test_row_without_title_is_skipped_and_named(saved_dataset, tmp_path):
    read = read_hf_dataset(saved_dataset, image_dir=tmp_path / "images")

    assert read.problems == ["products:row 1: item 102: no title (skipped)"]


def test_pil_pictures_are_saved_as_png_files_in_the_image_dir(saved_dataset, tmp_path):
    read = read_hf_dataset(saved_dataset, image_dir=tmp_path / "images")

    shoes = read.items[1]
    assert shoes.image == str(tmp_path / "images" / "103.png")
    assert np.asarray(Image.open(shoes.image))[0, 0].tolist() == [240, 120, 170]


def test_pictures_without_an_image_dir_are_refused(saved_dataset):
    with pytest.raises(ValueError, match="image_dir"):
        read_hf_dataset(saved_dataset)


def test_limit_reads_only_the_first_rows(saved_dataset, tmp_path):
    read = read_hf_dataset(saved_dataset, limit=1, image_dir=tmp_path / "images")

    assert [item.id for item in read.items] == ["101"]


def test_dataset_dict_split_is_chosen_by_name(tmp_path):
    splits = datasets.DatasetDict(
        {
            "train": datasets.Dataset.from_dict({"title": ["Train scarf"]}),
            "test": datasets.Dataset.from_dict({"title": ["Test belt"]}),
        }
    )
    splits.save_to_disk(str(tmp_path / "dd"))

    read = read_hf_dataset(tmp_path / "dd", split="test")

    assert [(item.id, item.title) for item in read.items] == [("0", "Test belt")]


def test_json_lines_file_with_urls_paths_and_a_custom_column_map(tmp_path):
    (tmp_path / "img").mkdir()
    _picture((0, 0, 0)).save(tmp_path / "img" / "local.png")
    rows = [
        {"sku": "A-1", "name": "Linen shirt", "shade": "Olive", "cost": "24.90", "picture": "https://x.test/1.jpg"},
        {"sku": "A-2", "name": "Wool coat", "shade": "Camel", "cost": "120", "picture": "img/local.png"},
        {"sku": "A-3", "name": "Silk scarf", "shade": "Red", "cost": "", "picture": "img/gone.png"},
    ]
    (tmp_path / "products.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
    columns = ColumnMap(id=("sku",), title=("name",), colour=("shade",), price=("cost",), image=("picture",))

    read = read_hf_dataset(tmp_path / "products.jsonl", columns=columns)

    assert [(item.id, item.colour, item.price) for item in read.items] == [
        ("A-1", "green", 24.9),
        ("A-2", "brown", 120.0),
        ("A-3", "red", 0.0),
    ]
    assert [item.image for item in read.items] == ["https://x.test/1.jpg", str(tmp_path / "img" / "local.png"), ""]
    assert read.missing_images == ["A-3"]


def test_column_map_picks_the_first_candidate_present():
    mapping = ColumnMap().resolve(["productDisplayName", "color", "articleType", "masterCategory", "image_url"])

    assert mapping == {
        "title": "productDisplayName",
        "colour": "color",
        "category": "articleType",
        "image": "image_url",
    }
