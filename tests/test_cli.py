"""The `whisperlite` command line, run as a user runs it: a subprocess with settings in the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

pytest_plugins = ["conftest_app"]
pytestmark = pytest.mark.slow


def whisperlite(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "WHISPERLITE_DATA_DIR": str(data_dir), "WHISPERLITE_DEMO_ITEMS": "64", **env}
    command = [sys.executable, "-m", "chat.serve.cli", *args]
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=600)


def test_ingest_is_safe_to_run_twice(tmp_path):
    first = whisperlite("ingest", data_dir=tmp_path)
    second = whisperlite("ingest", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "64 embedded" in first.stdout and "64 items in the store" in first.stdout
    assert "0 embedded, 64 unchanged" in second.stdout


def test_train_saves_a_checkpoint_bound_to_the_catalogue_and_registers_the_gate_s_verdict(tmp_path):
    result = whisperlite("train", "--epochs", "2", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "validation NDCG@10" in result.stdout
    (path,) = (tmp_path / "checkpoints").rglob("demo-s0-64--*.pt")  # served, or kept aside in refused/
    models = json.loads((tmp_path / "checkpoints" / "models.json").read_text())["models"]
    (entry,) = models.values()
    record = entry["served"] or entry["refused"][-1]
    assert record["source"] == "catalogue pairs and simulated shoppers of demo-s0-64"  # the demo preset's sources
    assert tmp_path / "checkpoints" / record["checkpoint"] == path
    assert record["decision"]["reason"] in result.stdout


def test_an_unknown_subcommand_exits_with_usage():
    result = subprocess.run([sys.executable, "-m", "chat.serve.cli", "fly"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_evaluate_writes_the_table_json_and_chart(tmp_path, shared_data):
    out = tmp_path / "results"
    result = whisperlite(
        "evaluate", "--protocol", "full", "--dataset", "fashion-semi", "--data-root", str(shared_data),
        "--shoppers", "25", "--catalogue-size", "300",
        "--max-examples", "80", "--seeds", "0", "--systems", "random", "popularity", "bm25",
        "--cache-dir", str(tmp_path / "cache"), "--out", str(out),
        data_dir=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert {"results.json", "results.md", "results.png"} <= {path.name for path in out.iterdir()}
    assert "full-catalogue" in (out / "results.md").read_text()


def test_serve_runs_from_the_installed_command_outside_the_checkout(demo_data_dir, tmp_path_factory):
    from app_server import app_env, copy_data_dir, start_server

    command = Path(sys.executable).with_name("whisperlite")
    data_dir = copy_data_dir(demo_data_dir, tmp_path_factory, "serve-installed")
    elsewhere = tmp_path_factory.mktemp("not-the-checkout")
    env = app_env(WHISPERLITE_DATA_DIR=str(data_dir))
    server = start_server(env, elsewhere / "server.log", command=(str(command), "serve"), cwd=elsewhere)
    url = next(server)
    with urllib.request.urlopen(url, timeout=20) as page:
        assert page.status == 200 and "WhisperLite Chat" in page.read().decode()
    server.close()
