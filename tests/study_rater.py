"""The scripted rater of the relevance study tests, and a live demo app whose study reads a fixed request set.

The rater's rule: a card is what was asked for (5) when its colour is a word of the request, else not at all (1).
The study set (tests/data/study_requests.yaml) names a colour in every request, so the rule favours the systems
that match the request's words (zero-shot and WhisperLite) over random.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from app_server import REPO, app_env, copy_data_dir, start_server

STUDY_REQUESTS = REPO / "tests" / "data" / "study_requests.yaml"
SYSTEM_NAMES = ("whisperlite+history", "whisperlite", "zero-shot", "random", "paper-faithful")


def grade_by_rule(request: str, colour: str) -> int:
    return 5 if colour and colour in re.findall(r"[a-z]+", request.lower()) else 1


def study_server(demo_data_dir: Path, tmp_path_factory, name: str) -> Iterator[tuple[str, Path]]:
    """A live demo app on its own copy of the built data, with the test study set; yields (URL, data folder)."""
    data_dir = copy_data_dir(demo_data_dir, tmp_path_factory, name)
    env = app_env(WHISPERLITE_DATA_DIR=str(data_dir), WHISPERLITE_STUDY_REQUESTS=str(STUDY_REQUESTS))
    for url in start_server(env, data_dir.parent / "server.log"):
        yield url, data_dir


def study_report(data_dir: Path, out: Path) -> subprocess.CompletedProcess:
    """`whisperlite study report` as a user runs it."""
    command = [sys.executable, "-m", "chat.serve.cli", "study", "report", "--data-dir", str(data_dir)]
    command += ["--out", str(out)]
    return subprocess.run(command, cwd=REPO, env=app_env(), capture_output=True, text=True, timeout=300)


def report_rows(stdout: str) -> dict[tuple[str, int], tuple[int, float]]:
    """The report's table as {(system, k): (cards, mean)}."""
    rows = re.findall(r"^\| (\S+) \| (\d) \| (\d+) \| ([+-]\d\.\d{3}) \|", stdout, flags=re.MULTILINE)
    return {(system, int(k)): (int(count), float(mean)) for system, k, count, mean in rows}
