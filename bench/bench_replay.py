"""What a replay costs (run by hand): the time a replica takes to rebuild a conversation from its stored transcript
(`chat/replay.py`), against the conversation's own turns, at 4 to 32 turns, on the built-in demo catalogue.

    flock /tmp/bench.lock .venv/bin/python bench/bench_replay.py --data-dir DIR [--repeats 20]

DIR is a data folder holding the built demo (made by a first `python app.py`, or `build_app`, there); it is copied,
never written. Each conversation cycles through refinements, a page past the cards, a question about a card and
"go back"; its turns are timed as they are answered, then its transcript is replayed `repeats` times on a fresh
conversation (the replay's searches run through the same recommender, the cards are pinned from the transcript).
Writes bench/results/replay.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import torch
from machine import machine, machine_markdown

from chat.conversation import Conversation
from chat.replay import replay
from chat.serve.build import build_app
from chat.serve.settings import AppSettings

RESULTS = Path(__file__).resolve().parent / "results"
MESSAGES = (
    "a summer dress",
    "in blue",
    "under 80",
    "show me more",
    "is the second one machine washable?",
    "go back",
    "sporty sneakers",
    "in white",
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(app, turns: int, repeats: int) -> dict:
    live = Conversation(k=app.settings.top_k)
    turn_ms = []
    for n in range(turns):
        start = time.perf_counter()
        live.respond(MESSAGES[n % len(MESSAGES)], app.recommender)
        turn_ms.append((time.perf_counter() - start) * 1000)
    stored = live.transcript()
    replay_ms = []
    for _ in range(repeats):
        start = time.perf_counter()
        replay(stored, Conversation(k=live.k), app.recommender, app.recommender.items.get)
        replay_ms.append((time.perf_counter() - start) * 1000)
    return {
        "turns": turns,
        "transcript_kb": round(len(json.dumps(stored)) / 1024, 1),
        "turn_median_ms": round(statistics.median(turn_ms), 1),
        "replay_median_ms": round(statistics.median(replay_ms), 1),
        "replay_p95_ms": round(percentile(replay_ms, 0.95), 1),
        "replay_over_turn": round(statistics.median(replay_ms) / statistics.median(turn_ms), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--turns", type=int, nargs="+", default=[4, 8, 16, 32])
    args = parser.parse_args()
    torch.set_num_threads(1)
    details = machine(torch_threads=1)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        shutil.copytree(args.data_dir, data_dir)
        settings = AppSettings.from_env({"WHISPERLITE_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"})
        app = build_app(settings, progress=False)
        Conversation().respond(MESSAGES[0], app.recommender)  # the encoder's first forward is not a turn's
        rows = [measure(app, turns, args.repeats) for turns in args.turns]
    results = {"machine": details, "load_average_at_end": [round(v, 2) for v in os.getloadavg()], "rows": rows}
    (RESULTS / "replay.json").write_text(json.dumps(results, indent=2) + "\n")
    table = "\n".join(
        f"| {r['turns']} | {r['transcript_kb']} | {r['turn_median_ms']} | {r['replay_median_ms']} | "
        f"{r['replay_p95_ms']} | {r['replay_over_turn']} |"
        for r in rows
    )
    (RESULTS / "replay.md").write_text(
        "# Replaying a stored conversation\n\n"
        f"A conversation of N turns on the demo catalogue ({app.items.count()} items, in-memory index, the trained "
        f"demo model), then its transcript replayed {args.repeats} times on a fresh conversation, as a replica "
        "holding no state for the page does before it answers (`chat/replay.py`).\n\n"
        "| turns | transcript KB | one turn, median ms | replay, median ms | replay, p95 ms | replay / turn |\n"
        f"|---|---|---|---|---|---|\n{table}\n\n"
        f"{machine_markdown(details)} Load average at end: {results['load_average_at_end']}.\n"
    )
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
