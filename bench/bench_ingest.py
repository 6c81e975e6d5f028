"""Ingest and demo-training benchmark (run by hand): items/s into Chroma, and the demo model's training time.

    .venv/bin/python bench/bench_ingest.py [--clip-limit 2000] [--runs kaggle-text-onnx-float ...] [--label after]

Text-only with the offline MiniLM for the demo catalogue (480 items) and the real Kaggle catalogue (the 9,583
products that have a photo, from ../shared/data), the latter also with its ONNX float and int8 exports
(ranker.encoders_onnx, as many onnxruntime threads as torch threads); image+text with the tiny random CLIP of
tests/tiny_clip.py (pictures decoded and encoded: its speed is a lower bound on the cost of reading images, not
of a real CLIP).
Every run ingests into a fresh Chroma folder, so every item is embedded. Writes bench/results/ingest.{json,md};
with `--runs`, only those runs, written to bench/results/ingest-<label>.json (and printed), so two versions of the
code (`PYTHONPATH=<other checkout>`) can be measured in turn by the same bench.
Training throughput in examples/s is in bench/results/ranker.md; here is the demo model's wall time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from machine import machine, machine_markdown

from ranker.demo import train_demo_model
from ranker.encoders import ClipEncoder, SentenceEncoder
from ranker.encoders_onnx import OnnxSentenceEncoder
from store import ingest as ingest_module
from store.catalogs.demo import generate_demo_catalog
from store.catalogs.kaggle import read_fashion_product_images
from store.ingest import ingest
from store.items import ItemStore, ItemStoreConfig

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
KAGGLE = REPO.parent / "shared" / "data" / "fashion-product-images"
EXPORTS = REPO / "data" / "cache" / "onnx"
TARGET_ITEMS_PER_SECOND = 300.0
TARGET_TRAINING_SECONDS = 120.0
PARTS = ("encode_text", "encode_images", "chroma_upsert", "read_pictures", "measure")
# the module functions timed as "read_pictures" and "measure", by name: `measured_items` measures a batch at once,
# `measured` one item (the code before it); whichever the ingest module has is timed
MODULE_PARTS = (("read_pictures", "_load_image"), ("measure", "measured_items"), ("measure", "measured"))


@dataclass(frozen=True)
class IngestBenchConfig:
    demo_items: int = 480
    clip_limit: int = 2000
    train_epochs: int = 20
    torch_threads: int = 1


class Stopwatch:
    """Seconds spent inside wrapped bound methods, by label."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, label: str, method):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - started

        return timed


def timed_ingest(name: str, items, encoder, workdir: Path) -> tuple[dict, ItemStore]:
    store = ItemStore(ItemStoreConfig(path=workdir / name), name, encoder.name, encoder.dim)
    watch = Stopwatch()
    originals = encoder.encode_text, encoder.encode_images
    encoder.encode_text = watch.wrap("encode_text", encoder.encode_text)
    encoder.encode_images = watch.wrap("encode_images", encoder.encode_images)
    store.upsert = watch.wrap("chroma_upsert", store.upsert)
    module_originals = {part: getattr(ingest_module, part) for _, part in MODULE_PARTS if hasattr(ingest_module, part)}
    for label, part in MODULE_PARTS:
        if part in module_originals:
            setattr(ingest_module, part, watch.wrap(label, module_originals[part]))
    started = time.perf_counter()
    report = ingest(items, encoder, store, progress=True)
    seconds = time.perf_counter() - started
    encoder.encode_text, encoder.encode_images = originals
    for part, original in module_originals.items():
        setattr(ingest_module, part, original)
    row = {
        "run": name,
        "encoder": encoder.name,
        "images": encoder.supports_images,
        "items": report.total,
        "with_image": report.with_image,
        "seconds": round(seconds, 2),
        "items_per_second": round(report.total / seconds, 1),
        "parts_seconds": {label: round(value, 2) for label, value in sorted(watch.seconds.items())},
    }
    print(row, flush=True)
    return row, store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip-limit", type=int, default=IngestBenchConfig.clip_limit)
    parser.add_argument("--threads", type=int, default=IngestBenchConfig.torch_threads, help="torch threads")
    parser.add_argument("--onnx-threads", type=int, default=None, help="onnxruntime threads (default: --threads)")
    parser.add_argument("--runs", nargs="*", default=None, help="only these runs (names as in the table)")
    parser.add_argument("--label", default="", help="with --runs: the version measured, e.g. before or after")
    args = parser.parse_args()
    config = IngestBenchConfig(clip_limit=args.clip_limit, torch_threads=args.threads)
    onnx_threads = config.torch_threads if args.onnx_threads is None else args.onnx_threads
    torch.set_num_threads(config.torch_threads)
    details = machine(config.torch_threads)
    sys.path.insert(0, str(REPO / "tests"))
    from tiny_clip import build_tiny_clip

    workdir = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        demo = generate_demo_catalog(workdir / "demo-catalog", config.demo_items)
        kaggle = read_fashion_product_images(KAGGLE, with_images_only=True).items
        sentence = SentenceEncoder()
        clip = ClipEncoder(str(build_tiny_clip(workdir / "tiny-clip")))

        def onnx(precision: str) -> OnnxSentenceEncoder:
            return OnnxSentenceEncoder(export_dir=EXPORTS, precision=precision, threads=onnx_threads)

        runs = {  # name -> (catalogue, encoder maker)
            "demo-text": (demo, lambda: sentence),
            "kaggle-text": (kaggle, lambda: sentence),
            "demo-text-onnx-float": (demo, lambda: onnx("float")),
            "kaggle-text-onnx-float": (kaggle, lambda: onnx("float")),
            "kaggle-text-onnx-int8": (kaggle, lambda: onnx("int8")),
            "kaggle-text-onnx-int8-pc": (kaggle, lambda: onnx("int8-pc")),
            "demo-image-text": (demo, lambda: clip),
            f"kaggle-image-text-{config.clip_limit}": (kaggle[: config.clip_limit], lambda: clip),
        }
        if args.runs is not None:
            rows = [timed_ingest(name, runs[name][0], runs[name][1](), workdir)[0] for name in args.runs]
            report = {"config": asdict(config), "onnx_threads": onnx_threads, "machine": details, "ingest": rows}
            (RESULTS / f"ingest-{args.label or 'runs'}.json").write_text(json.dumps(report, indent=2) + "\n")
            print(json.dumps(report, indent=2))
            return
        rows, stores = [], {}
        for name, (items, make) in runs.items():
            row, stores[name] = timed_ingest(name, items, make(), workdir)
            rows.append(row)
        matrix = stores["demo-text"].vectors([item.id for item in demo])
        started = time.perf_counter()
        trained = train_demo_model(demo, matrix, sentence, epochs=config.train_epochs, progress=True)
        training = {
            "catalogue": f"demo ({len(demo)} items)",
            "seconds": round(time.perf_counter() - started, 1),
            "epochs_run": int(trained.metrics["best_epoch"]),
            "examples": int(trained.metrics["examples"]),
            "val_ndcg@10": round(trained.validation_score, 4),
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report = {"config": asdict(config), "machine": details, "ingest": rows, "demo_training": training}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ingest.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "ingest.md").write_text(to_markdown(report))
    print(to_markdown(report))


def to_markdown(report: dict) -> str:
    training = report["demo_training"]
    lines = [
        "# Ingest throughput and demo-model training time",
        "",
        machine_markdown(report["machine"]),
        "",
        "Fresh Chroma folder per run (every item embedded and upserted, batches of 256; each batch's upsert "
        "runs in a writer thread while the next batch is read and embedded, so the parts' seconds overlap and "
        "can sum to more than the run's). Text-only runs still read each picture to measure its colour. "
        "Kaggle: the products with a photo in ../shared/data/fashion-product-images. "
        "Tiny CLIP: tests/tiny_clip.py (random weights, 32-wide), so image rows measure decoding and "
        "preprocessing more than a real CLIP's forward pass.",
        "",
        f"| run | encoder | images | items | seconds | items/s | target text-only >= {TARGET_ITEMS_PER_SECOND:.0f} "
        "| seconds in: text encoder / image encoder / Chroma upsert / reading pictures / measuring them "
        "(the rest: fingerprints) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in report["ingest"]:
        verdict = "" if row["images"] else ("met" if row["items_per_second"] >= TARGET_ITEMS_PER_SECOND else "MISSED")
        lines.append(
            f"| {row['run']} | {row['encoder']} | {'yes' if row['images'] else 'no'} | {row['items']:,} | "
            f"{row['seconds']} | {row['items_per_second']} | {verdict} | "
            + " / ".join(str(row["parts_seconds"].get(part, "-")) for part in PARTS)
            + " |"
        )
    verdict = "met" if training["seconds"] < TARGET_TRAINING_SECONDS else "MISSED"
    lines += [
        "",
        "## Demo model training (`ranker.demo.train_demo_model`, up to "
        f"{report['config']['train_epochs']} epochs with early stopping)",
        "",
        f"{training['catalogue']}: {training['seconds']} s for {training['examples']} simulated requests, best epoch "
        f"{training['epochs_run']}, validation NDCG@10 {training['val_ndcg@10']} (target < 120 s: {verdict}). "
        "Training throughput in examples/s: see [ranker.md](ranker.md).",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
