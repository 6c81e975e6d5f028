"""A 100k-item app, end to end (run by hand): start times, peak RSS and live turn latency through the HTTP API.

    flock /tmp/bench.lock .venv/bin/python bench/bench_app_100k.py [--items 100000] [--turns 50]
        [--workdir /tmp/bench-app-100k] [--before /path/to/an/older/checkout]

1. Writes the demo catalogue's first `items` items without pictures as a JSONL catalogue (the `jsonl` source).
2. Starts the real app (`python app.py`, a free loopback port, its own data folder under `workdir`) on it: the
   first start (ingest with the offline MiniLM, the demo model's training) and then a warm start; the time until
   the page answers, and the process's peak RSS (VmHWM) after start and after the turns.
3. One session (`gradio_client`, shopper Maya): `turns` turns of requests and refinements through `/turn`,
   after 5 untimed warm-up turns, then `turns` plain HTTP posts to `/gradio_api/run/turn` (bench/bench_live.py);
   then the same on the built-in demo (480 items) in the same run, for the ratio. With `--before`, the 100k warm
   start and turns run first with the older checkout's app on the same data folder, for before/after ratios.
4. In a child process, the app's parts built one by one at 100k with the RSS after each, and the same turns
   in-process (the handlers without the server), so the web layer's share shows.

The first start is slow (40 min or more of MiniLM here; bench/app_100k_vectors.py fills the data folder with
pool vectors instead), so `workdir` is kept: a later run finds the data folder ingested
and re-uses the first start measured then (saved in `workdir/first-start.json`), saying so.
Writes bench/results/app-100k.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from bench_live import alone, percentiles
from machine import machine, machine_markdown

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
TARGET_PEAK_RSS_MB = 1536.0
TARGET_P95_100K_MS = 100.0
TARGET_P95_DEMO_MS = 60.0
WARM_UP_TURNS = 5
SHOPPER = "maya"
# five-turn conversations in the demo's words: a request, then refinements (colour, price, relation, "more like")
CONVERSATIONS = (
    ("a light summer dress for a beach wedding", "in blue", "under $90", "more like the second one", "in linen"),
    ("sporty sneakers under $120", "in white", "cheaper", "more like the first one", "running shoes instead"),
    ("an evening bag, no leather", "in black", "a clutch", "more elegant", "show me more"),
    ("a warm wool coat for winter", "in grey", "darker", "under $250", "more like the third one"),
    ("jeans for the weekend", "in black", "something else", "a denim jacket", "not blue"),
    ("a silk blouse for the office", "in white", "more formal", "under $80", "more like the first one"),
    ("a sun hat for the beach", "in beige", "cheaper", "a beach bag", "with stripes"),
    ("leggings for yoga class", "in navy", "under $50", "a hoodie", "more colourful"),
    ("high heels for a gala dinner", "in red", "lighter", "under $150", "more like the second one"),
    ("a tailored navy blazer for business meetings", "in wool", "cheaper", "a pencil skirt", "in grey"),
)


def memory_mb(pid: int) -> dict[str, float]:
    """The process's resident set now (VmRSS) and its peak so far (VmHWM), MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {
        "peak_rss_mb": round(int(fields["VmHWM"].split()[0]) / 1024, 1),
        "rss_mb": round(int(fields["VmRSS"].split()[0]) / 1024, 1),
    }


def app_pid() -> int:
    """The one `app.py` this process started (`app_server.start_server` yields only its URL)."""
    me = str(os.getpid())
    for status in Path("/proc").glob("[0-9]*/status"):
        fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        if fields.get("PPid", "").strip() == me and "app.py" in (status.parent / "cmdline").read_text():
            return int(status.parent.name)
    raise RuntimeError("no app.py started by this process")


@contextmanager
def running_app(env: dict[str, str], log_path: Path, timeout: float, checkout: Path = REPO):
    """`python app.py` of `checkout` on a free loopback port; yields (url, pid, seconds until the page answered)."""
    from app_server import start_server

    command = (sys.executable, str(checkout / "app.py"))
    started = time.perf_counter()
    server = start_server({**env, "PYTHONPATH": str(checkout)}, log_path, command, checkout, timeout)
    try:
        url = next(server)
        yield url, app_pid(), time.perf_counter() - started
    finally:
        server.close()


def one_session(open_session, turns: int) -> dict:
    """`turns` timed turns of the conversations in order (a new conversation after each five), after untimed
    warm-up turns; counts errors and answers without cards."""
    session = open_session(SHOPPER)
    messages = [message for conversation in CONVERSATIONS for message in conversation]
    for message in messages[:WARM_UP_TURNS]:
        session.say(message)
    session.start_over()
    latencies, errors, without_cards, cards = [], [], [], []
    for n in range(turns):
        if n and n % 5 == 0:
            session.start_over()
        message = messages[n % len(messages)]
        started = time.perf_counter()
        answer = session.say(message)
        latencies.append((time.perf_counter() - started) * 1000)
        if answer.get("error"):
            errors.append(f"{message!r}: {answer['error']}")
        shown = len(answer.get("cards") or [])
        cards.append(shown)
        if not shown:
            without_cards.append(message)
    return {
        **percentiles(latencies),
        "errors": errors,
        "without_cards": without_cards,
        "cards_mean": float(np.mean(cards)),
    }


def live_turns(url: str, pid: int, turns: int) -> dict:
    from chat.scripted.runner import live

    result = one_session(live(url), turns)
    return {**result, "http": alone(url, "http", turns), **memory_after("turns", pid)}


def memory_after(step: str, pid: int) -> dict[str, float]:
    return {f"{key[:-3]}_after_{step}_mb": value for key, value in memory_mb(pid).items()}


def app_env(**variables: str) -> dict[str, str]:
    from app_server import app_env as clean_env

    # one session's 50 turns come faster than a shopper's 30 a minute: the rate limit would answer half of them
    return clean_env(
        HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", WHISPERLITE_RATE_TURNS_PER_SESSION="100000", **variables
    )


def catalogue(workdir: Path, items: int) -> dict:
    from store.catalogs.demo import write_text_only_demo_catalog

    path = workdir / "catalog" / f"shop-{items}.jsonl"
    seconds = None
    if not path.is_file():
        started = time.perf_counter()
        write_text_only_demo_catalog(path, items)
        seconds = round(time.perf_counter() - started, 1)
    return {"path": str(path), "items": items, "mb": round(path.stat().st_size / 2**20, 1), "written_s": seconds}


def settle(log_path: Path) -> None:
    """Until a first start's work after its page is up (the demo model, the thumbnails) has ended: stopped
    before, the next start would find no model registered and train one while its turns are measured, and its
    "peak RSS after turns" would be a training's."""
    from app_server import wait_until_settled

    wait_until_settled(log_path, timeout=7200)


def first_start(env: dict[str, str], workdir: Path) -> dict:
    """Measured once per workdir: the data folder it leaves is what warm starts use."""
    record = workdir / "first-start.json"
    if record.is_file():
        return {**json.loads(record.read_text()), "measured": "in an earlier run of this bench (re-used)"}
    with running_app(env, workdir / "first-start.log", timeout=7200) as (_url, pid, seconds):
        result = {"seconds": round(seconds, 1), **memory_after("start", pid)}
        settle(workdir / "first-start.log")
        result |= {
            "log_times": start_log_times(workdir / "first-start.log"),
            "load_average_after": [round(value, 2) for value in os.getloadavg()],
        }
    record.write_text(json.dumps(result, indent=2) + "\n")
    return {**result, "measured": "in this run"}


def start_log_times(log_path: Path) -> list[str]:
    """The app's own log lines (timestamped) about the start's steps, to place the ingest and training."""
    keep = ("item store:", "no model registered", "training", "served:", "kept aside", "serving zero-shot", "Running")
    lines = log_path.read_text(errors="replace").replace("\r", "\n").splitlines()
    return [line.strip()[:200] for line in lines if any(word in line for word in keep)]


def warm_start_and_turns(env: dict[str, str], log_path: Path, label: str, turns: int, checkout: Path = REPO) -> dict:
    with running_app(env, log_path, 1800, checkout) as (url, pid, seconds):
        start = {"seconds": round(seconds, 1), **memory_after("start", pid)}
        print(f"{label}: up in {seconds:.1f} s, peak RSS {start['peak_rss_after_start_mb']} MB", flush=True)
        return {"start": start, "turns": live_turns(url, pid, turns), "load_average": list(os.getloadavg())}


def breakdown(env: dict[str, str], turns: int) -> dict:
    """In a child process: the app's parts built one by one with the RSS after each, then the turns in-process."""
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child-breakdown", "--turns", str(turns)],
        cwd=REPO,
        env={**env, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests"), str(REPO / "bench")])},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def child_breakdown(turns: int) -> None:
    """What `build_app` holds, step by step (the same steps, in its order), then `turns` in-process turns."""
    import torch

    pid = os.getpid()
    steps: list[dict] = []

    def note(step: str, started: float) -> None:
        steps.append(
            {"step": step, "seconds": round(time.perf_counter() - started, 2), "rss_mb": memory_mb(pid)["rss_mb"]}
        )

    started = time.perf_counter()
    from chat.scripted.runner import in_process
    from chat.serve.build import build_app, open_item_store, read_catalog
    from chat.serve.models import load_or_train_scorer
    from chat.serve.settings import AppSettings
    from ranker.encoders import load_encoder
    from store.facts import CatalogueFacts
    from store.index import ItemIndex

    note("imports (gradio, torch, chromadb, transformers)", started)
    settings = AppSettings.from_env()
    started = time.perf_counter()
    catalog = read_catalog(settings)
    note(f"catalogue read ({len(catalog.items):,} Items)", started)
    started = time.perf_counter()
    encoder = load_encoder(settings.encoder)
    note("encoder loaded (MiniLM)", started)
    started = time.perf_counter()
    store = open_item_store(settings, encoder)
    note(f"Chroma opened ({store.count():,} records)", started)
    started = time.perf_counter()
    load_or_train_scorer(settings, catalog.items, encoder, store, progress=False)
    note("model loaded (catalogue fingerprint)", started)
    started = time.perf_counter()
    index = ItemIndex.from_store(store, held=catalog.items)
    note(f"index loaded from Chroma (matrix {index.matrix.nbytes / 2**20:.0f} MB)", started)
    started = time.perf_counter()
    CatalogueFacts.of(catalog.items)
    note("catalogue facts", started)
    del index
    started = time.perf_counter()
    app = build_app(settings, progress=False)  # the whole start again, as the app does it, for the turns
    note("build_app (all of it, beside the parts above)", started)
    torch.set_num_threads(1)
    result = one_session(in_process(app), turns)
    print(json.dumps({"steps": steps, "peak_rss_mb": memory_mb(pid)["peak_rss_mb"], "in_process_turns": result}))


def checkout_name(checkout: Path) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=checkout, capture_output=True, text=True)
    return f"{checkout} @ {commit.stdout.strip()}"


def verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def run_row(label: str, run: dict) -> str:
    turns = run["turns"]
    return (
        f"| {label} | warm | {run['start']['seconds']} | {run['start']['peak_rss_after_start_mb']} | "
        f"{turns['peak_rss_after_turns_mb']} | {turns['p50_ms']} | {turns['p95_ms']} | {turns['max_ms']} | "
        f"{turns['http']['p50_ms']} | {turns['http']['p95_ms']} | {len(turns['errors'])} | "
        f"{len(turns['without_cards'])} | {', '.join(f'{value:.1f}' for value in run['load_average'])} |"
    )


def to_markdown(report: dict) -> str:
    runs, demo, first = report["app_100k"], report["demo"], report["first_start"]
    big = runs["after"]
    peak = big["turns"]["peak_rss_after_turns_mb"]
    cat = report["catalogue"]
    lines = [
        "# A 100k-item app, end to end",
        "",
        machine_markdown(report["machine"]),
        "",
        f"Catalogue: the demo generator's first {cat['items']:,} items without pictures "
        f"(`store.catalogs.demo.write_text_only_demo_catalog`), a {cat['mb']} MB JSONL file read by the `jsonl` "
        "source; offline MiniLM. `python app.py` in a subprocess on a loopback port with its own data folder; "
        "start = until the page answers HTTP 200. Peak RSS = the app process's VmHWM. The app builds with torch's "
        "default threads (2 here: ingest, demo model) and serves on 1. One `gradio_client` session "
        f"(shopper {SHOPPER}), {WARM_UP_TURNS} untimed warm-up turns, then {big['turns']['turns']} timed `/turn` "
        'calls: ten five-turn conversations (a request, then colour, price, relation and "more like" '
        "refinements), a start-over between conversations (untimed); then plain HTTP posts to "
        "`/gradio_api/run/turn` (bench/bench_live.py, six messages in turn). `before` is an older checkout's app "
        "on the same data folder, same run. The demo run is the built-in 480-item demo, same turns, same run.",
        "",
        "| app | start | start s | peak RSS after start MB | peak RSS after turns MB | gradio_client p50 ms | "
        "p95 ms | max ms | HTTP p50 ms | HTTP p95 ms | errors | turns without cards | load 1/5/15 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| 100k | first ({first['measured']}) | {first['seconds']} | {first['peak_rss_after_start_mb']} | "
        "| | | | | | | | |",
        *[run_row(f"100k {version}", run) for version, run in runs.items()],
        run_row("demo", demo),
    ]
    ratio = report["ratio_p95_100k_to_demo"]
    lines += [
        "",
        f"- Peak RSS at 100k: {peak:.0f} MB, target < {TARGET_PEAK_RSS_MB:.0f} MB: "
        f"{verdict(peak < TARGET_PEAK_RSS_MB)}.",
        f"- Live turn p95 at 100k (HTTP): {big['turns']['http']['p95_ms']} ms, target < {TARGET_P95_100K_MS:.0f} "
        f"ms: {verdict(big['turns']['http']['p95_ms'] < TARGET_P95_100K_MS)}; on the demo (HTTP) "
        f"{demo['turns']['http']['p95_ms']} ms (target < {TARGET_P95_DEMO_MS:.0f}: "
        f"{verdict(demo['turns']['http']['p95_ms'] < TARGET_P95_DEMO_MS)}); through gradio_client "
        f"{big['turns']['p95_ms']} ms at 100k, {demo['turns']['p95_ms']} ms on the demo, 100k / demo p95: {ratio}.",
        "",
        "## First start's steps (the app's log)",
        "",
        *[f"    {line}" for line in first["log_times"]],
        "",
        "## Where the memory goes at 100k (a child process builds the app's parts one by one)",
        "",
        "| step | s | RSS after MB |",
        "| --- | --- | --- |",
        *[f"| {step['step']} | {step['seconds']} | {step['rss_mb']} |" for step in report["breakdown"]["steps"]],
        "",
        f"Peak RSS of that child: {report['breakdown']['peak_rss_mb']} MB (it builds the parts twice: the rows "
        "after `build_app` hold both).",
        "",
        "## The same turns in-process at 100k (the handlers, no server)",
        "",
        "| where | p50 ms | p95 ms | max ms |",
        "| --- | --- | --- | --- |",
    ]
    inproc = report["breakdown"]["in_process_turns"]
    lines += [
        f"| in-process, 100k | {inproc['p50_ms']} | {inproc['p95_ms']} | {inproc['max_ms']} |",
        f"| gradio_client, 100k | {big['turns']['p50_ms']} | {big['turns']['p95_ms']} | {big['turns']['max_ms']} |",
        f"| gradio_client, demo | {demo['turns']['p50_ms']} | {demo['turns']['p95_ms']} | {demo['turns']['max_ms']} |",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--turns", type=int, default=50)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench-app-100k"))
    parser.add_argument("--before", help="an older checkout whose app runs first on the same data folder")
    parser.add_argument("--child-breakdown", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path[:0] = [str(REPO), str(REPO / "tests")]
    if args.child_breakdown:
        child_breakdown(args.turns)
        return
    details = machine(torch_threads=1)
    args.workdir.mkdir(parents=True, exist_ok=True)
    cat = catalogue(args.workdir, args.items)
    print(f"catalogue: {cat}", flush=True)
    env_100k = app_env(
        WHISPERLITE_CATALOG="jsonl",
        WHISPERLITE_CATALOG_PATH=cat["path"],
        WHISPERLITE_DATA_DIR=str(args.workdir / "data"),
    )
    first = first_start(env_100k, args.workdir)
    print(f"first start: {first['seconds']} s, peak RSS {first['peak_rss_after_start_mb']} MB", flush=True)
    checkouts = {**({"before": Path(args.before).resolve()} if args.before else {}), "after": REPO}
    runs = {
        version: warm_start_and_turns(env_100k, args.workdir / f"warm-{version}.log", version, args.turns, checkout)
        for version, checkout in checkouts.items()
    }
    env_demo = app_env(WHISPERLITE_DATA_DIR=str(args.workdir / "demo-data"))
    with running_app(env_demo, args.workdir / "demo-first-start.log", 1800):
        settle(args.workdir / "demo-first-start.log")  # builds the demo's data folder, its model included
    demo = warm_start_and_turns(env_demo, args.workdir / "demo-warm-start.log", "demo warm start", args.turns)
    report = {
        "machine": details,
        "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
        "catalogue": cat,
        "checkouts": {version: checkout_name(checkout) for version, checkout in checkouts.items()},
        "first_start": first,
        "app_100k": runs,
        "demo": demo,
        "ratio_p95_100k_to_demo": round(runs["after"]["turns"]["p95_ms"] / demo["turns"]["p95_ms"], 2),
        "breakdown": breakdown(env_100k, args.turns),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "app-100k.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "app-100k.md").write_text(to_markdown(report))
    print(to_markdown(report))


if __name__ == "__main__":
    main()
