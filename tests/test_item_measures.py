"""Measures and ordinal rungs travel with an item: flat metadata, back again, and filters on them."""

from __future__ import annotations

import numpy as np

from store.attributes import UNKNOWN
from store.index import ItemIndex
from store.item import MEASURE_KEYS, UNMEASURED, Item, Measures

MEASURED = Measures(lightness=31.5, chroma=22.0, colourfulness=18.25, colour="red", source="picture")


def test_measures_and_colour_source_survive_metadata_and_back():
    item = Item(id="a", title="Red dress", colour="red", measures=MEASURED, colour_source="catalogue")
    assert Item.from_metadata("a", item.metadata()) == item


def test_an_unmeasured_item_stores_the_sentinel_in_every_measure_key():
    meta = Item(id="a", title="Dress").metadata()
    assert [meta[key] for key in MEASURE_KEYS] == [UNMEASURED] * 3
    assert (meta["measured_colour"], meta["measure_source"], Item.from_metadata("a", meta).measures) == ("", "", None)


def test_rungs_are_read_from_title_words():
    meta = Item(id="a", title="Sleeveless slim fit maxi dress").metadata()
    assert (meta["sleeves"], meta["fit"], meta["length"]) == (0, 0, 3)


def test_formality_comes_from_the_catalogues_usage_before_title_words():
    meta = Item(id="a", title="Casual shirt", extra={"usage": "Formal"}).metadata()
    assert meta["formality"] == 3


def test_an_item_whose_words_say_nothing_has_unknown_rungs():
    meta = Item(id="a", title="Blue thing").metadata()
    assert [meta[key] for key in ("formality", "length", "sleeves", "fit")] == [UNKNOWN] * 4


def test_the_index_filters_on_a_measure_and_leaves_out_the_unmeasured():
    dark = Item(id="dark", title="A", measures=MEASURED)
    light = Item(id="light", title="B", measures=Measures(80.0, 5.0, 3.0, "white", "picture"))
    unmeasured = Item(id="none", title="C")
    index = ItemIndex([dark, light, unmeasured], np.eye(3, dtype=np.float32))
    where = {"$and": [{"lightness": {"$gte": 0.0}}, {"lightness": {"$lte": 50.0}}]}
    assert [hit.item.id for hit in index.query(np.ones(3), k=3, where=where)] == ["dark"]
