"""Embed a catalogue into the item store: batched, idempotent, resumable, with a progress bar.

Each stored record carries a fingerprint of what its vector was made from (text, template, image path), so a
re-run embeds only items that are new or changed and deletes items gone from the catalogue; a run killed halfway
resumes where it stopped, because every finished batch is already committed to Chroma. A picture inside the data
folder is fingerprinted by its path relative to that folder, so a data folder moved or copied elsewhere is not
embedded again: its records are only pointed at the pictures' new paths.

Items being embedded are also measured (store/measure.py: lightness, chroma, colourfulness and main colour of
the product in the picture, or nominal measures from the colour name without one), so relative refinement
("darker", "more colourful") has numbers to compare; unchanged items are not re-read. An item whose record has
no colour takes the measured one (`colour_source="picture"`), so a colour filter no longer loses it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np
from PIL import Image, UnidentifiedImageError
from tqdm.auto import tqdm

from store.item import SIZE_SEPARATOR, Item, Measures, is_url
from store.items import ItemStore
from store.vocabulary import who_when

log = logging.getLogger(__name__)

# Part of every fingerprint: bumped when what a stored record holds changes (2: measures from the picture), so
# existing stores rebuild once.
RECORD_VERSION = "2"


class ItemEncoder(Protocol):
    """What ingest needs of an encoder (ranker.encoders.Encoder satisfies it; the store does not import it)."""

    name: str
    supports_images: bool

    def encode_text(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_images(self, images: Sequence[Image.Image]) -> np.ndarray: ...


@dataclass(frozen=True)
class IngestReport:
    embedded: int
    unchanged: int
    removed: int
    with_image: int
    image_failures: list[str]
    total: int


def item_fingerprint(item: Item, encoder: ItemEncoder, data_dir: Path | None = None) -> str:
    """What decides an item's stored record: its embedded text, its picture (embedded or measured), its sizes,
    its gender, usage and season, and the record version."""
    source = f"{RECORD_VERSION}\0{encoder.name}\0{item.text()}\0{_picture_key(item.image, data_dir)}"
    if item.sizes:
        source += "\0" + SIZE_SEPARATOR.join(item.sizes)
    source += "\0who-when\0" + "|".join(who_when(item.extra).values())
    return hashlib.sha1(source.encode()).hexdigest()[:16]


def _picture_key(image: str, data_dir: Path | None) -> str:
    """A picture inside `data_dir` by its path relative to it (the same wherever the folder lies); any other
    picture by its path or URL."""
    if data_dir is None or not image or is_url(image):
        return image
    try:
        return "data-dir:" + Path(image).resolve().relative_to(data_dir).as_posix()
    except ValueError:
        return image


def _load_image(path: str, at_least: int | None = None) -> Image.Image | None:
    """The picture in RGB, or None when there is none that reads. With `at_least`, a JPEG is decoded at the
    smallest of 1/2, 1/4 or 1/8 scale that keeps both sides at least that many pixels (libjpeg's DCT scaling):
    measuring needs 48 pixels a side, and a 224-pixel photo decodes at 56 in a quarter of the time."""
    if not path or is_url(path) or not Path(path).is_file():
        return None
    try:
        with Image.open(path) as image:
            if at_least is not None:
                image.draft("RGB", (at_least, at_least))
            return image.convert("RGB")
    except (OSError, UnidentifiedImageError):
        return None


def measured(item: Item, image: Image.Image | None) -> Item:
    """The item with its measures, from its picture when it has one that reads, else from its colour name; the
    record's colour is kept, and an item without one takes the measured colour."""
    return measured_items([item], [image])[0]


def measured_items(items: Sequence[Item], images: Sequence[Image.Image | None]) -> list[Item]:
    """`measured` of each item and its picture; the pictures are measured together (store.measure_pictures)."""
    # imported here: scipy and scikit-image cost a warm start seconds of imports, and only new items are measured
    from store.measure import measure_pictures, nominal_measures

    rows = [row for row, image in enumerate(images) if image is not None]
    from_pictures = dict(zip(rows, measure_pictures([images[row] for row in rows])))
    return [
        _with_measures(item, from_pictures[row] if row in from_pictures else nominal_measures(item.colour))
        for row, item in enumerate(items)
    ]


def _with_measures(item: Item, measures: Measures | None) -> Item:
    if item.colour:
        return replace(item, measures=measures, colour_source="catalogue")
    if measures is not None and measures.source == "picture":
        return replace(item, measures=measures, colour=measures.colour, colour_source="picture")
    return replace(item, measures=measures, colour_source="")


def embed_items(items: Sequence[Item], encoder: ItemEncoder) -> tuple[list[Item], np.ndarray, list[str]]:
    """The items measured, and their vectors: the text vector, averaged with the image vector where the encoder
    and the image allow. Each picture is read once, for both.

    Returns the measured items, their vectors and the ids of items whose image could not be read (measured from
    the colour name and embedded from text alone).
    """
    from store.measure import SIDE  # imported here, as in measured_items

    at_least = None if encoder.supports_images else SIDE  # a text encoder needs the pictures only to measure them
    images = [_load_image(item.image, at_least) for item in items]
    failures = [item.id for item, image in zip(items, images) if item.image and image is None]
    items = measured_items(items, images)
    vectors = _encode_unique_texts(encoder, [item.text() for item in items])
    if not encoder.supports_images:
        return items, vectors, failures
    rows = [i for i, image in enumerate(images) if image is not None]
    if rows:
        image_vectors = encoder.encode_images([images[i] for i in rows])
        mixed = vectors[rows] + image_vectors
        vectors[rows] = mixed / np.maximum(np.linalg.norm(mixed, axis=1, keepdims=True), 1e-12)
    return items, vectors, failures


def _encode_unique_texts(encoder: ItemEncoder, texts: Sequence[str]) -> np.ndarray:
    """(len(texts), dim) text vectors, each distinct text encoded once: a catalogue repeats texts (7,450 distinct
    among the Kaggle catalogue's 9,583 photographed products), and `ingest` orders items so repeats share a
    batch. Rows of a repeated text are copies of one vector."""
    distinct = list(dict.fromkeys(texts))
    if len(distinct) == len(texts):
        return encoder.encode_text(texts)
    row = {text: index for index, text in enumerate(distinct)}
    return encoder.encode_text(distinct)[[row[text] for text in texts]]


def _batch_order(item: Item) -> tuple[int, str]:
    """Items to embed go in order of their text's length, then the text: the encoder pads a batch to its longest
    text, so batches of similar lengths pad little, and items with the same text fall in one batch, where that
    text is encoded once."""
    text = item.text()
    return len(text), text


def _point_at_moved_pictures(unchanged: Sequence[Item], store: ItemStore) -> int:
    """Records whose picture is the same file at a new path (the data folder moved) get the new path; returns
    how many."""
    if not any(item.image for item in unchanged):  # text-only: reading every record's picture (22 s at 100k) is moot
        return 0
    stored = store.images()
    moved = {item.id: item.image for item in unchanged if stored.get(item.id, item.image) != item.image}
    if moved:
        store.set_images(moved)
    return len(moved)


def _finish(upsert: tuple[Future, int] | None, bar: tqdm) -> None:
    """Wait for the writer's upsert of a batch (raising its error, if any) and count the batch's items as done."""
    if upsert is not None:
        future, items = upsert
        future.result()
        bar.update(items)


def ingest(
    items: Sequence[Item],
    encoder: ItemEncoder,
    store: ItemStore,
    batch_size: int = 256,
    progress: bool = True,
    data_dir: Path | None = None,
) -> IngestReport:
    """Make the store hold exactly `items`, embedding only what is new or changed.

    `data_dir` is the app's data folder: pictures inside it are recognised after the folder moved.
    """
    items = list({item.id: item for item in reversed(items)}.values())[::-1]  # first of duplicate ids wins
    data_dir = Path(data_dir).resolve() if data_dir is not None else None
    stored = store.fingerprints()
    wanted = {item.id: item_fingerprint(item, encoder, data_dir) for item in items}
    todo = sorted((item for item in items if stored.get(item.id) != wanted[item.id]), key=_batch_order)
    gone = [item_id for item_id in stored if item_id not in wanted]
    if gone:
        store.delete(gone)
    moved = _point_at_moved_pictures([item for item in items if stored.get(item.id) == wanted[item.id]], store)
    failures: list[str] = []
    with_image = 0
    bar = tqdm(total=len(todo), desc=f"ingest ({encoder.name})", unit="item", disable=not progress)
    # One writer thread upserts batch n while this thread reads and embeds batch n+1: Chroma, onnxruntime and
    # picture decoding release the GIL, so the two overlap. At most one batch waits, so memory stays bounded.
    with bar, ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-upsert") as writer:
        pending: tuple[Future, int] | None = None
        for start in range(0, len(todo), batch_size):
            batch, vectors, batch_failures = embed_items(todo[start : start + batch_size], encoder)
            _finish(pending, bar)  # a failed upsert stops the ingest here, before more work is queued
            pending = writer.submit(store.upsert, batch, vectors, [wanted[item.id] for item in batch]), len(batch)
            failures += batch_failures
            with_image += sum(1 for item in batch if item.image) - len(batch_failures) if encoder.supports_images else 0
        _finish(pending, bar)
    if todo or gone or moved:
        store.mark_changed()  # replicas reload their in-memory index (store/live_index.py)
    if failures:
        log.warning(
            "%d item images could not be read; those items were embedded from their text and measured from their "
            "colour name",
            len(failures),
        )
    return IngestReport(
        embedded=len(todo),
        unchanged=len(items) - len(todo),
        removed=len(gone),
        with_image=with_image,
        image_failures=failures,
        total=store.count(),
    )
