"""The day-one model, measured: what a shop with only a catalogue gets, on shoppers it has never seen.

    python -m ranker.evaluate.day_one --data-root ../shared/data --catalogue-size 2000 --out docs/results/day-one

Part 1 (`--parts fashion-semi`), the semi-synthetic shoppers of the Kaggle photos (`fashion-semi`, the set of
docs/results.md), with ZERO of their logs used for training: each system is trained on the catalogue of that
set alone (`--catalogue-size` items, 8,000 by default) and scored on the same test requests as the
`full-catalogue` protocol (per-user time split, the whole catalogue ranked, the request's own history left
out). Systems: zero-shot (the frozen encoder), catalogue only (WhisperLite on `ranker.catalogue_pairs`), and
catalogue + the simulated demo shoppers (the app's sources). A model with history modules reads the test
request's history; a catalogue-only model has none. Seeds vary the pairs, the simulated shoppers and training.
Each trained system is compared with zero-shot by a paired t-test over the test requests (ranx `compare`),
seed by seed, and over the distinct test requests each averaged over the seeds (`ranker.evaluate.significance`:
a time split tests the same requests under every seed, so the seeds' copies are not new pairs).

Part 2 (`first-start-demo`, `first-start-kaggle`), the first start of the app: the demo preset trained as
`chat/serve/build.py` does, on the generated demo catalogue or the Kaggle photos, before (demo shoppers only)
and after (the preset's sources): wall time (request encoding included), best epoch, and each model's NDCG@10
on both validation sets (held-out items' catalogue requests, and the simulated shoppers' validation requests).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import torch

from ranker.data import Example, TrainingSet
from ranker.datasets.registry import DatasetSource, load_dataset
from ranker.datasets.semi_synthetic import SemiSyntheticConfig
from ranker.demo import DemoPreset, Source, demo_examples, demo_preset, train_preset
from ranker.encoders import Encoder, SentenceEncoder
from ranker.evaluate.config import EvalConfig
from ranker.evaluate.day_one_report import plot_day_one, to_markdown
from ranker.evaluate.embeddings import encode_cached
from ranker.evaluate.evaluator import RankingEvaluator
from ranker.evaluate.protocols import PROTOCOLS, query_ids
from ranker.evaluate.report import machine_details
from ranker.evaluate.significance import paired_test, pooled
from ranker.model import WhisperLite
from ranker.train import validation_scores
from store.catalogs.demo import generate_demo_catalog
from store.catalogs.kaggle import read_fashion_product_images
from store.item import Item

RUN_DEPTH = 100  # as the offline evaluation: each query's top 100
SYSTEMS: dict[str, tuple[Source, ...]] = {
    "catalogue only": ("catalogue",),
    "catalogue + demo shoppers": ("catalogue", "shoppers"),
}
PARTS = ("fashion-semi", "first-start-demo", "first-start-kaggle")
ZERO_SHOT = "zero-shot"


@dataclass(frozen=True)
class DayOneConfig:
    data_root: Path = Path("../shared/data")
    seeds: tuple[int, ...] = (0, 1, 2)
    epochs: int = 20  # the app's default ceiling (WHISPERLITE_TRAIN_EPOCHS); early stopping on validation
    demo_items: int = 480  # the app's default demo catalogue
    catalogue_size: int | None = SemiSyntheticConfig().catalogue_size  # the fashion-semi catalogue's sample
    cache_dir: Path = Path(".cache/evaluate")


def seeded(preset: DemoPreset, sources: tuple[Source, ...], seed: int) -> DemoPreset:
    """The preset with other sources and every seed (pairs, shoppers, training) set to `seed`."""
    return replace(
        preset,
        sources=sources,
        pairs=replace(preset.pairs, seed=seed),
        shoppers=replace(preset.shoppers, seed=seed),
        train=replace(preset.train, seed=seed),
    )


def full_catalogue_run(
    scores: np.ndarray, test: Sequence[Example], item_ids: list[str], seed: int
) -> dict[str, dict[str, float]]:
    """query -> {item: rank score} over the whole catalogue, the request's history left out, ties broken by a
    seeded random key: the `full-catalogue` protocol of `ranker.evaluate.runner`."""
    rng = np.random.default_rng(seed + 7919)
    index = {item: row for row, item in enumerate(item_ids)}
    run = {}
    for query, example, row in zip(query_ids(test), test, scores, strict=True):
        row = row.copy()
        row[[index[item] for item in example.history if item in index]] = -np.inf
        order = np.lexsort((rng.random(len(row)), -row))[:RUN_DEPTH]
        run[query] = {item_ids[position]: float(len(order) - rank) for rank, position in enumerate(order)}
    return run


def model_scores(model: WhisperLite, test: Sequence[Example], item_ids: list[str], requests: np.ndarray, items):
    """(len(test), N) scores of `model`; the test histories are read only by a model with history modules."""
    data = TrainingSet.from_examples(test, {item: row for row, item in enumerate(item_ids)}, requests)
    return validation_scores(model, data, torch.as_tensor(items, dtype=torch.float32))


def significance(targets: dict[str, str], runs: dict[str, dict], baseline: str) -> dict[str, float]:
    """system -> p-value of a paired t-test (ranx `compare`, "student") of its NDCG@10 against `baseline`'s."""
    from ranx import Qrels, Run, compare

    qrels = Qrels({query: {item: 1} for query, item in targets.items()})
    named = [Run(run, name=name) for name, run in runs.items()]
    report = compare(qrels, named, ["ndcg@10"], stat_test="student", max_p=0.05).to_dict()
    return {name: report[name]["comparisons"][baseline]["ndcg@10"] for name in runs if name != baseline}


def catalogue_items(dataset_items: dict[str, str], data_root: Path) -> list[Item]:
    """The fashion-semi set's items as `Item`s, in the set's order (it keeps only their texts)."""
    read = read_fashion_product_images(Path(data_root) / "fashion-product-images", genders_from_titles=False)
    by_id = {item.id: item for item in read.items}
    return [by_id[item] for item in dataset_items]


def fashion_semi(config: DayOneConfig, encoder: Encoder) -> dict:
    """Part 1: every system on the fashion-semi test requests, per seed, with the paired tests."""
    defaults = EvalConfig()
    semi = replace(SemiSyntheticConfig(), catalogue_size=config.catalogue_size)
    dataset = load_dataset(DatasetSource("fashion-semi", data_root=config.data_root, semi=semi))
    items = catalogue_items(dataset.items, config.data_root)
    item_ids = [item.id for item in items]
    cache = Path(config.cache_dir) / dataset.name
    vectors = encode_cached(encoder, list(dataset.items.values()), cache, "items")
    examples = dataset.examples(defaults.grid.history_max)
    _, _, test = PROTOCOLS["full-catalogue"].split_examples(examples, seed=0)  # a time split: seed-independent
    requests = encode_cached(encoder, [example.request_text for example in test], cache, "day-one-test")
    targets = dict(zip(query_ids(test), (example.target for example in test), strict=True))
    users = dict(zip(query_ids(test), (example.user for example in test), strict=True))
    evaluator = PROTOCOLS["full-catalogue"].evaluator
    preset = demo_preset(encoder.dim, config.epochs)
    encode = RequestVectors(encoder)
    results: dict[str, dict] = {name: {"per_seed": [], "seconds": []} for name in (ZERO_SHOT, *SYSTEMS)}
    p_values: list[dict[str, float]] = []
    seed_runs: dict[str, dict[int, dict]] = {name: {} for name in results}
    for seed in config.seeds:
        runs = {ZERO_SHOT: full_catalogue_run(requests @ vectors.T, test, item_ids, seed)}
        for name, sources in SYSTEMS.items():
            started = time.perf_counter()
            trained = train_preset(items, vectors, seeded(preset, sources, seed), encode, False)
            scores = model_scores(trained.model, test, item_ids, requests, vectors)
            runs[name] = full_catalogue_run(scores, test, item_ids, seed)
            results[name]["seconds"].append(round(time.perf_counter() - started, 1))
            results[name].setdefault("validation", []).append(trained.metrics)
        for name, run in runs.items():
            results[name]["per_seed"].append(evaluator.evaluate_run(targets, run, users))
            seed_runs[name][seed] = run
        p_values.append(significance(targets, runs, ZERO_SHOT))
        print(
            f"seed {seed}:", {name: round(entry["per_seed"][-1]["test/ndcg@10"], 4) for name, entry in results.items()}
        )
    for entry in results.values():
        keys = entry["per_seed"][0]
        entry["mean"] = {key: float(np.mean([seed[key] for seed in entry["per_seed"]])) for key in keys}
        entry["std"] = {key: float(np.std([seed[key] for seed in entry["per_seed"]])) for key in keys}
    return {
        "dataset": dataset.summary(),
        "test_requests": len(test),
        "systems": results,
        "p_values_vs_zero_shot": p_values,
        "pooled_vs_zero_shot": pooled_tests(seed_runs, targets, users),
    }


def pooled_tests(seed_runs: dict[str, dict[int, dict]], targets: dict, users: dict) -> dict[str, dict]:
    """system -> `paired_test` of its NDCG@10 against zero-shot, every seed's run pooled, each distinct request
    (and user) averaged over the seeds."""
    seeds = list(seed_runs[ZERO_SHOT])
    pooled_targets, pooled_users = pooled(dict.fromkeys(seeds, targets)), pooled(dict.fromkeys(seeds, users))
    requests = {query: query.split("/", 1)[1] for query in pooled_targets}
    control = pooled(seed_runs[ZERO_SHOT])
    return {
        name: paired_test(pooled_targets, pooled(runs), control, pooled_users, "ndcg@10", requests)
        for name, runs in seed_runs.items()
        if name != ZERO_SHOT
    }


def first_start(config: DayOneConfig, encoder: Encoder, catalogue: str) -> list[dict]:
    """Part 2: before and after on one catalogue ("demo" or "kaggle"), as the app trains on first start."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="day-one-") as folder:
        if catalogue == "demo":
            name, items = f"demo ({config.demo_items} items)", generate_demo_catalog(Path(folder), config.demo_items)
        else:
            folder = Path(config.data_root) / "fashion-product-images"
            items = read_fashion_product_images(folder, with_images_only=True).items
            name = f"Kaggle photos ({len(items)} items)"
        vectors = encode_cached(encoder, [item.text() for item in items], Path(config.cache_dir) / catalogue, "items")
        after = demo_preset(encoder.dim, config.epochs)
        presets = {"before (demo shoppers only)": seeded(after, ("shoppers",), 0), "after": after}
        validations = {key: demo_examples(items, seeded(after, (key,), 0))[1] for key in ("catalogue", "shoppers")}
        for label, preset in presets.items():
            started = time.perf_counter()
            trained = train_preset(items, vectors, preset, encoder.encode_text, progress=False)
            seconds = time.perf_counter() - started
            row = {"catalogue": name, "items": len(items), "model": label, "sources": list(preset.sources)}
            row |= {"seconds": round(seconds, 1), "best_epoch": trained.metrics["best_epoch"]}
            row |= {"own_validation": trained.validation_score, "examples": trained.metrics["examples"]}
            for key, examples in validations.items():
                row[f"validation ({key})"] = _validation_ndcg(trained.model, examples, items, vectors, encoder)
            rows.append(row)
            print(row)
    return rows


def _validation_ndcg(model: WhisperLite, examples: list[Example], items: list[Item], vectors, encoder) -> float:
    requests = encoder.encode_text([example.request_text for example in examples])
    scores = model_scores(model, examples, [item.id for item in items], requests, vectors)
    rows = {item.id: row for row, item in enumerate(items)}
    targets = np.array([rows[example.target] for example in examples])
    evaluator = RankingEvaluator()
    return evaluator.evaluate_scores(scores, targets)[evaluator.primary_metric]


class RequestVectors:
    """Encodes request texts once per run: the systems of a seed share their catalogue pairs, and seeds share
    many short requests ("black shoes")."""

    def __init__(self, encoder: Encoder):
        self.encoder = encoder
        self.known: dict[str, np.ndarray] = {}

    def __call__(self, texts: list[str]) -> np.ndarray:
        new = [text for text in dict.fromkeys(texts) if text not in self.known]
        if new:
            self.known.update(zip(new, self.encoder.encode_text(new)))
        return np.stack([self.known[text] for text in texts])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m ranker.evaluate.day_one", description=__doc__)
    defaults = DayOneConfig()
    parser.add_argument("--data-root", type=Path, default=defaults.data_root)
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--seeds", nargs="+", type=int, default=list(defaults.seeds))
    parser.add_argument("--epochs", type=int, default=defaults.epochs)
    parser.add_argument("--catalogue-size", type=int, default=defaults.catalogue_size, help="fashion-semi items")
    parser.add_argument("--cache-dir", type=Path, default=defaults.cache_dir)
    parser.add_argument("--out", type=Path, default=Path("docs/results/day-one"))
    args = parser.parse_args()
    torch.set_num_threads(1)  # small matrices on 2 shared cores: one thread is several times faster than two
    config = DayOneConfig(args.data_root, tuple(args.seeds), args.epochs, catalogue_size=args.catalogue_size)
    config = replace(config, cache_dir=args.cache_dir)
    encoder = SentenceEncoder()
    args.out.mkdir(parents=True, exist_ok=True)
    for part in args.parts:
        started = time.perf_counter()
        report = {"part": part, "config": {key: str(value) for key, value in asdict(config).items()}}
        report |= {"machine": machine_details(), "load_average_at_start": [round(v, 2) for v in os.getloadavg()]}
        report["encoder"] = encoder.name
        if part == "fashion-semi":
            report |= fashion_semi(config, encoder)
        else:
            report["rows"] = first_start(config, encoder, part.removeprefix("first-start-"))
        report["seconds"] = round(time.perf_counter() - started, 1)
        (args.out / ("results.json" if part == "fashion-semi" else f"{part}.json")).write_text(
            json.dumps(report, indent=2) + "\n"
        )
        saved = [json.loads(path.read_text()) for path in sorted(args.out.glob("*.json"))]
        (args.out / "results.md").write_text(to_markdown(saved))
        if part == "fashion-semi":
            plot_day_one(report, args.out / "results.png")
        print(f"{part}: {report['seconds']} s")


if __name__ == "__main__":
    main()
