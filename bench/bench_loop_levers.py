"""Closed-loop training levers, on validation only (run by hand): does weighting the feedback rows, or fine-tuning
with a lower learning rate, help the retrained model on the gate's own validation requests?

    nice -n 19 .venv/bin/python bench/bench_loop_levers.py --seed 0

The loop's first round as `whisperlite simulate-loop` runs it (the demo app in a fresh folder, the same seed's
shoppers and conversations), then the app's retraining (`chat.serve.models.train_examples_through_gate`: the
per-shopper time split of the feedback, the catalogue's requests replayed, a warm start from the model in use,
early stopping on the next-to-last requests) once per lever value, each scored on the gate's slice (each
session's latest feedback requests, which neither training nor early stopping saw). A lever is worth keeping
only if it beats the app's default on that slice by more than the gate's noise margin (two standard errors of
the per-request difference). No held-out request is read. Writes bench/results/loop-levers.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from dataclasses import replace
from pathlib import Path

import torch
from machine import machine, machine_markdown

from chat.evaluate.closed_loop import LoopConfig, converse, in_process_sessions
from chat.serve.build import build_app
from chat.serve.models import ModelContext, model_configs
from chat.serve.settings import AppSettings
from ranker.catalogue_pairs import catalogue_pairs
from ranker.demo import demo_preset
from ranker.evaluate.evaluator import RankingEvaluator
from ranker.evaluate.protocols import per_user_time_split
from ranker.feedback_pairs import feedback_examples
from ranker.gate import noise_margin
from ranker.simulate.hidden_taste import draw_clientele, draw_shoppers, hidden_request
from ranker.train import train, validation_scores

RESULTS = Path(__file__).resolve().parents[1] / "bench" / "results"
# (feedback rows' weight as repeats in the training slice, fine-tuning learning rate); the first is the app's
LEVERS = ((1, 1e-3), (2, 1e-3), (4, 1e-3), (1, 3e-4), (1, 1e-4))


def measure(seed: int) -> dict:
    config = LoopConfig(seed=seed)
    with tempfile.TemporaryDirectory(prefix="loop-levers-") as folder:
        app = build_app(AppSettings.from_env().with_data_dir(Path(folder)))
        items, by_id = app.catalog.items, {item.id: item for item in app.catalog.items}
        rng = random.Random(seed)  # the loop's draws, in the loop's order
        clientele = draw_clientele(items, rng)
        shoppers = draw_shoppers(clientele, items, config.shoppers, rng)
        held_out = draw_shoppers(clientele, items, config.shoppers, rng, prefix="held-out")
        for n in range(config.held_out):  # the held-out draws consume the rng; their requests are not read
            hidden_request(held_out[n % len(held_out)], items, rng)
        open_session = in_process_sessions(app)
        for shopper in shoppers:
            converse(open_session(), shopper, by_id, rng, config.requests)
        context = ModelContext(replace(app.settings, train_epochs=config.epochs), items, app.encoder, app.items)
        model_config, train_config = model_configs(app.encoder.dim, config.epochs)
        examples = feedback_examples(app.feedback.events(), model_config.history_max)
        replayed = catalogue_pairs(items, demo_preset(app.encoder.dim, config.epochs).pairs).train
        train_rows, stop_rows, gate_rows = per_user_time_split(examples)
        stop_set, gate_set = context.training_set(stop_rows), context.training_set(gate_rows)
        matrix = context.item_matrix()
        evaluator = RankingEvaluator()
        targets = gate_set.targets.numpy()
        in_use = app.scorer.model
        in_use_scores = evaluator.per_query_primary(validation_scores(in_use, gate_set, matrix), targets)
        per_request = {"model in use": in_use_scores}
        rows = []
        for weight, lr in LEVERS:
            training = context.training_set(train_rows * weight + list(replayed))
            result = train(
                model_config,
                replace(train_config, lr=lr),
                training,
                stop_set,
                matrix,
                progress=False,
                warm_start=in_use,
            )
            scores = evaluator.per_query_primary(validation_scores(result.model, gate_set, matrix), targets)
            name = f"weight {weight}, lr {lr:g}"
            per_request[name] = scores
            rows.append({"weight": weight, "lr": lr, "gate_ndcg@10": round(float(scores.mean()), 4)})
            rows[-1]["best_epoch"] = result.best_epoch
            print(rows[-1], flush=True)
        default = per_request[f"weight {LEVERS[0][0]}, lr {LEVERS[0][1]:g}"]
        for row, scores in zip(rows, list(per_request.values())[1:]):
            row["noise_vs_default"] = round(noise_margin(scores, default), 4)
            row["gain_vs_default"] = round(float(scores.mean() - default.mean()), 4)
        in_use_score = round(float(per_request["model in use"].mean()), 4)
    return {
        "seed": seed,
        "feedback_requests": len(examples),
        "train": len(train_rows),
        "stop": len(stop_rows),
        "gate": len(gate_rows),
        "model_in_use": in_use_score,
        "rows": rows,
    }


def markdown(result: dict, details: dict) -> str:
    lines = [
        "# Closed-loop training levers, on the gate's validation requests only",
        "",
        f"`nice -n 19 .venv/bin/python bench/bench_loop_levers.py --seed {result['seed']}`: round 1 of the closed "
        f"loop's conversations; {result['feedback_requests']} feedback requests ({result['train']} train, "
        f"{result['stop']} early stopping, {result['gate']} gate); each retrained model fine-tuned from the model in "
        f"use (gate NDCG@10 {result['model_in_use']}), catalogue requests replayed.",
        "",
        "| feedback rows' weight (repeats) | fine-tuning learning rate | gate NDCG@10 | best epoch | gain over the "
        "app's default (weight 1, lr 0.001) | noise margin |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['weight']} | {row['lr']:g} | {row['gate_ndcg@10']} | {row['best_epoch']} | "
            f"{row['gain_vs_default']:+.4f} | {row['noise_vs_default']} |"
        )
    return "\n".join(lines) + "\n\n" + machine_markdown(details) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    details = machine(torch_threads=1)
    result = measure(args.seed)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "loop-levers.json").write_text(json.dumps({**result, "machine": details}, indent=2) + "\n")
    (RESULTS / "loop-levers.md").write_text(markdown(result, details))
    print(markdown(result, details))


if __name__ == "__main__":
    main()
