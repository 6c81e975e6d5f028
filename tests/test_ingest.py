"""Ingest: a catalogue into a real Chroma folder, text-only and image+text."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ranker.encoders import ClipEncoder
from store.ingest import ingest
from store.item import Item
from store.items import EncoderMismatch, ItemStore, ItemStoreConfig


def catalogue(tmp_path, n: int = 12) -> list[Item]:
    items = []
    for i in range(n):
        image = tmp_path / f"{i}.png"
        Image.new("RGB", (40, 40), (20 * i, 0, 255 - 20 * i)).save(image)
        items.append(Item(id=f"i{i}", title=f"Dress number {i}", category="dress", colour="blue", image=str(image)))
    return items


def open_store(tmp_path, encoder) -> ItemStore:
    return ItemStore(ItemStoreConfig(path=tmp_path / "chroma"), "cat", encoder.name, encoder.dim)


def test_ingest_twice_embeds_nothing_the_second_time(tmp_path, sentence_encoder):
    items = catalogue(tmp_path)
    store = open_store(tmp_path, sentence_encoder)
    first = ingest(items, sentence_encoder, store, progress=False)
    second = ingest(items, sentence_encoder, store, progress=False)
    assert (first.embedded, second.embedded, second.unchanged, store.count()) == (12, 0, 12, 12)


def test_ingest_reembeds_changed_items_and_removes_items_gone_from_the_catalogue(tmp_path, sentence_encoder):
    items = catalogue(tmp_path)
    store = open_store(tmp_path, sentence_encoder)
    ingest(items, sentence_encoder, store, progress=False)
    changed = [Item(id="i0", title="A red leather bag", category="bag", colour="red"), *items[1:6]]
    report = ingest(changed, sentence_encoder, store, progress=False)
    assert (report.embedded, report.removed, store.count()) == (1, 6, 6)
    assert store.get(["i0"])[0].category == "bag"


def test_text_only_vectors_equal_the_encoders_text_vectors(tmp_path, sentence_encoder):
    items = catalogue(tmp_path, 3)
    store = open_store(tmp_path, sentence_encoder)
    ingest(items, sentence_encoder, store, progress=False)
    expected = sentence_encoder.encode_text([item.text() for item in items])
    np.testing.assert_allclose(store.vectors([item.id for item in items]), expected, atol=1e-5)


def test_image_and_text_ingest_with_the_tiny_clip_mixes_both(tmp_path, tiny_clip_dir):
    encoder = ClipEncoder(str(tiny_clip_dir))
    items = catalogue(tmp_path, 4)
    store = open_store(tmp_path, encoder)
    report = ingest(items, encoder, store, progress=False)
    text_only = encoder.encode_text([item.text() for item in items])
    stored = store.vectors([item.id for item in items])
    assert report.with_image == 4
    assert not np.allclose(stored, text_only, atol=1e-3)
    np.testing.assert_allclose(np.linalg.norm(stored, axis=1), 1.0, atol=1e-5)


def test_a_broken_image_is_embedded_from_text_with_one_warning(tmp_path, tiny_clip_dir, caplog):
    encoder = ClipEncoder(str(tiny_clip_dir))
    items = catalogue(tmp_path, 3)
    (tmp_path / "0.png").write_bytes(b"not a png")
    (tmp_path / "1.png").unlink()
    store = open_store(tmp_path, encoder)
    with caplog.at_level(logging.WARNING, logger="store.ingest"):
        report = ingest(items, encoder, store, progress=False)
    assert report.image_failures == ["i0", "i1"] and store.count() == 3
    np.testing.assert_allclose(store.vectors(["i0"]), encoder.encode_text([items[0].text()]), atol=1e-5)
    assert len([r for r in caplog.records if "could not be read" in r.getMessage()]) == 1


@pytest.mark.parametrize("duplicates", [2, 3])
def test_duplicate_ids_are_stored_once_with_the_first_record(tmp_path, sentence_encoder, duplicates):
    items = [Item(id="same", title=f"Version {n}") for n in range(duplicates)]
    store = open_store(tmp_path, sentence_encoder)
    ingest(items, sentence_encoder, store, progress=False)
    assert store.count() == 1 and store.get(["same"])[0].title == "Version 0"


class CountingEncoder:
    """The real sentence encoder, counting the texts it is handed."""

    def __init__(self, encoder):
        self.encoder, self.texts = encoder, 0
        self.name, self.dim, self.supports_images = encoder.name, encoder.dim, False

    def encode_text(self, texts):
        self.texts += len(texts)
        return self.encoder.encode_text(texts)


def test_items_sharing_a_text_are_encoded_once_and_stored_with_that_texts_vector(tmp_path, sentence_encoder):
    titles = ["Navy shirt", "Red dress", "Navy shirt", "Black boots", "Red dress", "Navy shirt"]
    items = [Item(id=f"i{n}", title=title) for n, title in enumerate(titles)]
    encoder = CountingEncoder(sentence_encoder)
    ingest(items, encoder, open_store(tmp_path, sentence_encoder), progress=False)
    stored = open_store(tmp_path, sentence_encoder).vectors([item.id for item in items])
    expected = sentence_encoder.encode_text([item.text() for item in items])
    assert encoder.texts == 3
    np.testing.assert_allclose(stored, expected, atol=1e-5)


def test_ingest_measures_each_item_from_its_picture(tmp_path, sentence_encoder):
    image = tmp_path / "navy.png"
    Image.new("RGB", (60, 60), (28, 42, 92)).save(image)
    store = open_store(tmp_path, sentence_encoder)
    ingest([Item(id="n", title="Dress", colour="navy", image=str(image))], sentence_encoder, store, progress=False)
    stored = store.get(["n"])[0]
    assert (stored.measures.source, stored.measures.colour, stored.colour_source) == ("picture", "navy", "catalogue")
    assert stored.measures.lightness < 25


def test_an_item_without_a_colour_takes_the_colour_of_its_picture(tmp_path, sentence_encoder):
    image = tmp_path / "red.png"
    Image.new("RGB", (60, 60), (200, 35, 45)).save(image)
    store = open_store(tmp_path, sentence_encoder)
    ingest([Item(id="r", title="Dress", image=str(image))], sentence_encoder, store, progress=False)
    stored = store.get(["r"])[0]
    assert (stored.colour, stored.colour_source) == ("red", "picture")
    assert store.query(sentence_encoder.encode_text(["dress"])[0], 5, where={"colour": "red"})[0].item.id == "r"


def test_an_item_without_a_picture_gets_nominal_measures_from_its_colour_name(tmp_path, sentence_encoder):
    store = open_store(tmp_path, sentence_encoder)
    ingest([Item(id="w", title="Shirt", colour="white")], sentence_encoder, store, progress=False)
    measures = store.get(["w"])[0].measures
    assert (measures.source, measures.colour) == ("colour name", "white")


def test_unchanged_items_are_not_read_again(tmp_path, sentence_encoder):
    items = catalogue(tmp_path, 3)
    store = open_store(tmp_path, sentence_encoder)
    ingest(items, sentence_encoder, store, progress=False)
    for item in items:
        Path(item.image).unlink()  # a re-read would now fail and fall back to the colour name
    ingest(items, sentence_encoder, store, progress=False)
    assert {item.measures.source for item in store.get([item.id for item in items])} == {"picture"}


def test_a_data_folder_moved_elsewhere_is_not_embedded_again_and_names_its_pictures_new_paths(
    tmp_path, sentence_encoder
):
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    store = ItemStore(ItemStoreConfig(path=before / "chroma"), "cat", sentence_encoder.name, sentence_encoder.dim)
    items = catalogue(before, 3)
    ingest(items, sentence_encoder, store, progress=False, data_dir=before)
    before.rename(after)
    moved = [replace(item, image=str(after / Path(item.image).name)) for item in items]
    store = ItemStore(ItemStoreConfig(path=after / "chroma"), "cat", sentence_encoder.name, sentence_encoder.dim)
    report = ingest(moved, sentence_encoder, store, progress=False, data_dir=after)
    assert (report.embedded, report.unchanged) == (0, 3)
    assert [item.image for item in store.get(["i0", "i1", "i2"])] == [item.image for item in moved]
    assert {item.measures.source for item in store.get(["i0", "i1", "i2"])} == {"picture"}


def test_a_picture_outside_the_data_folder_that_changed_path_is_embedded_again(tmp_path, sentence_encoder):
    store = open_store(tmp_path, sentence_encoder)
    items = catalogue(tmp_path, 2)
    ingest(items, sentence_encoder, store, progress=False, data_dir=tmp_path / "data")
    elsewhere = tmp_path / "elsewhere.png"
    Image.new("RGB", (40, 40), (0, 200, 0)).save(elsewhere)
    changed = [replace(items[0], image=str(elsewhere)), items[1]]
    report = ingest(changed, sentence_encoder, store, progress=False, data_dir=tmp_path / "data")
    assert (report.embedded, report.unchanged) == (1, 1)


def test_many_small_batches_store_every_item_with_its_own_vector(tmp_path, sentence_encoder):
    items = catalogue(tmp_path, n=11)
    store = open_store(tmp_path, sentence_encoder)
    ingest(items, sentence_encoder, store, batch_size=2, progress=False)
    expected = sentence_encoder.encode_text([item.text() for item in items])
    np.testing.assert_allclose(store.vectors([item.id for item in items]), expected, atol=1e-5)


def test_a_failed_upsert_in_the_writer_thread_stops_the_ingest(tmp_path, sentence_encoder):
    store = ItemStore(ItemStoreConfig(path=tmp_path / "chroma"), "cat", sentence_encoder.name, 8)  # wrong dim
    with pytest.raises(EncoderMismatch, match="dim 8"):
        ingest(catalogue(tmp_path, n=6), sentence_encoder, store, batch_size=2, progress=False)
