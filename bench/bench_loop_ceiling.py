"""Closed-loop ceiling (run by hand): how far could a cold-start ranking rise by knowing the hidden taste exactly?

    .venv/bin/python bench/bench_loop_ceiling.py --seed 0

A diagnostic, not a system: on the closed loop's own held-out requests (`chat.evaluate.closed_loop`, the same
draws for the same seed), the frozen similarity is leaned by the simulator's hidden truth itself: `w` standard
deviations for items of the clientele's favourite brands, items of its avoided material last, and optionally `c`
for the held-out shopper's own favourite colours (what only that shopper's history could tell). The weights are
read off the test requests, so each row is an upper bound for what learning that part of the taste can add, to
compare with the loop's +10% target over round 0 (docs/results.md, "Learning from the chat"). Writes
bench/results/loop-ceiling.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

import numpy as np
import torch
from machine import machine, machine_markdown

from chat.evaluate.closed_loop import LoopConfig, held_out_requests
from chat.serve.build import read_catalog
from chat.serve.feedback_training import standardised
from chat.serve.settings import AppSettings
from ranker.encoders import load_encoder
from ranker.evaluate.evaluator import RankingEvaluator
from ranker.simulate.hidden_taste import draw_clientele, draw_shoppers
from store.ingest import embed_items

RESULTS = Path(__file__).resolve().parents[1] / "bench" / "results"
BRAND_WEIGHTS = (0.25, 0.5, 1.0, 1.5, 2.0)
COLOUR_WEIGHTS = (0.25, 0.5, 1.0)
LAST = 10.0  # standard deviations: an avoided material's items rank after every other


def measure(seed: int) -> dict:
    config = LoopConfig(seed=seed)
    with tempfile.TemporaryDirectory(prefix="loop-ceiling-") as folder:
        settings = AppSettings.from_env().with_data_dir(Path(folder))  # the demo catalogue, as the loop builds it
        items = read_catalog(settings).items
        encoder = load_encoder(settings.encoder)
        _, vectors, _ = embed_items(items, encoder)
    rng = random.Random(seed)  # the loop's draws, in the loop's order
    clientele = draw_clientele(items, rng)
    draw_shoppers(clientele, items, config.shoppers, rng)
    held_shoppers = draw_shoppers(clientele, items, config.shoppers, rng, prefix="held-out")
    held_out = held_out_requests(held_shoppers, items, config.held_out, encoder.encode_text, rng)
    frozen = standardised(held_out.requests @ np.asarray(vectors, dtype=np.float32).T)
    brand = np.array([item.brand in clientele.brands for item in items], dtype=np.float32)
    avoided = np.array([item.material in clientele.avoided_materials for item in items], dtype=np.float32)
    shopper_of = [held_shoppers[n % len(held_shoppers)] for n in range(config.held_out)]
    colour = np.array([[item.colour in s.colours for item in items] for s in shopper_of], dtype=np.float32)
    evaluator = RankingEvaluator()

    def ndcg(scores: np.ndarray) -> float:
        return round(evaluator.evaluate_scores(scores, held_out.targets)[evaluator.primary_metric], 4)

    rows = [{"brands": 0.0, "colours": 0.0, "ndcg@10": ndcg(frozen)}]
    rows += [{"brands": w, "colours": 0.0, "ndcg@10": ndcg(frozen + w * brand - LAST * avoided)} for w in BRAND_WEIGHTS]
    rows += [
        {"brands": w, "colours": c, "ndcg@10": ndcg(frozen + w * brand + c * colour - LAST * avoided)}
        for w in BRAND_WEIGHTS
        for c in COLOUR_WEIGHTS
    ]
    return {"seed": seed, "items": len(items), "held_out": config.held_out, "rows": rows}


def markdown(result: dict, details: dict) -> str:
    lines = [
        "# Closed-loop ceiling: the frozen similarity leaned by the hidden taste itself (an upper bound)",
        "",
        f"`python bench/bench_loop_ceiling.py --seed {result['seed']}`: {result['held_out']} held-out requests of the "
        f"closed loop, {result['items']} demo items; weights read off these requests.",
        "",
        "| lean on favourite brands (SD) | lean on the shopper's colours (SD) | NDCG@10 |",
        "| --- | --- | --- |",
        *(f"| {r['brands']} | {r['colours']} | {r['ndcg@10']:.4f} |" for r in result["rows"]),
        "",
        machine_markdown(details),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=LoopConfig().seed)
    args = parser.parse_args()
    torch.set_num_threads(1)
    result, details = measure(args.seed), machine(torch_threads=1)
    (RESULTS / "loop-ceiling.json").write_text(json.dumps({"machine": details, **result}, indent=2) + "\n")
    (RESULTS / "loop-ceiling.md").write_text(markdown(result, details))


if __name__ == "__main__":
    main()
