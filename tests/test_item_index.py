"""The in-memory index answers exactly what Chroma answers, for every filter the chat can produce."""

from __future__ import annotations

import numpy as np
import pytest

from chat.understand.constraints import parse_message
from store.index import ItemIndex
from store.item import Item
from store.items import ItemStore, ItemStoreConfig
from store.source import ItemSource

DIM = 16
COLOURS = ["red", "blue", "black", "green", "white", ""]
CATEGORIES = ["dress", "shoes", "bag", "top"]
MATERIALS = ["cotton", "polyester", "leather", ""]
PAGE = 64  # 300 records: four full pages and a short one, so every filter test reads columns filled page by page


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    rng = np.random.default_rng(1)
    items = [
        Item(
            id=f"i{n}",
            title=f"Item {n}",
            category=CATEGORIES[n % 4],
            colour=COLOURS[n % 6],
            material=MATERIALS[n % 4],
            price=float(rng.integers(5, 300)),
            extra={"season": "summer"} if n % 3 == 0 else {},
        )
        for n in range(300)
    ]
    vectors = rng.normal(size=(300, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store = ItemStore(ItemStoreConfig(path=tmp_path_factory.mktemp("chroma")), "index-test", "enc", DIM)
    store.upsert(items, vectors, ["fp"] * len(items))
    return store, ItemIndex.from_store(store, page_size=PAGE), vectors


def test_the_chroma_store_and_the_in_memory_index_are_both_item_sources(stores):
    store, index, _ = stores
    assert isinstance(store, ItemSource) and isinstance(index, ItemSource)
    assert store.dim == index.dim == DIM and store.count() == index.count() == 300


def test_the_paged_load_holds_each_stored_record_once_with_its_stored_vector(stores):
    store, index, _ = stores
    stored = store._collection.get(include=["embeddings"])
    assert sorted(item.id for item in index.items) == sorted(stored["ids"]) and len(index) == 300
    for item_id, vector in zip(stored["ids"], stored["embeddings"]):
        np.testing.assert_array_equal(index.vectors([item_id])[0], np.asarray(vector, dtype=np.float32))


def test_the_store_pages_its_records_without_repeating_or_missing_one(stores):
    store, _, _ = stores
    pages = list(store.iter_records(batch_size=PAGE))
    assert [len(ids) for ids, _, _ in pages] == [64, 64, 64, 64, 44]
    assert sorted(i for ids, _, _ in pages for i in ids) == sorted(f"i{n}" for n in range(300))


def test_a_filter_on_free_text_is_refused_rather_than_matching_nothing(stores):
    _, index, _ = stores
    with pytest.raises(ValueError, match="free text"):
        index.mask({"title": "Item 3"})


MESSAGES = [
    "a red dress",
    "blue or black shoes under $100",
    "no polyester",
    "anything but black, between 30 and 80",
    "not red or white bags over $150",
    "a cotton top, not green",
    "leather shoes around $120",
    "a cranberry cotton dress",
]


@pytest.mark.parametrize("message", MESSAGES)
def test_the_index_filters_exactly_as_chroma(stores, message):
    store, index, _ = stores
    where = parse_message(message).constraints.to_where()
    chroma_ids = set(store._collection.get(where=where, include=[])["ids"])
    assert {index.items[row].id for row in np.flatnonzero(index.mask(where))} == chroma_ids


@pytest.mark.parametrize(
    "where",
    [{"x_season": "summer"}, {"x_season": {"$ne": "summer"}}, {"x_season": {"$nin": ["summer"]}}],
)
def test_a_key_some_items_lack_follows_chromas_semantics(stores, where):
    store, index, _ = stores
    chroma_ids = set(store._collection.get(where=where, include=[])["ids"])
    assert {index.items[row].id for row in np.flatnonzero(index.mask(where))} == chroma_ids


def test_the_nearest_items_come_first_with_their_cosine(stores):
    _, index, vectors = stores
    hits = index.query(vectors[42], k=5)
    assert hits[0].item.id == "i42" and hits[0].score == pytest.approx(1.0, abs=1e-5)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_the_top_k_equals_a_brute_force_ranking_under_a_filter(stores):
    _, index, vectors = stores
    where = {"category": {"$in": ["shoes", "bag"]}}
    hits = index.query(vectors[7], k=10, where=where, exclude_ids=["i6"])
    eligible = [n for n in range(300) if CATEGORIES[n % 4] in ("shoes", "bag") and n != 6]
    expected = sorted(eligible, key=lambda n: -float(vectors[n] @ vectors[7]))[:10]
    assert [h.item.id for h in hits] == [f"i{n}" for n in expected]


def test_a_filter_most_items_pass_ranks_them_as_brute_force_does(stores):
    _, index, vectors = stores
    hits = index.query(vectors[7], k=10, where={"category": {"$ne": "bag"}}, exclude_ids=["i7"])
    eligible = [n for n in range(300) if CATEGORIES[n % 4] != "bag" and n != 7]  # 224 of 300: every row is scored
    expected = sorted(eligible, key=lambda n: -float(vectors[n] @ vectors[7]))[:10]
    assert [h.item.id for h in hits] == [f"i{n}" for n in expected]
    assert [h.score for h in hits] == pytest.approx([float(vectors[n] @ vectors[7]) for n in expected], abs=1e-5)


def test_a_filter_nothing_passes_gives_no_items(stores):
    _, index, vectors = stores
    assert index.query(vectors[0], k=5, where={"colour": "purple"}) == []


def test_vectors_and_items_by_id_skip_unknown_ids(stores):
    _, index, vectors = stores
    assert [item.id for item in index.get(["i3", "nope"])] == ["i3"]
    np.testing.assert_allclose(index.vectors(["nope", "i3"]), vectors[[3]], atol=1e-6)


def test_a_stored_record_equal_to_a_held_item_reuses_its_strings(stores):
    store, _, _ = stores
    held = store.get([f"i{n}" for n in range(300)])
    index = ItemIndex.from_store(store, held=held)
    by_id = {item.id: item for item in held}
    assert all(item == by_id[item.id] and item.title is by_id[item.id].title for item in index.items)


def test_a_held_item_that_differs_from_its_record_is_not_used(stores):
    store, _, _ = stores
    stale = Item(id="i5", title="An older title", category="dress")
    index = ItemIndex.from_store(store, held=[stale])
    assert index.get(["i5"])[0].title == "Item 5"


@pytest.mark.parametrize("message", MESSAGES)
def test_an_index_of_items_filters_as_one_read_from_the_store(stores, message):
    store, from_store, _ = stores
    from_items = ItemIndex(from_store.items, from_store.matrix)
    where = parse_message(message).constraints.to_where()
    np.testing.assert_array_equal(from_items.mask(where), from_store.mask(where))
