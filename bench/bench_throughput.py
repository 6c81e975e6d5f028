"""Throughput benchmark (run by hand): 20 sessions on one running app through the lean HTTP API, turns/s and p95.

    .venv/bin/python bench/bench_throughput.py [--rate 55] [--turns 600] [--before /path/to/an/older/checkout]
                                               [--kaggle /work/shared/data/fashion-product-images --photos 2000]

Two load models, because a closed loop alone cannot meet both targets by construction (Little's law: 20 sessions
with no pause at 50 turns/s is a 400 ms mean wait, whatever the app does):
- `open`: turns arrive at a fixed rate (`--rate`, >= 50 turns/s, one every 1/rate s), each taken by the next of
  20 sessions that is free (a session never runs two turns at once, as a shopper would not); a turn's time runs
  from its scheduled arrival, so a turn kept waiting for a free session counts its wait (no coordinated
  omission). This is the target's load: shoppers arriving at 50 turns/s, each waiting for their answer.
- `closed`: 20 sessions each sending the next turn as soon as the last is answered (no think time): the
  ceiling of turns/s, and its p95, comparable with bench/results/live.md's `concurrent_http`.
The load generator (threads with httpx) shares the app's 2 cores. Writes bench/results/throughput.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import threading
import time
from pathlib import Path

from bench_live import MESSAGES, SHOPPERS, HttpSession, each_run, percentiles
from machine import machine, machine_markdown

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
TARGET_P95_MS, TARGET_TURNS_PER_SECOND = 400.0, 50.0


def open_loop(url: str, sessions: int, rate: float, turns: int) -> dict:
    """`turns` turns arriving every 1/`rate` s, each run by the next free one of `sessions` sessions."""
    arrivals: queue.Queue[tuple[int, float] | None] = queue.Queue()
    start = time.perf_counter() + 0.5
    for n in range(turns):
        arrivals.put((n, start + n / rate))
    latencies, errors, lock = [], [], threading.Lock()

    def work(shopper: str) -> None:
        session = HttpSession(url, shopper)
        while (arrival := arrivals.get_nowait() if not arrivals.empty() else None) is not None:
            n, due = arrival
            time.sleep(max(0.0, due - time.perf_counter()))
            try:
                answer = session.say(MESSAGES[n % len(MESSAGES)])
                error = answer.get("error")
            except Exception as failure:
                error = f"{type(failure).__name__}: {failure}"
            with lock:
                latencies.append((time.perf_counter() - due) * 1000)
                errors.extend([error] if error else [])

    threads = [threading.Thread(target=work, args=(SHOPPERS[n % len(SHOPPERS)],)) for n in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    return {**_summary(latencies, errors, sessions, seconds), "offered_turns_per_second": rate}


def closed_loop(url: str, sessions: int, turns_each: int) -> dict:
    """`sessions` sessions of `turns_each` turns, each sent as soon as the last is answered."""
    latencies, errors, lock = [], [], threading.Lock()

    def work(shopper: str) -> None:
        session = HttpSession(url, shopper)
        for n in range(turns_each):
            started = time.perf_counter()
            try:
                error = session.say(MESSAGES[n % len(MESSAGES)]).get("error")
            except Exception as failure:
                error = f"{type(failure).__name__}: {failure}"
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                errors.extend([error] if error else [])

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(SHOPPERS[n % len(SHOPPERS)],)) for n in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return _summary(latencies, errors, sessions, time.perf_counter() - started)


def _summary(latencies: list[float], errors: list[str], sessions: int, seconds: float) -> dict:
    return {
        **percentiles(latencies),
        "sessions": sessions,
        "turns_per_second": round(len(latencies) / seconds, 1),
        "errors": len(errors),
        "first_errors": errors[:5],
        "load_average": os.getloadavg(),
    }


def measure(url: str, args) -> dict:
    HttpSession(url, "maya").say(MESSAGES[0])  # the first turn of a process warms its caches
    return {
        "open": open_loop(url, args.sessions, args.rate, args.turns),
        "closed": closed_loop(url, args.sessions, max(args.turns // args.sessions, 1)),
    }


def run(args) -> dict:
    report = {"machine": machine(torch_threads=1), "sessions": args.sessions, "rate": args.rate}
    return {**report, "runs": each_run(args, "bench-throughput-", lambda url, _label: measure(url, args))}


def to_markdown(report: dict) -> str:
    lines = [
        "# Throughput: 20 sessions through the lean HTTP API",
        "",
        machine_markdown(report["machine"]),
        "",
        f"`python app.py` on loopback, {report['sessions']} sessions, each turn one POST to `/gradio_api/run/turn`; "
        f"the load generator shares the 2 cores. `open`: a turn arrives every 1/{report['rate']:g} s and waits for "
        "a free session, timed from its scheduled arrival; `closed`: each session sends its next turn as soon as "
        "the last is answered (no think time). See the script's docstring for why both.",
        "",
        "| run | load | turns | p50 ms | p95 ms | max ms | turns/s | errors | load average after |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, run in report["runs"].items():
        for model, row in run.items():
            load = ", ".join(f"{value:.2f}" for value in row["load_average"])
            lines.append(
                f"| {label} | {model} | {row['turns']} | {row['p50_ms']} | {row['p95_ms']} | {row['max_ms']} | "
                f"{row['turns_per_second']} | {row['errors']} | {load} |"
            )
    lines += ["", "## Targets (p95 < 400 ms at >= 50 turns/s)", ""]
    for label, run in report["runs"].items():
        for model, row in run.items():
            met = row["p95_ms"] < TARGET_P95_MS and row["turns_per_second"] >= TARGET_TURNS_PER_SECOND
            lines.append(
                f"- {label} {model}: p95 {row['p95_ms']} ms at {row['turns_per_second']} turns/s: "
                f"{'met' if met else '**missed**'}"
            )
    for label, run in report["runs"].items():
        before = report["runs"].get(label.replace("-after", "-before"))
        if label.endswith("-after") and before:
            ratios = ", ".join(
                f"{model} p95 {before[model]['p95_ms'] / run[model]['p95_ms']:.2f}x, turns/s "
                f"{run[model]['turns_per_second'] / before[model]['turns_per_second']:.2f}x"
                for model in run
            )
            lines.append(f"- {label.removesuffix('-after')}, before / after (same run): {ratios}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rate", type=float, default=55.0, help="the open loop's arrivals, turns per second")
    parser.add_argument("--turns", type=int, default=600, help="turns per load model and run")
    parser.add_argument("--kaggle", default="", help="the Kaggle Fashion Product Images folder, for real photos")
    parser.add_argument("--photos", type=int, default=2000, help="how many photographed Kaggle items")
    parser.add_argument("--before", default="", help="an older checkout to measure beside this one")
    parser.add_argument("--out", default="throughput", help="the results' file name, without extension")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    report = run(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.out}.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / f"{args.out}.md").write_text(to_markdown(report))
    print(to_markdown(report))


if __name__ == "__main__":
    main()
