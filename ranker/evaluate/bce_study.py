"""Why BCE alone did not learn: the BCE-only model trained with and without a logit scale and bias, per kind
of negative, on the MovieLens full-catalogue protocol (per-user time split), against the zero-shot encoder.

    python -m ranker.evaluate.bce_study --data-root ../shared/data --out docs/results/bce-study

Residual towers and no history, as the evaluation's BCE-only ablation; each setting keeps its best epoch on
validation (NDCG@10 over the catalogue, epoch 0 = zero-shot counts), and its test NDCG@10 is reported. The
raw logits at initialisation (the frozen encoder's cosines) are measured to show the range BCE starts from.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from tqdm.auto import tqdm

from ranker.data import TrainingSet
from ranker.datasets.registry import DatasetSource, load_dataset
from ranker.encoders import SentenceEncoder
from ranker.evaluate.config import EvalConfig
from ranker.evaluate.evaluator import RankingEvaluator
from ranker.evaluate.protocols import PROTOCOLS
from ranker.evaluate.report import machine_details
from ranker.evaluate.runner import build_context, select_examples
from ranker.loss import LossConfig, NegativeKind
from ranker.model import RankerConfig
from ranker.train import TrainConfig, train, validation_scores

# (name, log-scale, bias): no calibration (the logit is the raw score, as before), ours, SigLIP's
CALIBRATIONS = (
    ("raw score", 0.0, 0.0),
    ("scale 10, bias -2", math.log(10.0), -2.0),
    ("SigLIP 10, -10", math.log(10.0), -10.0),
)
NEGATIVES: tuple[NegativeKind, ...] = ("uniform", "popularity", "hard")


def initial_logits(train_set: TrainingSet, items: np.ndarray, seed: int = 0) -> dict[str, float]:
    """Raw logits at initialisation (residual towers start at the identity: the encoder's cosines)."""
    requests = train_set.requests.numpy()
    positives = (requests * items[train_set.targets.numpy()]).sum(-1)
    rng = np.random.default_rng(seed)
    negatives = (requests * items[rng.integers(0, len(items), len(requests))]).sum(-1)
    sigmoid = lambda x: 1.0 / (1.0 + np.exp(-x))  # noqa: E731
    return {
        "positive mean": float(positives.mean()),
        "positive std": float(positives.std()),
        "negative mean": float(negatives.mean()),
        "negative std": float(negatives.std()),
        "sigmoid positive mean": float(sigmoid(positives).mean()),
        "sigmoid negative mean": float(sigmoid(negatives).mean()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m ranker.evaluate.bce_study", description=__doc__)
    parser.add_argument("--data-root", type=Path, default=DatasetSource().data_root)
    parser.add_argument("--cache-dir", type=Path, default=EvalConfig().cache_dir)
    parser.add_argument("--out", type=Path, default=Path("docs/results/bce-study"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    config = replace(EvalConfig(), source=DatasetSource("movielens", data_root=args.data_root), min_history=5)
    dataset = load_dataset(config.source)
    examples = select_examples(dataset.examples(config.grid.history_max), config)
    context = build_context(dataset.items, examples, SentenceEncoder(), args.cache_dir / dataset.name)
    train_examples, val, test = PROTOCOLS["full-catalogue"].split_examples(examples, 0)
    sets = {
        name: TrainingSet.from_examples(part, context.item_index, context.requests(part))
        for name, part in (("train", train_examples), ("val", val), ("test", test))
    }
    grid = config.grid
    model_config = RankerConfig(
        context.item_vectors.shape[1], grid.hidden_dim, context.item_vectors.shape[1], use_history=False, residual=True
    )
    test_evaluator = RankingEvaluator(split="test")
    rows = []
    settings = [(calibration, kind) for calibration in CALIBRATIONS for kind in NEGATIVES]
    for (name, log_scale, bias), kind in tqdm(settings, desc="BCE-only settings"):
        loss = LossConfig(contrastive_weight=0.0, bce_log_scale=log_scale, bce_bias=bias, negative_kind=kind)
        train_config = TrainConfig(
            epochs=grid.epochs, batch_size=grid.batch_size, lr=grid.lrs[0], seed=0, patience=grid.patience, loss=loss
        )
        result = train(model_config, train_config, sets["train"], sets["val"], context.item_vectors, progress=False)
        scores = validation_scores(result.model, sets["test"], torch.as_tensor(context.item_vectors))
        test_ndcg = test_evaluator.evaluate_scores(scores, sets["test"].targets.numpy())["test/ndcg@10"]
        curve = result.metrics_per_epoch
        rows.append(
            {
                "calibration": name,
                "negatives": kind,
                "best_epoch": result.best_epoch,
                "val/ndcg@10": result.best_score,
                "val/ndcg@10 epoch 0": curve[0]["val/ndcg@10"],
                "val/ndcg@10 epoch 1": curve[1]["val/ndcg@10"],
                "test/ndcg@10": test_ndcg,
                "learned scale": float(result.model.bce_log_scale.exp()),
                "learned bias": float(result.model.bce_bias),
                "curve": curve,
            }
        )
        tqdm.write(f"{name}, {kind}: best epoch {result.best_epoch}, val {result.best_score:.4f}, test {test_ndcg:.4f}")
    report = {
        "initial_logits": initial_logits(sets["train"], context.item_vectors),
        "runs": rows,
        "sizes": {name: len(part) for name, part in sets.items()},
        "machine": machine_details(),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(report, indent=1))
    lines = [
        "| BCE logit | negatives | best epoch | val NDCG@10 (epoch 0 → 1 → best) | test NDCG@10 "
        "| learned scale, bias |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['calibration']} | {row['negatives']} | {row['best_epoch']} | "
            f"{row['val/ndcg@10 epoch 0']:.4f} → {row['val/ndcg@10 epoch 1']:.4f} → {row['val/ndcg@10']:.4f} | "
            f"{row['test/ndcg@10']:.4f} | {row['learned scale']:.2f}, {row['learned bias']:.2f} |"
        )
    logits = report["initial_logits"]
    lines += [
        "",
        "Raw logits at initialisation (train requests): " + ", ".join(f"{k} {v:.3f}" for k, v in logits.items()),
    ]
    (args.out / "results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
