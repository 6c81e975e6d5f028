"""WhisperLite ranker benchmark (run by hand): training throughput and Scorer latency at D = 384.

    .venv/bin/python bench/bench_ranker.py

Writes bench/results/ranker.json and bench/results/ranker.md. Vectors are random unit vectors: speed does not
depend on what they mean. The machine is shared, so the load average is recorded beside the numbers.
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from ranker.data import Example, TrainingSet
from ranker.model import RankerConfig, Scorer, WhisperLite
from ranker.train import TrainConfig, train

TRAINING_COLUMNS = ("model", "threads", "batch_size", "negatives", "epoch_seconds", "examples_per_second")
RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class BenchConfig:
    dim: int = 384
    items: int = 5000
    train_examples: int = 20000
    val_examples: int = 200
    history: int = 50
    candidates: int = 200
    calls: int = 1000
    warmup: int = 100
    seed: int = 0


def _unit(rng: np.random.Generator, *shape: int) -> np.ndarray:
    vectors = rng.normal(size=shape).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)


def _examples(rng: np.random.Generator, count: int, config: BenchConfig) -> TrainingSet:
    """Examples whose histories hold between 0 and `config.history` items, as in real data."""
    examples = []
    for i in range(count):
        length = int(rng.integers(0, config.history + 1))
        history = tuple(f"i{j}" for j in rng.integers(0, config.items, length))
        examples.append(Example(f"u{i}", f"i{rng.integers(config.items)}", "", history, 0.0))
    index = {f"i{j}": j for j in range(config.items)}
    return TrainingSet.from_examples(examples, index, _unit(rng, count, config.dim))


def bench_training(config: BenchConfig) -> list[dict]:
    rng = np.random.default_rng(config.seed)
    items = _unit(rng, config.items, config.dim)
    train_set, val_set = _examples(rng, config.train_examples, config), _examples(rng, config.val_examples, config)
    rows = []
    for threads, use_history in itertools.product((1, 2), (False, True)):
        torch.set_num_threads(threads)
        model_config = RankerConfig(input_dim=config.dim, use_history=use_history, history_max=config.history)
        train_config = TrainConfig(epochs=1, seed=config.seed)
        result = train(model_config, train_config, train_set, val_set, items, progress=True)
        seconds = result.metrics_per_epoch[1]["seconds"]
        rows.append(
            {
                "model": "whisperlite + history" if use_history else "whisperlite (paper)",
                "threads": threads,
                "examples": config.train_examples,
                "batch_size": train_config.batch_size,
                "negatives": train_config.loss.num_negatives,
                "epoch_seconds": seconds,
                "examples_per_second": round(config.train_examples / seconds, 1),
            }
        )
    return rows


def _latency(scorer: Scorer, request, history, candidates, keys, history_keys, config: BenchConfig) -> dict:
    for _ in range(config.warmup):
        scorer.score(request, history, candidates, keys, history_keys)
    timings = []
    for _ in range(config.calls):
        started = time.perf_counter()
        scorer.score(request, history, candidates, keys, history_keys)
        timings.append((time.perf_counter() - started) * 1000.0)
    return {
        "p50_ms": round(float(np.percentile(timings, 50)), 3),
        "p95_ms": round(float(np.percentile(timings, 95)), 3),
        "calls": config.calls,
    }


def bench_scorer(config: BenchConfig) -> list[dict]:
    rng = np.random.default_rng(config.seed)
    torch.manual_seed(config.seed)
    model = WhisperLite(RankerConfig(input_dim=config.dim, history_max=config.history))
    request, history = _unit(rng, config.dim), _unit(rng, config.history, config.dim)
    candidates = _unit(rng, config.candidates, config.dim)
    keys = [f"i{j}" for j in range(config.candidates)]
    rows = []
    for threads in (1, 2):
        torch.set_num_threads(threads)
        scorer = Scorer(model)
        for history_length in (0, config.history):
            for cached in (False, True):
                recent = history[:history_length]
                recent_keys = [f"h{j}" for j in range(history_length)] if cached else None
                timing = _latency(scorer, request, recent, candidates, keys if cached else None, recent_keys, config)
                rows.append(
                    {
                        "threads": threads,
                        "history": history_length,
                        "item_cache": cached,
                        "candidates": config.candidates,
                        **timing,
                    }
                )
    return rows


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def to_markdown(report: dict) -> str:
    m, c = report["machine"], report["config"]
    lines = [
        "# WhisperLite ranker benchmark",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores (shared with other work; 1-minute load average "
        f"{m['load_average_1m']} at the end), torch {m['torch']}, Python {m['python']}. "
        f"Random unit vectors, D = {c['dim']}, default `RankerConfig` (hidden 512, output 256).",
        "",
        f"## Training throughput (one epoch of {c['train_examples']} examples, {c['items']} items, histories of 0 to "
        f"{c['history']} items, default `TrainConfig`)",
        "",
        "| model | torch threads | batch | negatives | epoch s | examples/s |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += ["| " + " | ".join(str(r[key]) for key in TRAINING_COLUMNS) + " |" for r in report["training"]]
    lines += [
        "",
        f"## `Scorer.score` latency ({c['candidates']} candidates, {c['calls']} calls after {c['warmup']} warm-up)",
        "",
        "| torch threads | history | item cache (candidates and history) | p50 ms | p95 ms |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {r['threads']} | {r['history']} | {'yes' if r['item_cache'] else 'no'} | {r['p50_ms']} | {r['p95_ms']} |"
        for r in report["scorer"]
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    config = BenchConfig()
    scorer = bench_scorer(config)
    training = bench_training(config)
    report = {"config": asdict(config), "training": training, "scorer": scorer, "machine": machine()}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ranker.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "ranker.md").write_text(to_markdown(report))
    print(to_markdown(report))


if __name__ == "__main__":
    main()
