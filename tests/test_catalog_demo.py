"""The generated demo catalogue: coherent items, pictures in the item's colour, deterministic, cached."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from store.catalogs.demo import BRANDS, CATALOG_FILE, STYLES, generate_demo_catalog, write_text_only_demo_catalog
from store.catalogs.demo_images import BACKGROUND, COLOUR_RGB
from store.catalogs.jsonl import read_items_file
from store.vocabulary import CATEGORIES, COLOURS, MATERIALS


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    start = time.perf_counter()
    generate_demo_catalog(folder)
    print(f"demo catalogue of 480 items generated in {time.perf_counter() - start:.2f} s")
    return folder


@pytest.fixture(scope="module")
def items(demo_folder):
    return generate_demo_catalog(demo_folder)


def dominant_colour(path: str) -> str:
    """The canonical colour nearest to the most frequent non-background pixel value."""
    pixels = np.asarray(Image.open(path).convert("RGB")).reshape(-1, 3).astype(np.int64)
    packed = pixels[:, 0] << 16 | pixels[:, 1] << 8 | pixels[:, 2]
    background = BACKGROUND[0] << 16 | BACKGROUND[1] << 8 | BACKGROUND[2]
    values, counts = np.unique(packed[packed != background], return_counts=True)
    value = int(values[counts.argmax()])
    top = np.array([value >> 16, value >> 8 & 255, value & 255])
    return min(COLOUR_RGB, key=lambda name: int(np.sum((np.array(COLOUR_RGB[name]) - top) ** 2)))


def test_catalogue_has_480_items_over_all_eight_categories(items):
    assert len(items) == 480
    assert Counter(item.category for item in items) == {category: 60 for category in CATEGORIES}


def test_attributes_use_the_shared_vocabulary(items):
    assert {item.colour for item in items} <= set(COLOURS)
    assert len({item.colour for item in items}) >= 10
    assert {item.material for item in items} <= set(MATERIALS)
    assert len({item.brand for item in items}) >= 14
    assert {item.brand for item in items} <= set(BRANDS)


def test_styles_and_seasons_are_in_extra(items):
    assert {item.extra["style"] for item in items} == set(STYLES)
    assert {item.extra["season"] for item in items} == {"spring", "summer", "autumn", "winter", "all seasons"}


def test_every_picture_is_224_pixels_and_dominated_by_the_item_colour(items):
    wrong = [(item.id, item.colour, dominant_colour(item.image)) for item in items]
    wrong = [entry for entry in wrong if entry[1] != entry[2]]

    assert Image.open(items[0].image).size == (224, 224)
    assert wrong == []


def test_some_items_carry_a_drawn_pattern(items):
    patterns = Counter(item.extra["pattern"] for item in items)

    assert set(patterns) == {"plain", "striped", "polka-dot", "floral", "checked"}
    assert patterns["plain"] < 0.85 * len(items)


def test_titles_are_varied_and_name_the_colour_and_kind(items):
    assert len({item.title for item in items}) >= 0.95 * len(items)
    assert all(item.colour in item.title.lower() and item.extra["kind"] in item.title.lower() for item in items)


def test_accessories_are_cheaper_than_jackets(items):
    def mean_price(category: str) -> float:
        return float(np.mean([item.price for item in items if item.category == category]))

    assert all(item.price > 0 for item in items)
    assert mean_price("accessory") < mean_price("top") < mean_price("jacket")
    assert mean_price("accessory") * 3 < mean_price("jacket")


def test_catalogue_file_reads_back_to_the_same_items(demo_folder, items):
    read = read_items_file(demo_folder / CATALOG_FILE)

    assert read.items == items
    assert (read.problems, read.missing_images) == ([], [])


def test_text_only_catalogue_is_the_demo_without_pictures(items, tmp_path):
    path = write_text_only_demo_catalog(tmp_path / "text-only.jsonl", len(items) + 20)
    read = read_items_file(path)

    assert read.problems == []
    assert [replace(item, image="") for item in items] == read.items[: len(items)]
    assert {item.image for item in read.items} == {""}
    assert len({item.id for item in read.items}) == len(items) + 20


def test_same_seed_gives_byte_identical_files(demo_folder, tmp_path):
    again = generate_demo_catalog(tmp_path)

    assert (tmp_path / CATALOG_FILE).read_bytes() == (demo_folder / CATALOG_FILE).read_bytes()
    assert all(
        Path(item.image).read_bytes() == (demo_folder / "images" / Path(item.image).name).read_bytes() for item in again
    )


def test_another_seed_gives_other_items(tmp_path):
    first = generate_demo_catalog(tmp_path / "a", n_items=40, seed=1)
    second = generate_demo_catalog(tmp_path / "b", n_items=40, seed=2)

    assert [item.title for item in first] != [item.title for item in second]


def test_complete_folder_is_not_regenerated(demo_folder, items):
    catalog = demo_folder / CATALOG_FILE
    before = catalog.stat().st_mtime_ns

    assert generate_demo_catalog(demo_folder) == items
    assert catalog.stat().st_mtime_ns == before


def test_incomplete_or_other_seed_folder_is_regenerated(tmp_path):
    first = generate_demo_catalog(tmp_path, n_items=16, seed=0)
    Path(first[3].image).unlink()

    repaired = generate_demo_catalog(tmp_path, n_items=16, seed=0)
    assert repaired == first and Path(first[3].image).is_file()
    other = generate_demo_catalog(tmp_path, n_items=16, seed=5)

    assert other[0].id == "demo5-0000"
    assert sorted(path.name for path in (tmp_path / "images").iterdir()) == sorted(Path(i.image).name for i in other)


@pytest.mark.slow
def test_shopper_requests_match_sensible_items_with_the_offline_encoder(items, sentence_encoder):
    vectors = sentence_encoder.encode_text([item.text() for item in items])

    def top_categories(request: str, k: int = 5) -> list[str]:
        scores = vectors @ sentence_encoder.encode_text([request])[0]
        return [items[i].category for i in np.argsort(-scores)[:k]]

    assert top_categories("a light summer dress for a beach wedding").count("dress") >= 4
    assert top_categories("sporty sneakers") == ["shoes"] * 5
    assert top_categories("an elegant clutch for a cocktail party").count("bag") >= 4
