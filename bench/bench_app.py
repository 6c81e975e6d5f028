"""App start and memory benchmark (run by hand): cold and warm `build_app`, peak RSS after start and 100 turns.

    .venv/bin/python bench/bench_app.py [--turns 100]

Each start runs in its own subprocess, as `python app.py` would: a cold start on an empty data folder (generate
the demo catalogue and its pictures, embed it, train the demo model) and a warm start on the same folder. torch
threads as the app had them when measured: the demo model trains with torch's default, turns run on 1 thread.
Writes bench/results/app.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import machine, machine_markdown

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
TARGET_WARM_SECONDS = 20.0
TARGET_PEAK_RSS_MB = 1536.0
MESSAGES = (
    "a light summer dress for a beach wedding",
    "in blue",
    "sporty sneakers under $120",
    "a tailored navy blazer for the office",
    "an evening bag, no leather",
    "more like the second one",
    "cheaper",
    "start over",
)
SHOPPERS = (None, "maya", "leo", "grace", "nina")


def child(data_dir: str, turns: int) -> None:
    """Runs in the subprocess: build the app, then `turns` turns; prints one JSON line."""
    import resource

    import psutil
    import torch

    started = time.perf_counter()
    from chat.conversation import Conversation
    from chat.serve.build import build_app
    from chat.serve.settings import AppSettings
    from chat.web.cards import card_json, cards_html

    imported = time.perf_counter()
    app = build_app(AppSettings.from_env({"WHISPERLITE_DATA_DIR": data_dir}), progress=False)
    built = time.perf_counter()
    torch.set_num_threads(1)
    process = psutil.Process()
    after_start = {"rss_mb": process.memory_info().rss / 2**20, "peak_rss_mb": _peak_mb(resource)}
    conversation = None
    for n in range(turns):
        if n % len(MESSAGES) == 0:
            conversation = Conversation(user_id=SHOPPERS[(n // len(MESSAGES)) % len(SHOPPERS)])
        turn = conversation.respond(MESSAGES[n % len(MESSAGES)], app.recommender)
        cards_html(turn.cards)
        [card_json(card) for card in turn.cards]
        if turn.cards and n % 3 == 0:
            conversation.feedback(1, "like", app.users)
    finished = time.perf_counter()
    result = {
        "import_seconds": round(imported - started, 2),
        "build_app_seconds": round(built - imported, 2),
        "turns": turns,
        "turns_seconds": round(finished - built, 2),
        "after_start": {key: round(value, 1) for key, value in after_start.items()},
        "after_turns": {
            "rss_mb": round(process.memory_info().rss / 2**20, 1),
            "peak_rss_mb": round(_peak_mb(resource), 1),
        },
        "model_info": {key: value for key, value in app.model_info.items() if key != "checkpoint"},
    }
    print("RESULT " + json.dumps(result), flush=True)


def _peak_mb(resource) -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def run_start(label: str, data_dir: Path, turns: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WHISPERLITE_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(data_dir), "--turns", str(turns)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{label} start failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result = {"start": label, "process_wall_seconds": round(wall, 1), **json.loads(lines[-1][len("RESULT ") :])}
    print(result, flush=True)
    return result


def to_markdown(report: dict) -> str:
    lines = [
        "# App start and memory",
        "",
        machine_markdown(report["machine"]),
        "",
        "Built-in demo (480 items, offline MiniLM, demo model), each start in its own subprocess; after the start, "
        f"{report['turns']} turns through `Conversation.respond` (guest and the four demo shoppers, likes on every "
        "third turn) plus the cards' HTML and JSON.",
        "",
        "| start | imports s | `build_app` s | whole process s | RSS after start MB | peak RSS after start MB | "
        "peak RSS after turns MB | turns s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in report["starts"]:
        lines.append(
            f"| {row['start']} | {row['import_seconds']} | {row['build_app_seconds']} | "
            f"{row['process_wall_seconds']} | "
            f"{row['after_start']['rss_mb']} | {row['after_start']['peak_rss_mb']} | "
            f"{row['after_turns']['peak_rss_mb']} | {row['turns_seconds']} |"
        )
    warm = next(row for row in report["starts"] if row["start"] == "warm")
    peak = max(row["after_turns"]["peak_rss_mb"] for row in report["starts"])
    warm_seconds = warm["import_seconds"] + warm["build_app_seconds"]
    lines += [
        "",
        f"Warm start (imports + `build_app`): {warm_seconds:.1f} s, target < {TARGET_WARM_SECONDS:.0f} s: "
        f"{'met' if warm_seconds < TARGET_WARM_SECONDS else 'MISSED'}. Peak RSS: {peak:.0f} MB, target < 1.5 GB: "
        f"{'met' if peak < TARGET_PEAK_RSS_MB else 'MISSED'}. The cold start includes generating the demo pictures, "
        "embedding the catalogue and training the demo model.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=100)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.turns)
        return
    details = machine(torch_threads=1)
    workdir = Path(tempfile.mkdtemp(prefix="bench-app-"))
    try:
        starts = [run_start(label, workdir / "data", args.turns) for label in ("cold", "warm")]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report = {"machine": details, "turns": args.turns, "starts": starts}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "app.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "app.md").write_text(to_markdown(report))
    print(to_markdown(report))


if __name__ == "__main__":
    main()
