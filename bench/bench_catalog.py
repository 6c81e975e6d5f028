"""Catalogue benchmark (run by hand): demo generation, cached reload, and reading the real Kaggle copy.

    .venv/bin/python bench/bench_catalog.py

Writes bench/results/catalog.json and bench/results/catalog.md. The machine is shared, so the load average is
recorded beside the numbers; each timing is the best of `repeats` runs.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from store.catalogs.demo import generate_demo_catalog
from store.catalogs.jsonl import read_items_file, write_items_jsonl
from store.catalogs.kaggle import read_fashion_product_images

RESULTS = Path(__file__).resolve().parent / "results"
KAGGLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "fashion-product-images"


@dataclass(frozen=True)
class BenchConfig:
    demo_sizes: tuple[int, ...] = (480, 2000)
    repeats: int = 3


def _best(run: Callable[[], int], repeats: int) -> tuple[float, int]:
    """(best seconds, items) over `repeats` runs."""
    timings, count = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        count = run()
        timings.append(time.perf_counter() - start)
    return min(timings), count


def bench(config: BenchConfig) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in config.demo_sizes:

            def fresh(size: int = size) -> int:
                folder = Path(tempfile.mkdtemp(dir=tmp))
                return len(generate_demo_catalog(folder, n_items=size))

            seconds, count = _best(fresh, config.repeats)
            rows.append({"case": f"demo generate {size}", "seconds": seconds, "items": count})
            cached = Path(tmp) / f"cached-{size}"
            generate_demo_catalog(cached, n_items=size)
            seconds, count = _best(lambda c=cached, s=size: len(generate_demo_catalog(c, n_items=s)), config.repeats)
            rows.append({"case": f"demo cached reload {size}", "seconds": seconds, "items": count})
        if (KAGGLE / "styles.csv").is_file():
            for images_only in (False, True):
                seconds, count = _best(
                    lambda i=images_only: len(read_fashion_product_images(KAGGLE, with_images_only=i).items),
                    config.repeats,
                )
                rows.append({"case": f"kaggle read (images only={images_only})", "seconds": seconds, "items": count})
            jsonl = write_items_jsonl(read_fashion_product_images(KAGGLE).items, Path(tmp) / "kaggle.jsonl")
            seconds, count = _best(lambda: len(read_items_file(jsonl).items), config.repeats)
            rows.append({"case": "jsonl read of the kaggle items", "seconds": seconds, "items": count})
    for row in rows:
        row["items_per_second"] = row["items"] / row["seconds"]
    return rows


def main() -> None:
    config = BenchConfig()
    rows = bench(config)
    meta = {"config": asdict(config), "machine": platform.platform(), "cpus": os.cpu_count(), "load": os.getloadavg()}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "catalog.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    lines = [
        "# Catalogue benchmark",
        "",
        f"{meta['machine']}, {meta['cpus']} CPUs, load average {', '.join(f'{x:.1f}' for x in meta['load'])}; "
        f"best of {config.repeats}.",
        "",
        "| case | items | seconds | items/s |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {r['case']} | {r['items']} | {r['seconds']:.3f} | {r['items_per_second']:,.0f} |" for r in rows]
    (RESULTS / "catalog.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
