"""Start-up benchmark (run by hand): `bash scripts/app.sh` until the page answers, as a shopper starts the app.

    .venv/bin/python bench/bench_startup.py [--starts 5] [--kaggle /work/shared/data/fashion-product-images]

A first start on an empty data folder builds the demo (generate, embed, train); then `--starts` warm starts on
that folder, each timed from `bash scripts/app.sh` to the first 200 from the page, and stopped. With `--kaggle`,
one first start on a fresh data folder with the Kaggle photos (`WHISPERLITE_CATALOG_IMAGES_ONLY=1`). With
`--fresh-clone`, the README's way on a new machine: `git clone` of this checkout, then `bash scripts/app.sh` in it
(creates .venv and installs everything), then a second start there, which must not install again. Each start's
log says where its time went: its timestamped lines are read as phases, measured from the process start. Lines
that warn or announce a deprecation are listed as noise. Writes bench/results/startup.{json,md}; `--label`
keeps runs of several versions side by side (before/after a change).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

from machine import machine, machine_markdown

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
TARGET_WARM_SECONDS = 10.0
TARGET_KAGGLE_FIRST_SECONDS = 90.0
LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) ")
NOISE = re.compile(r"warn|deprecat", re.IGNORECASE)
FIRST_REQUEST = "a light summer dress for a beach wedding"
FIRST_MODEL_SERVED = re.compile(r"first model trained in the background")
PHASES = (  # (name, the log line that ends it), in the order a start runs them
    ("imports", re.compile(r" INFO | WARNING ")),  # the first log line: the catalogue is read, the encoder loads
    ("encoder + store + ingest", re.compile(r"item store: ")),
    ("model trained and gated", re.compile(r"models: (served|kept aside|serving zero-shot)")),
    ("page built, server up", re.compile(r"startup-events")),  # Gradio's own first request to its server
)


def start(env: dict[str, str], log_path: Path, timeout: float, checkout: Path = REPO, wait_model: bool = False) -> dict:
    """One `bash scripts/app.sh` in `checkout` until its page answers, then one turn through the JSON API (work
    left for after the page, such as loading the encoder's model, shows there); then stopped. With `wait_model`,
    a first start runs on until its demo model, trained in the background, is served. Seconds from the process
    start to each, and what its log says."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    started_wall, started = time.time(), time.perf_counter()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            ["bash", "scripts/app.sh"],
            cwd=checkout,
            env={**env, "WHISPERLITE_PORT": str(port), "WHISPERLITE_HOST": "127.0.0.1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            seconds = _until_answered(url, process, started, timeout)
            first_turn = _first_turn(url, started)
            model = _until_logged(log_path, FIRST_MODEL_SERVED, process, started, timeout) if wait_model else None
        finally:
            process.terminate()
            process.wait(timeout=30)
    text = log_path.read_text(errors="replace")
    run = {"seconds": round(seconds, 2), "first_turn_seconds": round(first_turn, 2)}
    if model is not None:
        run["model_served_seconds"] = round(model, 2)
    return {**run, "phases": phases(text, started_wall), "noise": noise(text)}


def _first_turn(url: str, started: float) -> float:
    """Seconds from the process start until a first request is answered with cards (POST /gradio_api/run/turn)."""
    body = json.dumps({"data": [FIRST_REQUEST, "guest", None, None], "session_hash": "bench-startup"}).encode()
    request = urllib.request.Request(
        f"{url}gradio_api/run/turn", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=300) as response:
        answer = json.loads(response.read())["data"][0]
    if not answer.get("cards"):
        raise RuntimeError(f"the first turn was answered without cards: {str(answer)[:300]}")
    return time.perf_counter() - started


def _until_logged(log_path: Path, line: re.Pattern, process: subprocess.Popen, started: float, timeout: float) -> float:
    while time.perf_counter() - started < timeout:
        if line.search(log_path.read_text(errors="replace")):
            return time.perf_counter() - started
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode}")
        time.sleep(0.5)
    raise RuntimeError(f"no {line.pattern!r} in the log within {timeout:.0f} s")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _until_answered(url: str, process: subprocess.Popen, started: float, timeout: float) -> float:
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the app did not answer within {timeout:.0f} s")


def phases(log_text: str, started_wall: float) -> dict[str, float]:
    """Seconds from the process start to the end of each phase whose closing log line appears."""
    stamped = []
    for line in log_text.splitlines():
        match = LOG_TIME.match(line)
        if match:
            moment = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp()
            stamped.append((moment - started_wall, line))
    ends = {}
    for name, closing in PHASES:
        found = [offset for offset, line in stamped if closing.search(line)]
        if found:
            ends[name] = round(found[0] if name == "imports" else found[-1], 2)
    return ends


def noise(log_text: str) -> list[str]:
    """Lines that warn or announce a deprecation (pip's and the libraries'), without the app's own warnings."""
    return [line.strip()[:200] for line in log_text.splitlines() if NOISE.search(line) and " chat." not in line]


def run(starts: int, kaggle: str, clone: bool, timeout: float, built: str = "", wait_model: bool = False) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith("WHISPERLITE_")}
    base |= {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    workdir = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    # a demo data folder a first start built (used in place: a copy re-embeds the catalogue, whose picture
    # paths lie inside the folder), or a new one that the first start builds
    demo = {**base, "WHISPERLITE_DATA_DIR": built or str(workdir / "demo")}
    report = {}
    if not built and starts:
        report["first_demo"] = start(demo, workdir / "first-demo.log", timeout)
    report["warm"] = [start(demo, workdir / f"warm-{n}.log", timeout) for n in range(starts)]
    if starts:
        report["warm_median_seconds"] = round(statistics.median(run["seconds"] for run in report["warm"]), 2)
    if kaggle:
        env = {
            **base,
            "WHISPERLITE_DATA_DIR": str(workdir / "kaggle"),
            "WHISPERLITE_CATALOG": "kaggle",
            "WHISPERLITE_CATALOG_PATH": kaggle,
            "WHISPERLITE_CATALOG_IMAGES_ONLY": "1",
        }
        report["first_kaggle"] = start(env, workdir / "first-kaggle.log", timeout, wait_model=wait_model)
    if clone:
        report["fresh_clone"] = fresh_clone(base, workdir, timeout)
    report["logs"] = str(workdir)
    return report


def fresh_clone(base: dict[str, str], workdir: Path, timeout: float) -> dict:
    """`git clone` + `bash scripts/app.sh` (venv and every dependency installed), then a second start, which
    finds the install stamp current and installs nothing (the stamp file is not rewritten)."""
    clone = workdir / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    env = {**base, "WHISPERLITE_DATA_DIR": str(workdir / "clone-data")}
    first = start(env, workdir / "clone-first.log", timeout, checkout=clone)
    stamp = clone / ".venv" / "installed"
    written = stamp.stat().st_mtime_ns
    second = start(env, workdir / "clone-second.log", timeout, checkout=clone)
    return {"first": first, "second": second, "second_installed_again": stamp.stat().st_mtime_ns != written}


def named_runs(report: dict) -> list[dict]:
    first = [report[key] for key in ("first_demo", "first_kaggle") if key in report]
    clone = [report["fresh_clone"][key] for key in ("first", "second")] if "fresh_clone" in report else []
    return [*first, *report["warm"], *clone]


def to_markdown(runs: dict[str, dict]) -> str:
    lines = ["# Start-up: `bash scripts/app.sh` until the page answers", ""]
    for label, report in runs.items():
        warm = report["warm"]
        lines += [f"## {label}", "", machine_markdown(report["machine"]), ""]
        if warm:
            median = report["warm_median_seconds"]
            lines += [
                f"Warm start, median of {len(warm)}: **{median} s** (target < {TARGET_WARM_SECONDS:.0f} s: "
                f"{'met' if median < TARGET_WARM_SECONDS else 'missed'}); each: "
                f"{', '.join(str(run['seconds']) for run in warm)} s.",
                "",
            ]
            turns = [run["first_turn_seconds"] for run in warm if "first_turn_seconds" in run]
            if turns:
                lines += [
                    "First turn answered (a POST to the JSON API sent as soon as the page answered), median "
                    f"{statistics.median(turns)} s from the process start; each: {', '.join(map(str, turns))} s.",
                    "",
                ]
        lines += [
            "| start | seconds to the page | first turn answered at s | trained model served at s | "
            + " | ".join(f"{name}: ends at s" for name, _ in PHASES)
            + " | noise |",
            "| --- | --- | --- | --- | " + " | ".join("---" for _ in PHASES) + " | --- |",
        ]
        named = [("first, demo", report["first_demo"])] if "first_demo" in report else []
        named += [("warm (first of them)", warm[0])] if warm else []
        if "first_kaggle" in report:
            named.append(("first, Kaggle photos", report["first_kaggle"]))
        for name, run in named:
            cells = " | ".join(str(run["phases"].get(phase, "")) for phase, _ in PHASES)
            turn, model = run.get("first_turn_seconds", ""), run.get("model_served_seconds", "")
            lines.append(f"| {name} | {run['seconds']} | {turn} | {model} | {cells} | {len(run['noise'])} |")
        imports = [run["phases"].get("imports") for run in warm if run["phases"].get("imports")]
        if imports:
            share = statistics.median(imports) / report["warm_median_seconds"]
            lines += ["", f"Of a warm start, the imports (to the first log line) take {share:.0%} (median)."]
        if "fresh_clone" in report:
            clone = report["fresh_clone"]
            lines += [
                "",
                f"Fresh clone, README's `bash scripts/app.sh`: venv + install + first start {clone['first']['seconds']}"
                f" s; its second start {clone['second']['seconds']} s, installed again: "
                f"{'yes' if clone['second_installed_again'] else 'no'}.",
            ]
        if "first_kaggle" in report:
            seconds = report["first_kaggle"]["seconds"]
            verdict = "met" if seconds < TARGET_KAGGLE_FIRST_SECONDS else "missed"
            lines += ["", f"First start on the Kaggle photos: {seconds} s (target < 90 s: {verdict})."]
            if "model_served_seconds" in report["first_kaggle"]:
                lines[-1] += (
                    f" Its demo model, trained after the page is up while zero-shot serves, was served at "
                    f"{report['first_kaggle']['model_served_seconds']} s."
                )
        noisy = sorted({line for run in (*named_runs(report),) for line in run["noise"]})
        lines += ["", "Noise in the logs: " + ("none" if not noisy else ""), *[f"- `{line}`" for line in noisy], ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--kaggle", default="", help="the Kaggle Fashion Product Images folder, for a first start")
    parser.add_argument("--fresh-clone", action="store_true", help="also time a fresh clone's install and starts")
    parser.add_argument("--built", default="", help="a built demo data folder (not in use) instead of a first start")
    parser.add_argument("--label", default="after", help="the version measured, e.g. before or after a change")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument(
        "--wait-model", action="store_true", help="a first Kaggle start runs on until its trained model is served"
    )
    args = parser.parse_args()
    details = machine(torch_threads=1)
    report = {
        "machine": details,
        **run(args.starts, args.kaggle, args.fresh_clone, args.timeout, args.built, args.wait_model),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "startup.json"
    runs = json.loads(path.read_text()) if path.is_file() else {}
    runs[args.label] = report
    path.write_text(json.dumps(runs, indent=2) + "\n")
    (RESULTS / "startup.md").write_text(to_markdown(runs))
    print(to_markdown({args.label: report}))


if __name__ == "__main__":
    sys.exit(main())
