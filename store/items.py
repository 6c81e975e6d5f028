"""The item store: catalogue items and their frozen encoder vectors in a Chroma collection.

One collection per (catalogue, encoder): its name is derived from both, and its metadata records the encoder's
name and dimension, so vectors of two encoders never mix. Vectors are always passed explicitly: the store never
lets Chroma attach its default embedding function (which would download a model).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
from chromadb.errors import InvalidArgumentError

from store.heap import release_freed_memory
from store.item import Item
from store.source import ScoredItem

READ_PAGE = 500  # records per `get` when reading many: Chroma's transient buffers grow with the page


@dataclass(frozen=True)
class ItemStoreConfig:
    """Where the vectors live: an embedded Chroma folder (default) or a Chroma server when `url` is set."""

    path: Path = Path("data/chroma")
    url: str = ""


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message names the location and how to rebuild it."""


class EncoderMismatch(StoreError):
    """Vectors of another encoder were offered to (or requested from) a collection."""


def collection_name(catalog: str, encoder: str) -> str:
    """A Chroma-legal, readable, collision-safe name for the (catalogue, encoder) pair."""
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", f"{catalog}--{encoder}").strip("-._")[:48]
    digest = hashlib.sha1(f"{catalog}\0{encoder}".encode()).hexdigest()[:10]
    return f"wl-{slug}-{digest}"


def _client(config: ItemStoreConfig):
    import chromadb

    settings = chromadb.Settings(anonymized_telemetry=False)
    if config.url:
        parsed = urlparse(config.url)
        return chromadb.HttpClient(
            host=parsed.hostname or "localhost",
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=settings,
        )
    config.path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(config.path), settings=settings)


class ItemStore:
    """Items of one catalogue embedded by one encoder."""

    def __init__(self, config: ItemStoreConfig, catalog: str, encoder: str, dim: int):
        self.location = config.url or str(config.path)
        self.encoder = encoder
        self.dim = dim
        try:
            self._client = _client(config)
            self._collection = self._client.get_or_create_collection(
                collection_name(catalog, encoder),
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"catalog": catalog, "encoder": encoder, "dim": dim},
            )
        except Exception as error:  # Chroma raises many types for a corrupt folder or an absent server
            raise StoreError(
                f"cannot open the item store at {self.location}: {error}. "
                "If it is a folder, delete it and run `whisperlite ingest` to rebuild it from the catalogue; "
                "if it is a server, check that it is running."
            ) from error
        found = self._collection.metadata or {}
        if found.get("encoder") != encoder or int(found.get("dim", -1)) != dim:
            raise EncoderMismatch(
                f"collection {self._collection.name} at {self.location} holds vectors of "
                f"{found.get('encoder')} (dim {found.get('dim')}), not {encoder} (dim {dim})"
            )
        self.max_batch_size = int(self._client.get_max_batch_size())

    def version(self) -> str:
        """The collection's change stamp as the server holds it now (one small request; "" before any change).
        Chroma has no change notification: `store/live_index.py` polls this to know when to reload."""
        found = self._call(self._client.get_collection, self._collection.name, embedding_function=None)
        return str((found.metadata or {}).get("version", ""))

    def mark_changed(self) -> None:
        """A new change stamp: every replica's in-memory index reloads within its poll delay."""
        metadata = {**(self._collection.metadata or {}), "version": uuid.uuid4().hex}
        self._call(self._collection.modify, metadata=metadata)

    def count(self) -> int:
        return self._call(self._collection.count)

    def ids(self) -> set[str]:
        return set(self._call(self._collection.get, include=[])["ids"])

    def fingerprints(self) -> dict[str, str]:
        """id -> fingerprint of the text (and image) each stored vector was made from; lets ingest resume."""
        return {item_id: str(meta.get("fingerprint", "")) for item_id, meta in self._all_metadata()}

    def images(self) -> dict[str, str]:
        """id -> the picture path or URL each stored record names."""
        return {item_id: str(meta.get("image", "")) for item_id, meta in self._all_metadata()}

    def _all_metadata(self) -> Iterator[tuple[str, dict]]:
        """(id, metadata) of every record, read by id in batches: one `get` of all metadata fails at 100k records
        in SQLite ("too many SQL variables"), and limit/offset pages took 35 s against 22 s for 100k."""
        for got in self._get_in_batches(sorted(self.ids()), "metadatas"):
            yield from zip(got["ids"], got["metadatas"])

    def set_images(self, images: Mapping[str, str]) -> None:
        """Point records at new picture paths (id -> path), keeping their vectors and every other field."""
        ids = list(images)
        for start in range(0, len(ids), self.max_batch_size):
            batch = ids[start : start + self.max_batch_size]
            self._call(self._collection.update, ids=batch, metadatas=[{"image": images[i]} for i in batch])

    def upsert(self, items: Sequence[Item], vectors: np.ndarray, fingerprints: Sequence[str]) -> None:
        """Insert or replace items by id, in batches Chroma accepts."""
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            raise EncoderMismatch(
                f"vectors of shape {vectors.shape} offered to a {self.encoder} store of dim {self.dim}"
            )
        if not (len(items) == len(vectors) == len(fingerprints)):
            raise ValueError("items, vectors and fingerprints differ in length")
        for start in range(0, len(items), self.max_batch_size):
            stop = start + self.max_batch_size
            batch = items[start:stop]
            self._call(
                self._collection.upsert,
                ids=[item.id for item in batch],
                embeddings=vectors[start:stop],
                metadatas=[{**item.metadata(), "fingerprint": fp} for item, fp in zip(batch, fingerprints[start:stop])],
            )

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), self.max_batch_size):
            self._call(self._collection.delete, ids=list(ids[start : start + self.max_batch_size]))

    def get(self, ids: Sequence[str]) -> list[Item]:
        """Items by id, in the order asked; unknown ids are left out."""
        if not ids:
            return []
        by_id = {}
        for got in self._get_in_batches(ids, "metadatas"):
            by_id.update(
                (item_id, Item.from_metadata(item_id, meta)) for item_id, meta in zip(got["ids"], got["metadatas"])
            )
        return [by_id[item_id] for item_id in ids if item_id in by_id]

    def vectors_by_id(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors of the known ids among `ids`."""
        if not ids:
            return {}
        return {
            item_id: np.asarray(vector, dtype=np.float32)
            for got in self._get_in_batches(ids, "embeddings")
            for item_id, vector in zip(got["ids"], got["embeddings"])
        }

    def _get_in_batches(self, ids: Sequence[str], include: str) -> Iterator[dict]:
        """Chroma's `get` by id, a page of ids at a time: one `get` of a whole 100k catalogue's ids fails in SQLite
        ("too many SQL variables"; bench/results/app-100k.md). Pages of 500, each page's freed buffers returned
        (store/heap.py): reading 20k records' metadata in pages of `max_batch_size` (5461) peaked 465 MB over the
        process's start and kept 430 MB, pages of 500 peaked 78 MB and kept 57 MB, in the same time."""
        ids = list(ids)
        page = min(self.max_batch_size, READ_PAGE)
        for start in range(0, len(ids), page):
            yield self._call(self._collection.get, ids=ids[start : start + page], include=[include])
            release_freed_memory()

    def vectors(self, ids: Sequence[str]) -> np.ndarray:
        """Stored vectors by id, in the order asked; unknown ids are left out."""
        by_id = self.vectors_by_id(ids)
        rows = [by_id[item_id] for item_id in ids if item_id in by_id]
        return np.asarray(rows, dtype=np.float32).reshape(len(rows), self.dim)

    def iter_all(self, batch_size: int = READ_PAGE) -> Iterator[tuple[list[Item], np.ndarray]]:
        """Every stored item with its vector, page by page."""
        for ids, metadatas, vectors in self.iter_records(batch_size):
            yield [Item.from_metadata(i, m) for i, m in zip(ids, metadatas)], vectors

    def iter_records(self, batch_size: int = READ_PAGE) -> Iterator[tuple[list[str], list[dict], np.ndarray]]:
        """Every stored record as (ids, metadata dicts, (n, dim) vectors), page by page. Once the caller is done
        with a page its freed buffers go back to the system: without that, Chroma's worker threads keep them and a
        100k load stays resident at twice what it holds (store/heap.py). Pages are small because reading one costs
        Chroma a transient buffer: at 20k records, 170 MB for pages of 2000, 85 MB for pages of 500, in the same
        time."""
        total = self.count()
        for offset in range(0, total, batch_size):
            got = self._call(self._collection.get, include=["metadatas", "embeddings"], limit=batch_size, offset=offset)
            yield got["ids"], got["metadatas"], np.asarray(got["embeddings"], dtype=np.float32).reshape(-1, self.dim)
            del got
            release_freed_memory()

    def query(
        self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None, exclude_ids: Sequence[str] = ()
    ) -> list[ScoredItem]:
        """The k items nearest to `vector` (cosine) that satisfy `where` and are not in `exclude_ids`."""
        vector = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        if vector.shape[1] != self.dim:
            raise EncoderMismatch(f"a query of dim {vector.shape[1]} against a {self.encoder} store of dim {self.dim}")
        excluded = set(exclude_ids)
        n_results = min(k + len(excluded), max(self.count(), 1))
        result = self._call(
            self._collection.query,
            query_embeddings=vector,
            n_results=n_results,
            where=where or None,
            include=["metadatas", "distances", "embeddings"],
        )
        rows = zip(result["ids"][0], result["metadatas"][0], result["distances"][0], result["embeddings"][0])
        scored = [
            ScoredItem(Item.from_metadata(item_id, meta), 1.0 - float(distance), np.asarray(vector, dtype=np.float32))
            for item_id, meta, distance, vector in rows
            if item_id not in excluded
        ]
        return scored[:k]

    def _call(self, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except (ValueError, InvalidArgumentError):
            raise  # a caller's mistake (a malformed filter, say), not a damaged store
        except Exception as error:
            raise StoreError(
                f"the item store at {self.location} failed: {error}. "
                "If a Chroma server is configured, check that it is running; "
                "if the folder is damaged, delete it and run `whisperlite ingest`."
            ) from error
