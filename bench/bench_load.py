"""Load benchmark (run by hand): 20 concurrent sessions through `gradio_client` against a live app on loopback.

    .venv/bin/python bench/bench_load.py [--sessions 20] [--turns 5]

Starts `python app.py` on a free loopback port with a fresh data folder (the first start builds the demo), then
runs one session alone (the unloaded baseline) and `sessions` sessions at once, one `Client` and one thread each,
`turns` turns each; every request is bounded by the run's deadline. Writes bench/results/load.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from machine import machine, machine_markdown

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
SHOPPERS = ("guest", "maya", "leo", "grace", "nina")
MESSAGES = (
    "a light summer dress for a beach wedding",
    "in blue",
    "sporty sneakers under $120",
    "more like the second one",
    "an evening bag, no leather",
)


def session(url: str, shopper: str, turns: int) -> dict:
    from chat.scripted.runner import LiveSession

    started = time.perf_counter()
    live = LiveSession(url, shopper)
    connect = time.perf_counter() - started
    latencies, errors = [], []
    for n in range(turns):
        turn_started = time.perf_counter()
        try:
            answer = live.say(MESSAGES[n % len(MESSAGES)])
            if answer.get("error"):
                errors.append(answer["error"])
        except Exception as error:  # a failed request is a result here, not a crash of the benchmark
            errors.append(f"{type(error).__name__}: {error}")
        latencies.append((time.perf_counter() - turn_started) * 1000)
    return {"shopper": shopper, "connect_ms": connect * 1000, "latencies_ms": latencies, "errors": errors}


def summarise(results: list[dict], seconds: float) -> dict:
    latencies = [value for result in results for value in result["latencies_ms"]]
    return {
        "sessions": len(results),
        "turns": len(latencies),
        "errors": [error for result in results for error in result["errors"]],
        "wall_seconds": round(seconds, 1),
        "turns_per_second": round(len(latencies) / seconds, 2),
        "p50_ms": round(float(np.percentile(latencies, 50)), 1),
        "p95_ms": round(float(np.percentile(latencies, 95)), 1),
        "max_ms": round(max(latencies), 1),
        "connect_p50_ms": round(float(np.percentile([r["connect_ms"] for r in results], 50)), 1),
    }


def run(url: str, sessions: int, turns: int) -> dict:
    started = time.perf_counter()
    alone = [session(url, "maya", turns)]
    baseline = summarise(alone, time.perf_counter() - started)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=sessions) as pool:
        futures = [pool.submit(session, url, SHOPPERS[n % len(SHOPPERS)], turns) for n in range(sessions)]
        results = [future.result(timeout=600) for future in futures]
    return {"alone": baseline, "concurrent": summarise(results, time.perf_counter() - started)}


def to_markdown(report: dict) -> str:
    lines = [
        "# Load: concurrent sessions against a live app",
        "",
        machine_markdown(report["machine"]),
        "",
        f"`python app.py` (built-in demo, queue concurrency limit 4) on loopback; the load generator (one "
        f"`gradio_client.Client` and thread per session) runs on the same 2 cores. {report['turns']} turns per "
        "session; the demo shoppers and guests in turn. Latency is per `/turn` call as the client sees it.",
        "",
        "| run | sessions | turns | errors | wall s | turns/s | p50 ms | p95 ms | max ms | client connect p50 ms |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label in ("alone", "concurrent"):
        row = report[label]
        lines.append(
            f"| {label} | {row['sessions']} | {row['turns']} | {len(row['errors'])} | {row['wall_seconds']} | "
            f"{row['turns_per_second']} | {row['p50_ms']} | {row['p95_ms']} | {row['max_ms']} | "
            f"{row['connect_p50_ms']} |"
        )
    if report["concurrent"]["errors"]:
        lines += ["", "Errors:", *[f"- {error}" for error in report["concurrent"]["errors"][:10]]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--turns", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "tests"))
    from app_server import app_env, start_server

    details = machine(torch_threads=1)
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    server = start_server(app_env(WHISPERLITE_DATA_DIR=str(workdir / "data")), workdir / "server.log")
    try:
        url = next(server)
        report = {"machine": details, "turns": args.turns, **run(url, args.sessions, args.turns)}
    finally:
        server.close()
        shutil.rmtree(workdir, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "load.md").write_text(to_markdown(report))
    print(to_markdown(report))


if __name__ == "__main__":
    main()
