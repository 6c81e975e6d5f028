"""Live-turn benchmark (run by hand): a running app's turn as each kind of client sees it, alone and under load.

    .venv/bin/python bench/bench_live.py [--turns 60] [--sessions 20] [--before /path/to/an/older/checkout]
                                         [--kaggle /work/shared/data/fashion-product-images --photos 2000]

Starts `python app.py` on a free loopback port, on a copy of one built data folder (the first start builds the
demo), and times a turn:
- `http`: one plain HTTP POST to `/gradio_api/run/turn` per turn (httpx), the lean JSON endpoint;
- `queue`: the page's own protocol, a POST to `/gradio_api/queue/join` and its event stream until the answer;
- `gradio_client`: `Client.predict(..., api_name="/turn")`, as the scripted conversations drive a live app;
- `browser`: headless Chromium (Playwright), from pressing Send to the last card picture loaded in the gallery,
  timed inside the page (`performance.now()`, polled every animation frame: about 16 ms resolution);
then 20 sessions at once through `http` and through `gradio_client`: turns/s and p95. The load generator runs on
the same 2 cores as the app. With `--kaggle`, the same on the first `--photos` photographed Kaggle items (real
photos, text-only encoder). With `--before`, the same again with an older checkout's app (same data, same run),
for the ratios. Writes bench/results/live.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
from machine import machine, machine_markdown

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
MESSAGES = (  # a shopper's session: a request, refinements, a new request, a reference, a constraint
    "a light summer dress for a beach wedding",
    "in blue",
    "cheaper",
    "sporty sneakers under $120",
    "more like the second one",
    "an evening bag, no leather",
)
SHOPPERS = ("guest", "maya", "leo", "grace", "nina")
TARGETS_MS = {"http": 60.0, "browser": 300.0, "concurrent_p95": 400.0}
TARGET_TURNS_PER_SECOND = 50.0


def percentiles(latencies: list[float]) -> dict:
    return {
        "turns": len(latencies),
        "p50_ms": round(float(np.percentile(latencies, 50)), 1),
        "p95_ms": round(float(np.percentile(latencies, 95)), 1),
        "max_ms": round(max(latencies), 1),
    }


class HttpSession:
    """Plain HTTP: the session is the `session_hash` the client chose, as Gradio's own clients do."""

    def __init__(self, url: str, shopper: str):
        self.url, self.shopper = url, shopper
        self.client = httpx.Client(timeout=60)
        self.session = uuid.uuid4().hex[:12]

    def say(self, message: str) -> dict:
        body = {"data": [message, self.shopper, None, None], "session_hash": self.session}
        response = self.client.post(f"{self.url}/gradio_api/run/turn", json=body)
        response.raise_for_status()
        return response.json()["data"][0]


class QueueSession(HttpSession):
    """The page's own protocol: join the queue, then read the session's event stream until the answer."""

    def __init__(self, url: str, shopper: str):
        super().__init__(url, shopper)
        config = self.client.get(f"{url}/config").json()
        self.fn_index = next(
            dep.get("id", n) for n, dep in enumerate(config["dependencies"]) if dep.get("api_name") == "turn"
        )

    def say(self, message: str) -> dict:
        body = {"data": [message, self.shopper, None, None], "fn_index": self.fn_index, "session_hash": self.session}
        self.client.post(f"{self.url}/gradio_api/queue/join", json=body).raise_for_status()
        stream = self.client.stream("GET", f"{self.url}/gradio_api/queue/data", params={"session_hash": self.session})
        with stream as events:
            for line in events.iter_lines():
                if line.startswith("data:") and json.loads(line[5:]).get("msg") == "process_completed":
                    return json.loads(line[5:])["output"]["data"][0]
        raise RuntimeError("the event stream ended before the answer")


class GradioClientSession:
    def __init__(self, url: str, shopper: str):
        from gradio_client import Client

        self.client, self.shopper = Client(url, verbose=False, analytics_enabled=False), shopper

    def say(self, message: str) -> dict:
        return self.client.predict(message, self.shopper, None, api_name="/turn")


CLIENTS = {"http": HttpSession, "queue": QueueSession, "gradio_client": GradioClientSession}


def chat(open_session, url: str, shopper: str, turns: int) -> dict:
    """One session of `turns` turns; each turn's milliseconds, and the errors (a failed turn is a result)."""
    session = open_session(url, shopper)
    latencies, errors = [], []
    for n in range(turns):
        started = time.perf_counter()
        try:
            answer = session.say(MESSAGES[n % len(MESSAGES)])
            if answer.get("error"):
                errors.append(answer["error"])
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}")
        latencies.append((time.perf_counter() - started) * 1000)
    return {"latencies_ms": latencies, "errors": errors}


def alone(url: str, client: str, turns: int) -> dict:
    result = chat(CLIENTS[client], url, "maya", turns)
    return {**percentiles(result["latencies_ms"][1:]), "errors": result["errors"]}  # the first turn warms up


def concurrent(url: str, client: str, sessions: int, turns: int) -> dict:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=sessions) as pool:
        futures = [pool.submit(chat, CLIENTS[client], url, SHOPPERS[n % len(SHOPPERS)], turns) for n in range(sessions)]
        results = [future.result(timeout=900) for future in futures]
    seconds = time.perf_counter() - started
    latencies = [value for result in results for value in result["latencies_ms"]]
    return {
        **percentiles(latencies),
        "sessions": sessions,
        "turns_per_second": round(len(latencies) / seconds, 1),
        "errors": [error for result in results for error in result["errors"]][:10],
    }


SEND_TO_PICTURES = """(answers) => {
  const bots = document.querySelectorAll('[data-testid="bot"]').length;
  const imgs = [...document.querySelectorAll('#cards img')];
  const done = bots > answers && imgs.every(img => img.complete && img.naturalWidth > 0);  // an answer may have none
  if (done && window.__answered === undefined) window.__answered = performance.now();
  return done;
}"""


def browser(url: str, turns: int, screenshot: Path) -> dict:
    """Send -> the last card picture loaded, in headless Chromium, `turns` turns of one shopper."""
    sys.path.insert(0, str(REPO / "tests"))
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM, CHROMIUM_ARGS, MESSAGE_BOX

    latencies = []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = chromium.new_page(viewport={"width": 1280, "height": 800})
        page.goto(url)
        box = page.get_by_placeholder(MESSAGE_BOX)
        box.wait_for()
        for n in range(turns):
            answers = page.locator('[data-testid="bot"]').count()
            box.fill(MESSAGES[n % len(MESSAGES)])
            page.evaluate("() => { window.__answered = undefined; window.__sent = performance.now(); }")
            page.locator("#send").click()
            page.wait_for_function(SEND_TO_PICTURES, arg=answers, polling="raf", timeout=30_000)
            latencies.append(page.evaluate("() => window.__answered - window.__sent"))
        page.screenshot(path=str(screenshot))
        chromium.close()
    return percentiles(latencies[1:])


def measure(url: str, turns: int, sessions: int, screenshot: Path) -> dict:
    report = {client: alone(url, client, turns) for client in CLIENTS}
    report["browser"] = browser(url, max(turns // 3, 10), screenshot)
    report["concurrent_http"] = concurrent(url, "http", sessions, 10)
    report["concurrent_gradio_client"] = concurrent(url, "gradio_client", sessions, 5)
    return report


def serve_and_measure(checkout: Path, env: dict, data: Path, workdir: Path, label: str, measure_at) -> dict:
    """`measure_at(url, label)` against `checkout`'s app on a copy of `data`, with no rate limits."""
    from app_server import start_server

    copy = workdir / f"data-{label}"
    shutil.copytree(data, copy)
    unlimited = {  # every session of the bench comes from one address, faster than a shopper types
        f"WHISPERLITE_RATE_{limit}": "1000000"
        for limit in ("TURNS_PER_SESSION", "TURNS_PER_CLIENT", "FEEDBACK_PER_SESSION", "FEEDBACK_PER_CLIENT")
    }
    env = {**env, **unlimited, "WHISPERLITE_DATA_DIR": str(copy), "PYTHONPATH": str(checkout)}
    command = (sys.executable, str(checkout / "app.py"))
    server = start_server(env, workdir / f"{label}.log", command=command, cwd=checkout, timeout=900)
    try:
        return measure_at(next(server), label)
    finally:
        server.close()


def catalogues(args, workdir: Path) -> dict[str, dict]:
    """Each catalogue's app environment, its data folder built once by a first start of this checkout, left to
    settle."""
    from app_server import app_env, kaggle_photos_env, start_server, wait_until_settled

    found = {"demo": app_env()}
    if args.kaggle:
        found["kaggle"] = kaggle_photos_env(Path(args.kaggle).parent, workdir / "unused", args.photos)
        found["kaggle"].pop("WHISPERLITE_DATA_DIR")
    for name, env in found.items():
        first = {**env, "WHISPERLITE_DATA_DIR": str(workdir / name)}
        log = workdir / f"{name}-first.log"
        server = start_server(first, log, timeout=900)  # ingest: minutes
        next(server)
        wait_until_settled(log)  # the model and the thumbnails, made after the page is up, are in the copies
        server.close()
    return found


def each_run(args, prefix: str, measure_at) -> dict[str, dict]:
    """`measure_at(url, label)` for every catalogue (demo; Kaggle with `--kaggle`) and version (this checkout;
    `--before`'s too), labelled "catalogue-version"; the apps' data folders live in a temporary folder."""
    sys.path.insert(0, str(REPO / "tests"))
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    versions = {"after": REPO, **({"before": Path(args.before).resolve()} if args.before else {})}
    runs = {}
    try:
        for catalogue, env in catalogues(args, workdir).items():
            for version, checkout in versions.items():
                label = f"{catalogue}-{version}"
                print(f"measuring {label} ...", flush=True)
                runs[label] = serve_and_measure(checkout, env, workdir / catalogue, workdir, label, measure_at)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return runs


def run(args) -> dict:
    def measure_at(url: str, label: str) -> dict:
        return measure(url, args.turns, args.sessions, RESULTS / f"live-{label}.png")

    report = {"machine": machine(torch_threads=1), "turns": args.turns, "sessions": args.sessions}
    return {**report, "runs": each_run(args, "bench-live-", measure_at)}


def verdict(measured: float, target: float, higher_is_better: bool = False) -> str:
    met = measured >= target if higher_is_better else measured < target
    return "met" if met else "**missed**"


def to_markdown(report: dict) -> str:
    lines = [
        "# Live turn: a running app's turn as each client sees it",
        "",
        machine_markdown(report["machine"]),
        "",
        f"`python app.py` on loopback; one session of {report['turns']} turns per client (the first one not "
        f"counted), then {report['sessions']} sessions at once; the load generator shares the 2 cores. "
        "`http`: one POST to `/gradio_api/run/turn`; `queue`: queue/join + its event stream (the page's protocol); "
        "`gradio_client`: `Client.predict`; `browser`: Chromium, Send to the last card picture loaded.",
        "",
        "| run | client | turns | p50 ms | p95 ms | max ms | turns/s | errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, run in report["runs"].items():
        for client, row in run.items():
            rate = row.get("turns_per_second", "")
            lines.append(
                f"| {label} | {client} | {row['turns']} | {row['p50_ms']} | {row['p95_ms']} | {row['max_ms']} | "
                f"{rate} | {len(row.get('errors', []))} |"
            )
    lines += ["", "## Targets", ""]
    for label, run in report["runs"].items():
        if not label.endswith("after"):
            continue
        busy = run["concurrent_http"]
        lines += [
            f"- {label}: one session through the HTTP API, p95 {run['http']['p95_ms']} ms (target < "
            f"{TARGETS_MS['http']:.0f} ms: {verdict(run['http']['p95_ms'], TARGETS_MS['http'])}); browser Send to "
            f"last picture p95 {run['browser']['p95_ms']} ms (< {TARGETS_MS['browser']:.0f} ms: "
            f"{verdict(run['browser']['p95_ms'], TARGETS_MS['browser'])}); {busy['sessions']} sessions: p95 "
            f"{busy['p95_ms']} ms (< {TARGETS_MS['concurrent_p95']:.0f}: "
            f"{verdict(busy['p95_ms'], TARGETS_MS['concurrent_p95'])}), {busy['turns_per_second']} turns/s "
            f"(>= {TARGET_TURNS_PER_SECOND:.0f}: "
            f"{verdict(busy['turns_per_second'], TARGET_TURNS_PER_SECOND, higher_is_better=True)})"
        ]
    for label, run in report["runs"].items():
        before = report["runs"].get(label.replace("-after", "-before"))
        if label.endswith("after") and before:
            ratios = ", ".join(
                f"{client} {before[client]['p50_ms'] / run[client]['p50_ms']:.1f}x"
                for client in run
                if client in before and run[client]["p50_ms"]
            )
            lines.append(f"- {label.removesuffix('-after')}, p50 before / after: {ratios}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--kaggle", default="", help="the Kaggle Fashion Product Images folder, for real photos")
    parser.add_argument("--photos", type=int, default=2000, help="how many photographed Kaggle items")
    parser.add_argument("--before", default="", help="an older checkout to measure beside this one")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    report = run(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "live.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "live.md").write_text(to_markdown(report))
    print(to_markdown(report))


if __name__ == "__main__":
    main()
