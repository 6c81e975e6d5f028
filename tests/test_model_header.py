"""The model in use, visible: the page's header says what ranks the cards, and says zero-shot when no trained
model beat it. The header is public: it names no folder and no shopper."""

from __future__ import annotations

import json
import logging
import urllib.request

import pytest
from app_server import app_env, copy_data_dir

from chat.serve.build import build_app
from chat.serve.registry import ModelEntry, read_registry, write_registry
from chat.serve.settings import AppSettings

pytest_plugins = ["conftest_app"]
pytestmark = pytest.mark.slow


def header_of(app) -> str:
    from chat.web.page import build_demo

    demo = build_demo(app)
    (header,) = [block.value for block in demo.blocks.values() if getattr(block, "elem_id", None) == "header"]
    return header


def test_the_demo_header_names_the_served_model_its_source_and_scores(in_process_app):
    header = header_of(in_process_app)
    assert "model: WhisperLite trained on catalogue pairs and simulated shoppers of demo-s0-480, " in header
    assert "validation NDCG@10" in header and "zero-shot" in header


def test_the_live_header_shows_the_model_and_no_folder(demo_server, demo_data_dir):
    with urllib.request.urlopen(f"{demo_server}/config", timeout=60) as response:
        config = json.loads(response.read())
    (header,) = [c["props"]["value"] for c in config["components"] if c.get("props", {}).get("elem_id") == "header"]
    assert "model: WhisperLite trained on catalogue pairs and simulated shoppers of demo-s0-480" in header
    assert "checkpoints" not in header and str(demo_data_dir.parent) not in header


def test_when_no_trained_model_beat_zero_shot_the_app_serves_zero_shot_and_says_so(
    demo_data_dir, tmp_path_factory, caplog
):
    data_dir = copy_data_dir(demo_data_dir, tmp_path_factory, "zero-shot-served")
    folder = data_dir / "checkpoints"
    registry = read_registry(folder)
    (stem,) = registry
    write_registry(folder, {stem: ModelEntry(None, (registry[stem].served,))})  # as if it was refused
    with caplog.at_level(logging.WARNING):
        app = build_app(AppSettings.from_env(app_env(WHISPERLITE_DATA_DIR=str(data_dir))), progress=False)
    assert app.scorer is None and app.recommender.scorer is None
    assert "model: zero-shot (no trained model beat it)" in header_of(app)
    assert any("serving zero-shot ranking" in record.getMessage() for record in caplog.records)
