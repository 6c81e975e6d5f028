"""argparse face of the evaluation, shared by `python -m ranker.evaluate` and `whisperlite evaluate`."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from ranker.datasets.registry import DATASETS, DatasetSource
from ranker.datasets.semi_synthetic import SemiSyntheticConfig
from ranker.evaluate.config import SYSTEMS, EvalConfig
from ranker.evaluate.protocols import PROTOCOLS
from ranker.evaluate.whisperlite import WhisperLiteGrid

# `--protocol paper|full`, the names the README and the issue use, for the named protocols they stand for
PROTOCOL_GROUPS = {"paper": ("paper@10cands", "paper@10cands-temporal"), "full": ("full-catalogue",)}


def add_evaluate_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = EvalConfig()
    parser.add_argument("--dataset", choices=DATASETS, default="movielens")
    parser.add_argument("--paths", nargs="*", type=Path, default=[], help="reader inputs (see DatasetSource)")
    parser.add_argument("--data-root", type=Path, default=DatasetSource().data_root)
    parser.add_argument(
        "--protocol",
        choices=sorted(PROTOCOL_GROUPS),
        help="paper: 10 candidates (random and time splits); full: the whole catalogue (overrides --protocols)",
    )
    parser.add_argument("--protocols", nargs="+", choices=list(PROTOCOLS), default=list(defaults.protocols))
    parser.add_argument("--systems", nargs="+", choices=SYSTEMS, default=list(defaults.systems))
    parser.add_argument("--seeds", nargs="+", type=int, default=list(defaults.seeds))
    parser.add_argument("--history-max", type=int, default=defaults.grid.history_max)
    parser.add_argument("--min-history", type=int, default=defaults.min_history)
    parser.add_argument("--max-examples", type=int, default=None)
    parser.add_argument("--epochs", type=int, default=defaults.grid.epochs, help="ceiling; early stopping on val")
    parser.add_argument("--lrs", nargs="+", type=float, default=list(defaults.grid.lrs), help="validation grid")
    parser.add_argument("--shoppers", type=int, default=SemiSyntheticConfig().shoppers, help="fashion-semi only")
    parser.add_argument("--catalogue-size", type=int, default=SemiSyntheticConfig().catalogue_size)
    parser.add_argument("--cache-dir", type=Path, default=defaults.cache_dir)
    parser.add_argument("--out", type=Path, default=Path("docs/results/latest"))


def eval_config_from_args(args: argparse.Namespace) -> EvalConfig:
    semi = replace(SemiSyntheticConfig(), shoppers=args.shoppers, catalogue_size=args.catalogue_size)
    return EvalConfig(
        source=DatasetSource(args.dataset, tuple(args.paths), args.data_root, semi),
        protocols=PROTOCOL_GROUPS[args.protocol] if args.protocol else tuple(args.protocols),
        systems=tuple(args.systems),
        seeds=tuple(args.seeds),
        min_history=args.min_history,
        max_examples=args.max_examples,
        cache_dir=args.cache_dir,
        grid=WhisperLiteGrid.preset(epochs=args.epochs, lrs=tuple(args.lrs), history_max=args.history_max),
    )
