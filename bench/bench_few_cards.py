"""Few-cards benchmark (run by hand): the in-process cost of a turn that shows fewer cards than a page.

    .venv/bin/python bench/bench_few_cards.py --data-dir /tmp/few-cards [--rounds 30] [--label after]
    PYTHONPATH=/path/to/an/older/checkout .venv/bin/python bench/bench_few_cards.py --data-dir ... --label before

Such a turn (or one that shows none) searches again for each constraint it could offer to drop, newest first
(`Conversation._widening`, `_culprit`). The demo app is built in-process in `--data-dir` (the first run builds and
trains it; later runs, of either version, reuse it), and each scripted conversation below is answered `--rounds`
times through `Conversation.respond`, as a guest. The catalogue is the environment's (`WHISPERLITE_CATALOG`...):
labels `kaggle-before` / `kaggle-after` measure the Kaggle photos. The encoder's cache is warm after the first
round, so a turn's time is the app's own work, not an encoder forward. Writes bench/results/few-cards.{json,md},
one entry per label.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from machine import machine, machine_markdown

from chat.conversation import Conversation
from chat.serve.build import build_app
from chat.serve.settings import AppSettings

RESULTS = Path(__file__).resolve().parents[1] / "bench" / "results"
CONVERSATIONS = (  # each ends in a turn with fewer cards than a page, or none, on the demo catalogue
    ("a light summer dress for a beach wedding", "in blue"),
    ("a blue cotton dress under $60",),
    ("sporty sneakers under $120", "in red", "made of leather"),
    ("an evening bag, no leather", "in green", "under $30"),
)


def measure(rounds: int, data_dir: Path) -> dict:
    app = build_app(AppSettings.from_env().with_data_dir(data_dir), progress=False)
    last_turns, cards = [], []
    for _ in range(rounds + 1):  # the first round warms the encoder's cache and is not counted
        times = []
        for messages in CONVERSATIONS:
            conversation = Conversation()
            for message in messages[:-1]:
                conversation.respond(message, app.recommender)
            started = time.perf_counter()
            turn = conversation.respond(messages[-1], app.recommender)
            times.append((time.perf_counter() - started) * 1000)
            cards.append(len(turn.cards))
        last_turns.append(times)
    counted = [ms for times in last_turns[1:] for ms in times]
    per_conversation = [statistics.median(times[n] for times in last_turns[1:]) for n in range(len(CONVERSATIONS))]
    return {
        "machine": machine(),
        "rounds": rounds,
        "turns": len(counted),
        "median_ms": round(statistics.median(counted), 2),
        "p95_ms": round(sorted(counted)[int(0.95 * (len(counted) - 1))], 2),
        "median_ms_per_conversation": [round(ms, 2) for ms in per_conversation],
        "cards_per_conversation": cards[: len(CONVERSATIONS)],
    }


def to_markdown(runs: dict[str, dict]) -> str:
    lines = ["# A turn that shows fewer cards than a page, in-process, as a guest", ""]
    for label, run in runs.items():
        lines += [f"## {label}", "", machine_markdown(run["machine"]), ""]
        lines += [f"{run['turns']} timed turns: median **{run['median_ms']} ms**, p95 {run['p95_ms']} ms.", ""]
        lines += ["| conversation (its last turn is timed) | cards shown | median ms |", "| --- | --- | --- |"]
        for messages, shown, ms in zip(
            CONVERSATIONS, run["cards_per_conversation"], run["median_ms_per_conversation"], strict=True
        ):
            lines.append(f"| {' → '.join(messages)} | {shown} | {ms} |")
        lines.append("")
    for label, run in runs.items():
        before = runs.get(label.removesuffix("after") + "before")
        if label.endswith("after") and before:
            ratio = before["median_ms"] / run["median_ms"]
            lines.append(f"- {label.removesuffix('after') or 'demo '}before / after, median: {ratio:.2f}x")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="the demo app's data folder (built if empty)")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--label", default="after", help="the version measured, e.g. before or after a change")
    args = parser.parse_args()
    path = RESULTS / "few-cards.json"
    runs = json.loads(path.read_text()) if path.is_file() else {}
    runs[args.label] = measure(args.rounds, args.data_dir)
    path.write_text(json.dumps(runs, indent=2) + "\n")
    (RESULTS / "few-cards.md").write_text(to_markdown(runs))
    print(to_markdown({args.label: runs[args.label]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
