"""One evaluation: read the dataset, build examples, encode (cached), and for each protocol and seed fit and
score every system on the same split and candidates, then report mean ± std over seeds."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from ranker.collaborative import CollaborativeSpace
from ranker.data import Example, ReviewEvent
from ranker.datasets.registry import load_dataset
from ranker.encoders import SentenceEncoder
from ranker.evaluate.baselines import (
    BM25System,
    HistoryOnlySystem,
    PopularitySystem,
    RandomSystem,
    ZeroShotCollaborativeSystem,
    ZeroShotHistorySystem,
    ZeroShotSystem,
)
from ranker.evaluate.config import EvalConfig
from ranker.evaluate.embeddings import encode_cached
from ranker.evaluate.protocols import PROTOCOLS, Protocol, load_or_sample_candidates, query_ids
from ranker.evaluate.report import EvalReport, machine_details
from ranker.evaluate.significance import paired_test, pooled
from ranker.evaluate.systems import Context, System
from ranker.evaluate.training_log import training_log
from ranker.evaluate.whisperlite import VARIANTS, WhisperLiteSystem

BASELINES = ("random", "popularity", "bm25", "zero-shot", "history-only", "hybrid")  # name prefixes
RUN_DEPTH = 100  # full-catalogue runs keep each query's top 100 (Recall/NDCG@50 and MRR need no more)


def build_system(key: str, config: EvalConfig, encoder_name: str) -> System:
    simple = {"random": RandomSystem, "popularity": PopularitySystem, "bm25": BM25System}
    if key in simple:
        return simple[key]()
    if key == "zero-shot":
        return ZeroShotSystem(encoder_name)
    if key == "history-only":
        return HistoryOnlySystem()
    if key == "zero-shot+history":
        return ZeroShotHistorySystem(encoder_name)
    if key == "zero-shot+collaborative":
        return ZeroShotCollaborativeSystem(encoder_name)
    variants = {
        "whisperlite": "whisperlite (paper)",
        "whisperlite+history": "whisperlite + history",
        "bce-only": "ablation: bce only",
        "infonce-only": "ablation: infonce only",
    }
    return WhisperLiteSystem(VARIANTS[variants[key]], config.grid)


def select_examples(examples: Sequence[Example], config: EvalConfig) -> list[Example]:
    kept = [example for example in examples if len(example.history) >= config.min_history]
    if config.max_examples is not None and len(kept) > config.max_examples:
        chosen = sorted(random.Random(0).sample(range(len(kept)), config.max_examples))
        kept = [kept[index] for index in chosen]
    return kept


def run_evaluation(config: EvalConfig, out_dir: Path, encoder=None) -> EvalReport:
    """Evaluate and write `results.json`, `results.md`, `results.png` and the saved candidates in `out_dir`.

    `encoder` defaults to the offline `SentenceEncoder` (a loaded one may be passed to share it)."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    dataset = load_dataset(config.source)
    examples = select_examples(dataset.examples(config.grid.history_max), config)
    if len(examples) < 10:
        raise ValueError(f"{dataset.name}: only {len(examples)} usable examples (min_history={config.min_history})")
    encoder = encoder or SentenceEncoder()
    context = build_context(dataset.items, examples, encoder, Path(config.cache_dir) / dataset.name)
    encoded = time.perf_counter()
    protocols: dict[str, dict] = {}
    for split in dict.fromkeys(PROTOCOLS[name].split for name in config.protocols):
        sharing = [PROTOCOLS[name] for name in config.protocols if PROTOCOLS[name].split == split]
        systems = [build_system(key, config, encoder.name) for key in config.systems]
        protocols.update(
            _evaluate_split(
                sharing, systems, examples, context, config.seeds, out_dir, dataset.name, dataset.interactions
            )
        )
    protocols = {name: protocols[name] for name in config.protocols}
    report = EvalReport(
        dataset=dataset.summary(),
        label=dataset.label,
        encoder=encoder.name,
        examples=len(examples),
        protocols=protocols,
        problems=[str(problem) for problem in dataset.problems[:20]],
        seconds={"encode": round(encoded - started, 1), "total": round(time.perf_counter() - started, 1)},
        machine=machine_details(),
        config=config,
    )
    report.save(out_dir)
    return report


def build_context(items: dict[str, str], examples: Sequence[Example], encoder, cache_dir: Path) -> Context:
    item_ids = list(items)
    item_texts = [items[item] for item in item_ids]
    request_texts = sorted({example.request_text for example in examples})
    return Context(
        item_ids=item_ids,
        item_texts=item_texts,
        item_vectors=encode_cached(encoder, item_texts, cache_dir, "items"),
        request_index={text: row for row, text in enumerate(request_texts)},
        request_vectors=encode_cached(encoder, request_texts, cache_dir, "requests"),
    )


def _evaluate_split(
    protocols: Sequence[Protocol],
    systems: list[System],
    examples: Sequence[Example],
    context: Context,
    seeds: Sequence[int],
    out_dir: Path,
    dataset_name: str,
    events: Sequence[ReviewEvent],
) -> dict[str, dict]:
    """Protocols sharing one split: each system is fitted once per seed and scored under every protocol.
    Each seed's context carries the collaborative space of that split's training log."""
    results = {
        protocol.name: {system.name: {"per_seed": [], "seconds": 0.0} for system in systems} for protocol in protocols
    }
    runs = {protocol.name: {system.name: {} for system in systems} for protocol in protocols}  # -> seed -> run
    seed_targets, seed_users, seed_requests = {}, {}, {}
    sizes = {}
    for seed in seeds:
        train, val, test = protocols[0].split_examples(examples, seed)
        split_context = replace(
            context, collaborative=CollaborativeSpace.fit(training_log(events, [*val, *test]), context.item_ids)
        )
        sizes = {"train": len(train), "val": len(val), "test": len(test)}
        queries = query_ids(test)
        targets = dict(zip(queries, (example.target for example in test), strict=True))
        users = dict(zip(queries, (example.user for example in test), strict=True))
        seed_targets[seed], seed_users[seed] = targets, users
        seed_requests[seed] = {query: _request_identity(example) for query, example in zip(queries, test, strict=True)}
        candidates = {
            protocol.name: load_or_sample_candidates(
                out_dir / "candidates" / f"{dataset_name}-{protocol.name}-seed{seed}.json",
                test,
                context.item_ids,
                protocol.candidates,
                seed,
            )
            for protocol in protocols
            if protocol.candidates is not None
        }
        for system in tqdm(systems, desc=f"{protocols[0].split} split, seed {seed}", unit="system"):
            started = time.perf_counter()
            system.fit(train, val, split_context, seed)
            scores = _scores(system, test, split_context)
            seconds = (time.perf_counter() - started) / len(protocols)
            for protocol in protocols:
                run = _run(scores, test, queries, context, candidates.get(protocol.name), seed)
                metrics = protocol.evaluator.evaluate_run(targets, run, users)
                results[protocol.name][system.name]["per_seed"].append(metrics)
                results[protocol.name][system.name]["seconds"] += seconds
                runs[protocol.name][system.name][seed] = run
    out = {}
    for protocol in protocols:
        for system in systems:
            entry = results[protocol.name][system.name]
            keys = entry["per_seed"][0]
            entry["mean"] = {key: float(np.mean([seed[key] for seed in entry["per_seed"]])) for key in keys}
            entry["std"] = {key: float(np.std([seed[key] for seed in entry["per_seed"]])) for key in keys}
            entry["seconds"] = round(entry["seconds"], 1)
            if isinstance(system, WhisperLiteSystem):
                entry["chosen_on_validation"] = system.chosen
                entry["validation_grid"] = system.tuning
                entry["training_curves"] = system.curves
            if isinstance(system, ZeroShotHistorySystem):
                entry["chosen_on_validation"] = {"weight": system.weight}
                entry["validation_grid"] = system.tuning
        out[protocol.name] = {
            "split": protocol.split,
            "candidates": protocol.candidates,
            "sizes": sizes,
            "systems": results[protocol.name],
            "significance": _significance(
                protocol, runs[protocol.name], pooled(seed_targets), pooled(seed_users), pooled(seed_requests)
            ),
        }
    return out


def _request_identity(example: Example) -> tuple:
    """What makes two seeds' test requests the same request (a per-user time split tests the same ones)."""
    return (example.user, example.target, example.request_text, example.time)


def _significance(
    protocol: Protocol, runs: dict[str, dict[int, dict]], targets: dict, users: dict, requests: dict
) -> dict:
    """WhisperLite + history against every baseline and against paper-faithful WhisperLite, paired over the
    distinct test requests of all seeds on the protocol's headline metric (`significance.paired_test`)."""
    treatment = "whisperlite + history"
    if treatment not in runs:
        return {}
    controls = [name for name in runs if name.startswith(BASELINES) or name == "whisperlite (paper)"]
    return {
        control: paired_test(
            targets, pooled(runs[treatment]), pooled(runs[control]), users, protocol.headline, requests
        )
        for control in controls
    }


def _scores(system: System, test: Sequence[Example], context: Context, chunk: int = 256) -> np.ndarray:
    """(len(test), N) scores over the whole catalogue, computed in chunks of examples."""
    parts = [np.asarray(system.scores(test[start : start + chunk], context)) for start in range(0, len(test), chunk)]
    return np.concatenate(parts).astype(np.float64)


def _run(
    scores: np.ndarray,
    test: Sequence[Example],
    queries: Sequence[str],
    context: Context,
    candidates: dict[str, list[str]] | None,
    seed: int,
) -> dict[str, dict[str, float]]:
    """query -> {item: score}. Ties are broken by a seeded random key (so a constant scorer ranks at random,
    not by catalogue order); ranx is given rank-based scores (depth - position)."""
    rng = np.random.default_rng(seed + 7919)
    run: dict[str, dict[str, float]] = {}
    for query, example, row in zip(queries, test, scores, strict=True):
        if candidates is not None:
            items = candidates[query]
            row = row[[context.item_index[item] for item in items]]
        else:
            items = context.item_ids
            row = row.copy()
            row[context.history_rows(example)] = -np.inf  # already bought / rated: not recommended again
        order = np.lexsort((rng.random(len(row)), -row))[:RUN_DEPTH]
        run[query] = {items[index]: float(len(order) - rank) for rank, index in enumerate(order)}
    return run
