"""Above WHISPERLITE_MEMORY_INDEX_MAX_ITEMS stored items turns read Chroma's HNSW index, up to it the in-memory copy."""

from __future__ import annotations

import pytest

from chat.recommender import Recommender
from chat.request import Request
from chat.serve.build import item_source
from chat.serve.settings import AppSettings
from chat.understand.constraints import parse_message
from store.index import ItemIndex
from store.item import Item
from store.items import ItemStore, ItemStoreConfig
from store.users import UserStore

ITEMS = [
    Item("red-dress", "Red summer dress", category="dress", colour="red", price=40.0),
    Item("blue-dress", "Blue summer dress", category="dress", colour="blue", price=60.0),
    Item("black-boot", "Black leather boot", category="shoes", colour="black", material="leather", price=120.0),
    Item("white-sneaker", "White running sneaker", category="shoes", colour="white", price=90.0),
]


@pytest.fixture(scope="module")
def store(sentence_encoder, tmp_path_factory) -> ItemStore:
    store = ItemStore(ItemStoreConfig(path=tmp_path_factory.mktemp("chroma")), "policy", "enc", sentence_encoder.dim)
    store.upsert(ITEMS, sentence_encoder.encode_text([item.text() for item in ITEMS]), ["fp"] * len(ITEMS))
    return store


def test_a_store_at_the_threshold_is_read_into_memory(store):
    assert isinstance(item_source(store, ITEMS, memory_index_max_items=len(ITEMS)), ItemIndex)


def test_a_store_above_the_threshold_is_queried_in_chroma(store):
    assert item_source(store, ITEMS, memory_index_max_items=len(ITEMS) - 1) is store


def test_the_threshold_is_a_setting():
    assert AppSettings.from_env({"WHISPERLITE_MEMORY_INDEX_MAX_ITEMS": "3"}).memory_index_max_items == 3


def test_a_turn_through_chroma_filters_and_ranks_as_through_memory(store, sentence_encoder, tmp_path):
    users = UserStore(tmp_path / "users.sqlite")
    request = Request.from_constraints("shoes", parse_message("shoes, not black").constraints)
    through = {
        name: [r.item.id for r in Recommender(sentence_encoder, source, users, scorer=None).recommend(request)]
        for name, source in (("chroma", item_source(store, ITEMS, 0)), ("memory", item_source(store, ITEMS, 10)))
    }
    assert through["chroma"] == through["memory"] == ["white-sneaker"]
