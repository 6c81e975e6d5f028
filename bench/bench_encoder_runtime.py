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
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np
import torch
from machine import machine, machine_markdown

from ranker.datasets.registry import DatasetSource
from ranker.encoders import SentenceEncoder
from ranker.encoders_onnx import OnnxSentenceEncoder
from ranker.evaluate.config import EvalConfig
from ranker.evaluate.runner import build_system, run_evaluation
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
ONNX_LABELS = ("onnx float", "onnx int8", "onnx int8-pc")
SORTING_CALLS = (64, 256)  # texts per encode_text call: one batch (no sorting), and ingest's batch


def onnx_encoder(label: str, threads: int) -> OnnxSentenceEncoder:
    return OnnxSentenceEncoder(export_dir=EXPORTS, precision=label.split()[1], threads=threads)


def onnx_encoders(threads: int) -> dict[str, OnnxSentenceEncoder]:
    return {label: onnx_encoder(label, threads) for label in ONNX_LABELS}


def speed_encoders(threads: int) -> dict:
    """Every runtime, torch float first: it is the reference the others' vectors are compared with."""
    quantised = SentenceEncoder()
    quantised._model = torch.ao.quantization.quantize_dynamic(quantised._model, {torch.nn.Linear}, dtype=torch.qint8)
    return {"torch float": SentenceEncoder(), "torch dynamic int8": quantised, **onnx_encoders(threads)}


def encode_in_calls(encoder, texts: list[str], call: int) -> np.ndarray:
    """The texts handed over `call` at a time: the encoder sorts by length only within a call, so calls of one
    batch (64) run in the catalogue's order, as the ONNX encoder did before it sorted."""
    return np.concatenate([encoder.encode_text(texts[start : start + call]) for start in range(0, len(texts), call)])


def timed_rates(runs: dict, texts: list[str], repeats: int) -> tuple[dict[str, list[float]], dict[str, np.ndarray]]:
    """texts/s of each run, `repeats` rounds taking the runs in turn (so a burst of load hits all alike)."""
    rates: dict[str, list[float]] = {label: [] for label in runs}
    vectors: dict[str, np.ndarray] = {}
    for encode in runs.values():
        encode(texts[:64])  # warm-up
    for _ in range(repeats):
        for label, encode in runs.items():
            started = time.perf_counter()
            vectors[label] = encode(texts)
            rates[label].append(len(texts) / (time.perf_counter() - started))
    return rates, vectors


def speed(args: argparse.Namespace) -> dict:
    torch.set_num_threads(args.threads)
    texts = [item.text() for item in read_fashion_product_images(KAGGLE, with_images_only=True).items[: args.texts]]
    encoders = speed_encoders(args.threads)
    runs = {label: encoder.encode_text for label, encoder in encoders.items()}
    for label in ONNX_LABELS:
        for call in SORTING_CALLS:
            runs[f"{label}, calls of {call}"] = partial(encode_in_calls, encoders[label], call=call)
    details = machine(args.threads)
    rates, vectors = timed_rates(runs, texts, args.repeats)
    reference_rate = statistics.median(rates["torch float"])
    rows = {}
    for label, label_rates in rates.items():
        cosines = (vectors["torch float"] * vectors[label]).sum(axis=1)
        rows[label] = {
            "texts_per_second": round(statistics.median(label_rates), 1),
            "texts_per_second_runs": [round(rate, 1) for rate in label_rates],
            "speed_ratio": round(statistics.median(label_rates) / reference_rate, 2),
            "cosine_min": round(float(cosines.min()), 6),
            "cosine_mean": round(float(cosines.mean()), 6),
        }
    return {
        "texts": len(texts),
        "threads": args.threads,
        "repeats": args.repeats,
        "machine": details,
        "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
        "runtimes": rows,
    }


def quality(args: argparse.Namespace) -> dict:
    torch.set_num_threads(args.threads)
    config = EvalConfig(
        source=DatasetSource(args.dataset, (), DATA_ROOT),
        protocols=QUALITY_PROTOCOLS,
        systems=QUALITY_SYSTEMS,
        seeds=(0,),
        min_history=MIN_HISTORY[args.dataset],
        grid=WhisperLiteGrid.preset(),
    )
    details = machine(args.threads)
    every = {
        "torch float": SentenceEncoder,
        **{label: partial(onnx_encoder, label, args.threads) for label in ONNX_LABELS},
    }
    labels = args.runtimes.split(",") if args.runtimes else list(every)
    encoders = {label: every[label]() for label in labels}  # the first is the reference
    scores: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as out:
        for label, encoder in encoders.items():
            # A cache per runtime: vectors are cached by encoder name, and ONNX float shares torch float's name.
            folder = Path(out) / label.replace(" ", "-")
            report = run_evaluation(replace(config, cache_dir=folder / "cache"), folder, encoder)
            names = {key: build_system(key, config, encoder.name).name for key in QUALITY_SYSTEMS}
            scores[label] = {
                f"{protocol} {key}": round(report.metric(protocol, names[key], "test/ndcg@10"), 4)
                for protocol in QUALITY_PROTOCOLS
                for key in QUALITY_SYSTEMS
            }
            scores[label]["seconds"] = report.seconds["total"]
    return {
        "dataset": args.dataset,
        "seed": 0,
        "machine": details,
        "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
        "ndcg@10": scores,
    }


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


def relative_gaps(dataset_scores: dict, label: str) -> dict[str, float]:
    """(runtime - reference) / reference for each NDCG@10, the reference being the first runtime evaluated (torch
    float, or ONNX float, whose scores are torch float's to the 4th decimal); negative is a loss."""
    base = next(iter(dataset_scores.values()))
    return {key: (dataset_scores[label][key] - value) / value for key, value in base.items() if key != "seconds"}


def passes(dataset_scores: dict, label: str) -> bool:
    """The gate is one-sided: a runtime may score higher than the reference, but not lower by more than 1%."""
    return all(gap >= -MAX_RELATIVE_LOSS for gap in relative_gaps(dataset_scores, label).values())


def table(header: list[str], rows: list[list]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "| --- " * len(header) + "|",
        *["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows],
        "",
    ]


def load_note(part: dict) -> str:
    end = part.get("load_average_at_end")
    return f" Load average 1/5/15 min at the end: {', '.join(map(str, end))}." if end else ""


def speed_markdown(part: dict) -> list[str]:
    runtimes = part["runtimes"]
    header = ["runtime", "texts/s (median)", "/ torch float", "runs", "cosine min", "cosine mean"]
    rows = [
        [
            label,
            row["texts_per_second"],
            f"{row['speed_ratio']}x",
            row.get("texts_per_second_runs", "-"),
            row["cosine_min"],
            row["cosine_mean"],
        ]
        for label, row in runtimes.items()
    ]
    return [
        "## Speed and agreement",
        "",
        machine_markdown(part["machine"]) + load_note(part),
        "",
        f"{part['texts']:,} Kaggle item texts, batches of 64, {part['threads']} thread(s) for torch and onnxruntime "
        f"alike, {part.get('repeats', 1)} round(s) taking the runs in turn; cosine of each text's vector to torch "
        "float's. A bare runtime label hands all the texts over in one call (the ONNX encoder sorts them by token "
        'count, as sentence-transformers does for torch); "calls of 64" hands them one batch at a time, in '
        'catalogue order (no sorting: the ONNX encoder before length-sorted batching); "calls of 256" as '
        "ingest does.",
        "",
        *table(header, rows),
    ]


def load_markdown(part: dict) -> list[str]:
    return [
        "## Encoder load: a new process from import to the first vector",
        "",
        machine_markdown(part["machine"]),
        "",
        f"Median of {part['repeats']} runs; the ONNX export already on disk.",
        "",
        *table(["runtime", "seconds"], [[runtime, value] for runtime, value in part["median_seconds"].items()]),
    ]


def quality_markdown(dataset: str, part: dict) -> list[str]:
    scores = part["ndcg@10"]
    reference = next(iter(scores))
    keys = [key for key in scores[reference] if key != "seconds"]
    rows = []
    for label, row in scores.items():
        if label == reference:
            cells, verdict = [str(row[key]) for key in keys], "-"
        else:
            gaps = relative_gaps(scores, label)
            cells = [f"{row[key]} ({gaps[key]:+.1%})" for key in keys]
            verdict = "yes" if passes(scores, label) else "NO"
        rows.append([label, *cells, row["seconds"], verdict])
    return [
        f"## Quality gate: NDCG@10 on {dataset}, seed {part['seed']} (no more than {MAX_RELATIVE_LOSS:.0%} "
        f"relative below {reference})",
        "",
        machine_markdown(part["machine"]) + load_note(part),
        "",
        *table(["runtime", *keys, "seconds", "passes"], rows),
    ]


def to_markdown(report: dict) -> str:
    lines = ["# Encoder runtime: the float MiniLM in torch against its ONNX exports", ""]
    if "speed" in report:
        lines += speed_markdown(report["speed"])
    if "load" in report:
        lines += load_markdown(report["load"])
    for dataset, part in sorted(report.get("quality", {}).items()):
        lines += quality_markdown(dataset, part)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=PARTS)
    parser.add_argument("--repeats", type=int, default=3, help="speed: rounds; load: new processes per runtime")
    parser.add_argument("--texts", type=int, default=1024)
    parser.add_argument("--threads", type=int, default=1, help="torch and onnxruntime threads")
    parser.add_argument("--dataset", choices=sorted(MIN_HISTORY), default="fashion-semi")
    parser.add_argument("--runtimes", default="", help="quality: comma-separated runtimes, the reference first")
    args = parser.parse_args()
    measured = {"speed": speed, "load": load, "quality": quality}[args.part](args)
    path = RESULTS / "encoder-runtime.json"
    # Read after measuring, not before: parts run in separate processes (a quality run for an hour beside a
    # speed run), and each merges its own part into what the others wrote meanwhile.
    report = json.loads(path.read_text()) if path.exists() else {}
    report = {key: value for key, value in report.items() if key in PARTS}  # older layouts dropped
    if args.part == "quality":
        key = f"{args.dataset}, {args.runtimes.replace(',', ' against ')}" if args.runtimes else args.dataset
        report.setdefault("quality", {})[key] = measured
    else:
        report[args.part] = measured
    RESULTS.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "encoder-runtime.md").write_text(to_markdown(report))
    print(to_markdown(report))


if __name__ == "__main__":
    main()
