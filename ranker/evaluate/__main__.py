"""python -m ranker.evaluate --dataset movielens --min-history 5 --out docs/results/movielens"""

from __future__ import annotations

import argparse

import torch

from ranker.evaluate.cli_args import add_evaluate_arguments, eval_config_from_args
from ranker.evaluate.runner import run_evaluation


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m ranker.evaluate", description=__doc__)
    add_evaluate_arguments(parser)
    args = parser.parse_args()
    torch.set_num_threads(1)  # small matrices on 2 shared cores: one thread is several times faster than two
    report = run_evaluation(eval_config_from_args(args), args.out)
    print(report.to_markdown(per_user=False))


if __name__ == "__main__":
    main()
