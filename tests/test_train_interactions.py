"""`whisperlite train --interactions FILE` through the quality gate, and `whisperlite model`, run as a user runs
them (subprocesses, settings in the environment) on a 64-item demo catalogue and logs the test writes.

The signal log: each shopper buys from one category, and asks in vague words ("something new for me") for
another item of it; only the history says which category, so zero-shot cannot know and a trained model can.
The noise log: the same shape with every target and purchase drawn at random.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from chat.serve.build import read_catalog
from chat.serve.settings import AppSettings

pytestmark = pytest.mark.slow

VAGUE = ("something new for me", "what would suit me", "show me what you have", "a little treat")
USERS, REQUESTS_PER_USER = 40, 10


def whisperlite(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "WHISPERLITE_DATA_DIR": str(data_dir), "WHISPERLITE_DEMO_ITEMS": "64"}
    command = [sys.executable, "-m", "chat.serve.cli", *args]
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=900)


def write_log(path: Path, data_dir: Path, noise: bool, seed: int = 0) -> Path:
    """A purchase then a request, REQUESTS_PER_USER times per shopper, in time order."""
    settings = AppSettings.from_env({"WHISPERLITE_DATA_DIR": str(data_dir), "WHISPERLITE_DEMO_ITEMS": "64"})
    items = read_catalog(settings).items
    by_category: dict[str, list[str]] = defaultdict(list)
    for item in items:
        by_category[item.category].append(item.id)
    categories = sorted(category for category, ids in by_category.items() if len(ids) >= 4)
    rng = random.Random(seed)
    rows = []
    for user in range(USERS):
        pool = by_category[categories[user % len(categories)]]
        for step in range(REQUESTS_PER_USER):
            bought, wanted = (rng.choice(items).id, rng.choice(items).id) if noise else rng.sample(pool, 2)
            time = 1_700_000_000 + 1000 * step + user
            rows.append({"user": f"u{user}", "item": bought, "text": "", "time": time})
            rows.append({"user": f"u{user}", "item": wanted, "text": rng.choice(VAGUE), "time": time + 1})
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A data folder whose app serves a model trained on the signal log; the run's output."""
    data_dir = tmp_path_factory.mktemp("shop")
    log = write_log(data_dir / "shop.jsonl", data_dir, noise=False)
    result = whisperlite("train", "--interactions", str(log), "--epochs", "8", data_dir=data_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    return data_dir, result.stdout


def manifest(data_dir: Path) -> dict:
    return json.loads((data_dir / "checkpoints" / "models.json").read_text())["models"]


def test_a_log_with_a_signal_gives_a_served_model_that_beats_zero_shot(trained):
    data_dir, output = trained
    assert "served: validation NDCG@10" in output, output
    (entry,) = manifest(data_dir).values()
    decision = entry["served"]["decision"]
    assert decision["serve"] and decision["candidate"] > decision["zero_shot"]
    assert entry["served"]["source"] == f"interactions shop.jsonl ({2 * USERS * REQUESTS_PER_USER} events)"
    assert (data_dir / "checkpoints" / entry["served"]["checkpoint"]).is_file()


def test_a_log_of_noise_is_refused_with_its_reason_and_the_model_in_use_stays(trained, tmp_path):
    data_dir, _ = trained
    served_before = manifest(data_dir)
    noise = write_log(tmp_path / "noise.jsonl", data_dir, noise=True)
    result = whisperlite("train", "--interactions", str(noise), "--epochs", "8", data_dir=data_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "kept aside, not served: validation NDCG@10" in result.stdout, result.stdout
    ((stem, entry),) = manifest(data_dir).items()
    assert entry["served"] == served_before[stem]["served"]
    refused = entry["refused"][-1]
    assert refused["source"].startswith("interactions noise.jsonl") and not refused["decision"]["serve"]
    assert refused["checkpoint"].startswith("refused/") and (data_dir / "checkpoints" / refused["checkpoint"]).is_file()


def test_events_of_items_not_in_the_catalogue_are_counted_and_named(trained, tmp_path):
    data_dir, _ = trained
    stranger = {"user": "u0", "item": "not-in-the-catalogue", "text": "a hat", "time": 1}
    log = tmp_path / "mixed.jsonl"
    log.write_text(json.dumps(stranger) + "\n" + "not json\n")
    result = whisperlite("train", "--interactions", str(log), data_dir=data_dir)
    assert result.returncode == 1
    assert "1 events read, 0 usable; 1 left out" in result.stdout and "not-in-the-catalogue" in result.stdout
    assert "1 unreadable records" in result.stdout
    assert "too few usable requests" in result.stderr


def test_whisperlite_model_prints_the_model_in_use_after_a_restart(trained):
    data_dir, _ = trained
    result = whisperlite("model", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    served = next(iter(manifest(data_dir).values()))["served"]
    assert result.stdout.startswith("in use: WhisperLite trained on interactions shop.jsonl (800 events), ")
    assert f"validation NDCG@10 {served['decision']['candidate']:.3f}" in result.stdout.splitlines()[0]


def test_whisperlite_model_says_how_the_served_model_reads_a_history(trained):
    data_dir, _ = trained
    lines = whisperlite("model", data_dir=data_dir).stdout.splitlines()
    assert lines[1].startswith("history: the ") and "summary in the request tower" in lines[1]


def test_a_corrupt_manifest_gives_a_clear_message(trained, tmp_path):
    data_dir, _ = trained
    broken = tmp_path / "broken"
    (broken / "checkpoints").mkdir(parents=True)
    (broken / "checkpoints" / "models.json").write_text('{"models": {"x": ')
    result = whisperlite("model", data_dir=broken)
    assert result.returncode == 1
    assert "the model registry" in result.stderr and "models.json is unreadable" in result.stderr
    assert "Traceback" not in result.stderr
