"""An in-memory item index that follows its Chroma collection: it reloads when an ingest changed the collection.

Chroma has no change notification, so every ingest that changes the collection writes a new change stamp into the
collection's metadata (`ItemStore.mark_changed`), and a background thread here reads that stamp every
`poll_seconds` (one small request to the server, off the request path). When the stamp differs, the thread builds a
whole new `ItemIndex` from the store and swaps it in with one attribute assignment, so every call a turn makes
reads one complete index, old or new, never a half-built one; turns keep reading the old index while the new one
is built. A failed check or reload (the server restarting, say) is logged and retried at the next poll; the old
index keeps answering meanwhile.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from store.index import ItemIndex
from store.item import Item
from store.items import ItemStore, StoreError
from store.source import ScoredItem

log = logging.getLogger(__name__)


class LiveIndex:
    """The `ItemIndex` API over whichever complete index is current; `start()` begins following the store."""

    def __init__(
        self,
        store: ItemStore,
        poll_seconds: float,
        build: Callable[[ItemStore], ItemIndex] = ItemIndex.from_store,
    ):
        self.store, self.poll_seconds, self._build = store, poll_seconds, build
        self.version = store.version()  # read before the load: a change during the load is caught by the next poll
        self.current = build(store)
        self.reloads = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._follow, name="item-index-reload", daemon=True)

    def start(self) -> LiveIndex:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def check(self) -> bool:
        """Reload if the collection changed since the current index was built; True when it did."""
        version = self.store.version()
        if version == self.version:
            return False
        index = self._build(self.store)
        self.current, self.version = index, version  # one assignment each: readers see the old or the new index
        self.reloads += 1
        log.info("item index reloaded: %d items (collection version %s)", len(index), version)
        return True

    def _follow(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            try:
                self.check()
            except StoreError as error:
                log.warning("item index not reloaded, retrying in %.1f s: %s", self.poll_seconds, error)

    @property
    def dim(self) -> int:
        return self.current.dim

    def __len__(self) -> int:
        return len(self.current)

    def count(self) -> int:
        return self.current.count()

    def get(self, ids: Sequence[str]) -> list[Item]:
        return self.current.get(ids)

    def vectors(self, ids: Sequence[str]) -> np.ndarray:
        return self.current.vectors(ids)

    def vectors_by_id(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        return self.current.vectors_by_id(ids)

    def query(
        self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None, exclude_ids: Sequence[str] = ()
    ) -> list[ScoredItem]:
        return self.current.query(vector, k, where, exclude_ids)
