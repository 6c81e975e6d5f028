"""Encoder runtime benchmark (run by hand): the float MiniLM in torch against its ONNX float and int8 exports.

    .venv/bin/python bench/bench_encoder_runtime.py speed [--texts 1024] [--threads 1]
    .venv/bin/python bench/bench_encoder_runtime.py quality --dataset fashion-semi   (then movielens)
    .venv/bin/python bench/bench_encoder_runtime.py load [--repeats 3]

`speed` embeds the first `--texts` item texts of the real Kaggle catalogue (../shared/data) with each runtime
(`ranker.encoders.SentenceEncoder`, torch dynamic int8, `ranker.encoders_onnx.OnnxSentenceEncoder` float and
int8) and reports texts/s and the cosine between each runtime's vector of a text and torch float's.
`quality` is the issue's gate (#13 item 4): zero-shot and WhisperLite NDCG@10 of each runtime on one dataset,
one seed, within 1% relative of torch float. `load` times a new process from the encoder's import to its
first vector, torch against an existing ONNX export (the encoder's share of the app's start-up). Each part
merges into bench/results/encoder-runtime.json and rewrites encoder-runtime.md, so the parts can run under
the bench lock one at a time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from machine import machine, machine_markdown

from ranker.datasets.registry import DatasetSource
from ranker.encoders import SentenceEncoder
from ranker.encoders_onnx import OnnxSentenceEncoder
from ranker.evaluate.config import EvalConfig
from ranker.evaluate.runner import run_evaluation
from ranker.evaluate.whisperlite import WhisperLiteGrid
from store.catalogs.kaggle import read_fashion_product_images

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
KAGGLE = REPO.parent / "shared" / "data" / "fashion-product-images"
DATA_ROOT = REPO.parent / "shared" / "data"
EXPORTS = REPO / "data" / "cache" / "onnx"
MAX_RELATIVE_LOSS = 0.01
PARTS = ("speed", "quality", "load")
QUALITY_SYSTEMS = ("zero-shot", "whisperlite")
QUALITY_PROTOCOLS = ("paper@10cands", "full-catalogue")
MIN_HISTORY = {"movielens": 5, "fashion-semi": 0}


def onnx_encoders(threads: int) -> dict[str, OnnxSentenceEncoder]:
    return {
        f"onnx {precision}": OnnxSentenceEncoder(export_dir=EXPORTS, precision=precision, threads=threads)
        for precision in ("float", "int8")
    }


def texts_per_second(encoder, texts: list[str]) -> tuple[float, np.ndarray]:
    encoder.encode_text(texts[:64])  # warm-up
    started = time.perf_counter()
    vectors = encoder.encode_text(texts)
    return len(texts) / (time.perf_counter() - started), vectors


def speed(args: argparse.Namespace) -> dict:
    torch.set_num_threads(args.threads)
    texts = [item.text() for item in read_fashion_product_images(KAGGLE, with_images_only=True).items[: args.texts]]
    reference = SentenceEncoder()
    rows = {}
    base_speed, base_vectors = texts_per_second(reference, texts)
    rows["torch float"] = {"texts_per_second": round(base_speed, 1), "cosine_min": 1.0, "cosine_mean": 1.0}
    quantised = SentenceEncoder()
    quantised._model = torch.ao.quantization.quantize_dynamic(quantised._model, {torch.nn.Linear}, dtype=torch.qint8)
    candidates = {"torch dynamic int8": quantised, **onnx_encoders(args.threads)}
    for label, encoder in candidates.items():
        rate, vectors = texts_per_second(encoder, texts)
        cosines = (base_vectors * vectors).sum(axis=1)
        rows[label] = {
            "texts_per_second": round(rate, 1),
            "cosine_min": round(float(cosines.min()), 6),
            "cosine_mean": round(float(cosines.mean()), 6),
        }
    for row in rows.values():
        row["speed_ratio"] = round(row["texts_per_second"] / base_speed, 2)
    return {"texts": len(texts), "threads": args.threads, "machine": machine(args.threads), "runtimes": rows}


def quality(args: argparse.Namespace) -> dict:
    torch.set_num_threads(args.threads)
    config = EvalConfig(
        source=DatasetSource(args.dataset, (), DATA_ROOT),
        protocols=QUALITY_PROTOCOLS,
        systems=QUALITY_SYSTEMS,
        seeds=(0,),
        min_history=MIN_HISTORY[args.dataset],
        cache_dir=Path(tempfile.gettempdir()) / "bench-encoder-runtime",
        grid=WhisperLiteGrid.preset(),
    )
    encoders = {"torch float": SentenceEncoder(), **onnx_encoders(args.threads)}
    scores: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as out:
        for label, encoder in encoders.items():
            report = run_evaluation(config, Path(out) / label.replace(" ", "-"), encoder)
            scores[label] = {
                f"{protocol} {system}": round(report.metric(protocol, system, "test/ndcg@10"), 4)
                for protocol in QUALITY_PROTOCOLS
                for system in QUALITY_SYSTEMS
            }
            scores[label]["seconds"] = report.seconds["total"]
    return {"dataset": args.dataset, "seed": 0, "machine": machine(args.threads), "ndcg@10": scores}


LOAD_SCRIPT = """
import time
started = time.perf_counter()
from ranker.encoders import EncoderConfig, load_encoder
encoder = load_encoder(EncoderConfig(kind="sentence", runtime={runtime!r}), {exports!r})
encoder.encode_text(["a red summer dress"])
print(time.perf_counter() - started)
"""


def load(args: argparse.Namespace) -> dict:
    OnnxSentenceEncoder(export_dir=EXPORTS)  # the export exists before any timing
    seconds = {}
    for runtime in ("torch", "onnx", "onnx-int8"):
        script = LOAD_SCRIPT.format(runtime=runtime, exports=str(EXPORTS))
        runs = [
            float(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout)
            for _ in range(args.repeats)
        ]
        seconds[runtime] = round(statistics.median(runs), 2)
    return {"repeats": args.repeats, "machine": machine(args.threads), "median_seconds": seconds}


def passes(dataset_scores: dict, label: str) -> bool:
    base = dataset_scores["torch float"]
    return all(
        dataset_scores[label][key] >= value * (1 - MAX_RELATIVE_LOSS) for key, value in base.items() if key != "seconds"
    )


def to_markdown(report: dict) -> str:
    lines = ["# Encoder runtime: the float MiniLM in torch against its ONNX exports", ""]
    if "speed" in report:
        part = report["speed"]
        lines += [
            "## Speed and agreement",
            "",
            machine_markdown(part["machine"]),
            "",
            f"{part['texts']:,} Kaggle item texts, batches of 64, {part['threads']} thread(s) for torch and "
            "onnxruntime alike; cosine of each text's vector to torch float's.",
            "",
            "| runtime | texts/s | / torch float | cosine min | cosine mean |",
            "| --- | --- | --- | --- | --- |",
        ]
        for label, row in part["runtimes"].items():
            lines.append(
                f"| {label} | {row['texts_per_second']} | {row['speed_ratio']}x | {row['cosine_min']} "
                f"| {row['cosine_mean']} |"
            )
        lines.append("")
    if "load" in report:
        part = report["load"]
        lines += [
            "## Encoder load: a new process from import to the first vector",
            "",
            machine_markdown(part["machine"]),
            "",
            f"Median of {part['repeats']} runs; the ONNX export already on disk.",
            "",
            "| runtime | seconds |",
            "| --- | --- |",
            *[f"| {runtime} | {value} |" for runtime, value in part["median_seconds"].items()],
            "",
        ]
    for dataset, part in sorted(report.get("quality", {}).items()):
        scores = part["ndcg@10"]
        keys = [key for key in scores["torch float"] if key != "seconds"]
        lines += [
            f"## Quality gate: NDCG@10 on {dataset}, seed {part['seed']} (within {MAX_RELATIVE_LOSS:.0%} relative "
            "of torch float)",
            "",
            machine_markdown(part["machine"]),
            "",
            "| runtime | " + " | ".join(keys) + " | passes |",
            "| --- " * (len(keys) + 2) + "|",
        ]
        for label, row in scores.items():
            verdict = "-" if label == "torch float" else ("yes" if passes(scores, label) else "NO")
            lines.append(f"| {label} | " + " | ".join(str(row[key]) for key in keys) + f" | {verdict} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=PARTS)
    parser.add_argument("--repeats", type=int, default=3, help="load: new processes per runtime")
    parser.add_argument("--texts", type=int, default=1024)
    parser.add_argument("--threads", type=int, default=1, help="torch and onnxruntime threads")
    parser.add_argument("--dataset", choices=sorted(MIN_HISTORY), default="fashion-semi")
    args = parser.parse_args()
    path = RESULTS / "encoder-runtime.json"
    report = json.loads(path.read_text()) if path.exists() else {}
    report = {key: value for key, value in report.items() if key in PARTS}  # older layouts dropped
    if args.part == "speed":
        report["speed"] = speed(args)
    elif args.part == "load":
        report["load"] = load(args)
    else:
        report.setdefault("quality", {})[args.dataset] = quality(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "encoder-runtime.md").write_text(to_markdown(report))
    print(to_markdown(report))


if __name__ == "__main__":
    main()
