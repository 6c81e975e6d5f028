"""The in-memory index follows its Chroma server: a change written by another process (new items, removed items)
is answered from memory within the poll delay, a turn running during a reload still gets a whole answer, and a
Chroma restart leaves the old index answering until the server is back."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import numpy as np
import pytest
from test_item_store import DIM, make_items

from store.items import ItemStore, ItemStoreConfig
from store.live_index import LiveIndex

pytest_plugins = ["chroma_server"]
pytestmark = pytest.mark.slow

POLL_SECONDS = 0.2
WAIT_SECONDS = 10 * POLL_SECONDS + 5  # the delay plus one reload of 40 items on a busy 2-core machine


def open_store(url: str, catalog: str) -> ItemStore:
    return ItemStore(ItemStoreConfig(url=url), catalog=catalog, encoder="enc-a", dim=DIM)


def in_another_process(url: str, catalog: str, code: str) -> None:
    """Runs `code` with `store` open on the same collection, in a new Python process (as a CLI ingest does)."""
    script = (
        "from store.items import ItemStore, ItemStoreConfig; from store.item import Item; import numpy as np\n"
        f"store = ItemStore(ItemStoreConfig(url={url!r}), {catalog!r}, 'enc-a', {DIM})\n{code}\nstore.mark_changed()"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120, capture_output=True)


def eventually(condition, timeout: float = WAIT_SECONDS) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def live(chroma_server, request):
    catalog = request.node.name[:30].replace("[", "-").replace("]", "")
    store = open_store(chroma_server.url, catalog)
    items, vectors = make_items()
    store.upsert(items, vectors, ["fp"] * len(items))
    store.mark_changed()
    index = LiveIndex(store, POLL_SECONDS).start()
    yield index, catalog, vectors
    index.stop()


def test_an_item_added_by_another_process_is_found_within_the_poll_delay(live, chroma_server):
    index, catalog, _ = live
    added = "Item('new-1', 'New coat', category='coat', colour='red', price=99.0)"
    upsert = f"store.upsert([{added}], np.eye(1, {DIM}, dtype='float32'), ['fp'])"
    in_another_process(chroma_server.url, catalog, upsert)
    assert eventually(lambda: [item.id for item in index.get(["new-1"])] == ["new-1"])
    assert index.query(np.eye(1, DIM, dtype=np.float32)[0], k=1, where={"category": "coat"})[0].item.id == "new-1"


def test_an_item_removed_by_another_process_disappears_within_the_poll_delay(live, chroma_server):
    index, catalog, vectors = live
    in_another_process(chroma_server.url, catalog, "store.delete(['item-17'])")
    assert eventually(lambda: not index.get(["item-17"]))
    assert all(hit.item.id != "item-17" for hit in index.query(vectors[17], k=5))


def test_without_a_change_stamp_the_index_is_not_rebuilt(live):
    index, _, _ = live
    time.sleep(5 * POLL_SECONDS)
    assert index.reloads == 0


def test_a_query_running_during_reloads_always_answers_from_one_whole_index(live, chroma_server):
    index, catalog, vectors = live
    answers, stop = [], threading.Event()

    def turns():
        while not stop.is_set():
            answers.append([hit.item.id for hit in index.query(vectors[3], k=40)])

    reader = threading.Thread(target=turns)
    reader.start()
    in_another_process(chroma_server.url, catalog, "store.delete(['item-39'])")
    reloaded = eventually(lambda: index.reloads >= 1)
    stop.set()
    reader.join()
    whole_before, whole_after = {f"item-{i}" for i in range(40)}, {f"item-{i}" for i in range(39)}
    assert reloaded and answers
    assert all(set(answer) in (whole_before, whole_after) for answer in answers)


def test_the_old_index_answers_while_chroma_restarts_and_reloads_after(live, chroma_server):
    index, catalog, vectors = live
    chroma_server.stop()
    time.sleep(3 * POLL_SECONDS)  # several failed checks
    assert index.query(vectors[5], k=1)[0].item.id == "item-5"
    chroma_server.start()
    in_another_process(chroma_server.url, catalog, "store.delete(['item-5'])")
    assert eventually(lambda: not index.get(["item-5"]))
