"""Fill bench_app_100k's data folder without encoding 100k texts (run by hand, under nice, before the bench).

    nice -n 19 .venv/bin/python bench/app_100k_vectors.py [--items 100000] [--workdir /tmp/bench-app-100k]

MiniLM over the 100k catalogue takes 40 min to 2 h on these shared cores, longer than a session's deadline. As in
bench/bench_million.py, a pool of `--pool` items is encoded and item i gets pool vector i mod pool plus Gaussian
noise of `--noise` on the unit sphere; the records carry ingest's own fingerprints and measures, so the app's start
finds every item stored and embeds none. Memory and turn latency depend on the vectors' count and size, not their
values; ranking quality at 100k is not measured on these vectors.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "bench")]

import bench_app_100k  # noqa: E402

from chat.serve.build import open_item_store, read_catalog  # noqa: E402
from chat.serve.settings import AppSettings  # noqa: E402
from ranker.encoders import load_encoder  # noqa: E402
from store.ingest import item_fingerprint, measured  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench-app-100k"))
    parser.add_argument("--pool", type=int, default=2000)
    parser.add_argument("--noise", type=float, default=0.5)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    path = bench_app_100k.catalogue(args.workdir, args.items)["path"]
    env = bench_app_100k.app_env(
        WHISPERLITE_CATALOG="jsonl", WHISPERLITE_CATALOG_PATH=path, WHISPERLITE_DATA_DIR=str(args.workdir / "data")
    )
    settings = AppSettings.from_env(env)
    items = read_catalog(settings).items
    encoder = load_encoder(settings.encoder, settings.onnx_dir)
    store = open_item_store(settings, encoder)
    started = time.perf_counter()
    base = encoder.encode_text([measured(item, None).text() for item in items[: args.pool]])  # (pool, dim)
    rng = np.random.default_rng(0)
    data_dir = settings.data_dir.resolve()
    for start in range(0, len(items), 5000):
        raw = items[start : start + 5000]
        rows = np.arange(start, start + len(raw))
        noise = rng.normal(scale=args.noise / np.sqrt(encoder.dim), size=(len(rows), encoder.dim))
        vectors = base[rows % args.pool] + noise
        vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
        fingerprints = [item_fingerprint(item, encoder, data_dir) for item in raw]  # of the catalogue's item
        store.upsert([measured(item, None) for item in raw], vectors, fingerprints)
        print(f"{start + len(raw):,} records in {time.perf_counter() - started:.0f} s", flush=True)
    store.mark_changed()


if __name__ == "__main__":
    main()
