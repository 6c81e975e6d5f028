"""How much a request's history could tell about its target, before any model: the evidence for why history
adds little on a dataset (docs/results.md, "Why history adds little").

On the protocol's test requests, with the frozen encoder's vectors and the catalogue less each request's own
history (as the full-catalogue runs rank it):
- `neighbourhood in history`: share of targets with one of their `k` nearest catalogue items in the history,
  against the same share for a random catalogue item in the target's place (chance);
- `rank by history` and `rank by request`: the target's rank under the history's mean (history-only) and
  under the request (zero-shot); the share in the top 10 and 100, and how often history ranks it higher;
- every number for all requests, for the user with the most test requests, and for everyone else.

    python -m ranker.evaluate.history_signal --dataset movielens --min-history 5 --data-root ../shared/data \
        --out docs/results/movielens-history-signal
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ranker.data import Example
from ranker.datasets.registry import load_dataset
from ranker.encoders import SentenceEncoder
from ranker.evaluate.baselines import history_profiles
from ranker.evaluate.cli_args import add_evaluate_arguments, eval_config_from_args
from ranker.evaluate.config import EvalConfig
from ranker.evaluate.protocols import PROTOCOLS
from ranker.evaluate.runner import build_context, select_examples
from ranker.evaluate.systems import Context

NEIGHBOURS = (10, 100)


def target_ranks(scores: np.ndarray, targets: np.ndarray, excluded: Sequence[list[int]]) -> np.ndarray:
    """(n, N) scores, (n,) target columns, each row's excluded columns -> (n,) 1-based ranks of the targets
    among the columns not excluded (ties count against the target)."""
    ranks = np.empty(len(targets), dtype=np.int64)
    for row, (values, target) in enumerate(zip(scores, targets, strict=True)):
        kept = np.ones(len(values), dtype=bool)
        kept[excluded[row]] = False
        kept[target] = True
        ranks[row] = int((values[kept] >= values[target]).sum())
    return ranks


def neighbourhood_in_history(
    item_vectors: np.ndarray, anchors: np.ndarray, histories: Sequence[list[int]], k: int
) -> np.ndarray:
    """(N, D) unit item vectors, (n,) anchor items, their histories -> (n,) bool: one of the anchor's k
    nearest other items (by cosine) is in its history."""
    found = np.zeros(len(anchors), dtype=bool)
    for row, (anchor, history) in enumerate(zip(anchors, histories, strict=True)):
        if not history:
            continue
        similarity = item_vectors @ item_vectors[anchor]
        similarity[anchor] = -np.inf
        nearest = np.argpartition(-similarity, k)[:k]
        found[row] = bool(np.isin(nearest, history).any())
    return found


def signal_summary(
    examples: Sequence[Example], context: Context, seed: int = 0, neighbours: Sequence[int] = NEIGHBOURS
) -> dict:
    """The numbers of the module docstring for `examples` (one group)."""
    histories = [context.history_rows(example) for example in examples]
    targets = np.array([context.item_index[example.target] for example in examples])
    chance = np.random.default_rng(seed).integers(0, len(context.item_ids), len(examples))
    by_history = target_ranks(history_profiles(examples, context) @ context.item_vectors.T, targets, histories)
    by_request = target_ranks(context.requests(examples) @ context.item_vectors.T, targets, histories)
    summary: dict = {"requests": len(examples), "users": len({example.user for example in examples})}
    for k in neighbours:
        summary[f"neighbourhood in history, k={k}"] = float(
            neighbourhood_in_history(context.item_vectors, targets, histories, k).mean()
        )
        summary[f"chance, k={k}"] = float(neighbourhood_in_history(context.item_vectors, chance, histories, k).mean())
    for name, ranks in (("history", by_history), ("request", by_request)):
        summary[f"median rank by {name}"] = float(np.median(ranks))
        for cut in (10, 100):
            summary[f"top {cut} by {name}"] = float((ranks <= cut).mean())
    summary["history ranks the target higher"] = float((by_history < by_request).mean())
    return summary


def history_signal(config: EvalConfig, protocol: str = "full-catalogue", encoder=None) -> dict:
    """The summary on the protocol's test requests (first seed): all, the heaviest user, the others."""
    dataset = load_dataset(config.source)
    examples = select_examples(dataset.examples(config.grid.history_max), config)
    encoder = encoder or SentenceEncoder()
    context = build_context(dataset.items, examples, encoder, Path(config.cache_dir) / dataset.name)
    _, _, test = PROTOCOLS[protocol].split_examples(examples, config.seeds[0])
    heavy, count = Counter(example.user for example in test).most_common(1)[0]
    all_users = Counter(example.user for example in examples)
    return {
        "dataset": dataset.name,
        "protocol": protocol,
        "history_max": config.grid.history_max,
        "heaviest": {
            "user": heavy,
            "share of test requests": count / len(test),
            "share of all requests": all_users[heavy] / len(examples),
        },
        "all": signal_summary(test, context),
        "heaviest user": signal_summary([example for example in test if example.user == heavy], context),
        "others": signal_summary([example for example in test if example.user != heavy], context),
    }


GROUPS = ("all", "heaviest user", "others")


def signal_table(signal: dict) -> str:
    """Markdown: one row per number, one column per group."""
    heavy = signal["heaviest"]
    lines = [
        f"### What the history could tell: {signal['dataset']}, {signal['protocol']} test requests "
        f"(history ≤ {signal['history_max']})",
        "",
        f"The heaviest user ({heavy['user']}) asks {heavy['share of test requests']:.0%} of the test requests "
        f"and {heavy['share of all requests']:.0%} of all requests.",
        "",
        "| | " + " | ".join(GROUPS) + " |",
        "|---|" + "---|" * len(GROUPS),
    ]
    for key in signal["all"]:
        values = [signal[group][key] for group in GROUPS]
        whole = key in ("requests", "users") or key.startswith("median")
        shown = [f"{value:.0f}" if whole else f"{value:.3f}" for value in values]
        lines.append(f"| {key} | " + " | ".join(shown) + " |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_evaluate_arguments(parser)
    args = parser.parse_args(argv)
    signal = history_signal(eval_config_from_args(args))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(signal, indent=2) + "\n")
    (args.out / "results.md").write_text(signal_table(signal))
    print(signal_table(signal))


if __name__ == "__main__":
    main()
