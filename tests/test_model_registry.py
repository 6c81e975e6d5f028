"""The registry of the app's models: a JSON manifest beside the checkpoints, written atomically, read back whole."""

from __future__ import annotations

import pytest

from chat.serve.registry import MANIFEST, ModelEntry, ModelRecord, RegistryError, read_registry, write_registry
from ranker.gate import decide

SERVED = ModelRecord(
    "interactions shop.jsonl (800 events)", "2026-12-02T01:00:00+00:00", decide(0.31, 0.07, None), "shop.pt"
)
REFUSED = ModelRecord(
    "interactions noise.jsonl (800 events)", "2026-12-02T01:10:00+00:00", decide(0.05, 0.07, 0.31), "refused/n.pt"
)


def test_a_written_registry_reads_back_equal(tmp_path):
    registry = {"demo--enc--abc": ModelEntry(SERVED, (REFUSED,)), "other--enc--def": ModelEntry()}
    write_registry(tmp_path, registry)
    assert read_registry(tmp_path) == registry


def test_writing_leaves_only_the_manifest_behind(tmp_path):
    write_registry(tmp_path, {"demo--enc--abc": ModelEntry(SERVED)})
    assert [path.name for path in tmp_path.iterdir()] == [MANIFEST]


def test_no_manifest_is_an_empty_registry(tmp_path):
    assert read_registry(tmp_path) == {}


@pytest.mark.parametrize("text", ['{"models": {"x": ', '["a list"]', '{"models": {"x": {"served": 3}}}'])
def test_a_damaged_manifest_is_an_error_naming_the_file_and_the_fix(tmp_path, text):
    (tmp_path / MANIFEST).write_text(text)
    with pytest.raises(RegistryError, match=f"{MANIFEST} is unreadable .*; delete .*{MANIFEST}"):
        read_registry(tmp_path)


def test_the_model_in_use_line_names_source_time_and_both_scores():
    assert ModelEntry(SERVED).in_use() == (
        "WhisperLite trained on interactions shop.jsonl (800 events), 2026-12-02T01:00:00+00:00: "
        "validation NDCG@10 0.310 (zero-shot 0.070)"
    )


def test_with_no_model_served_the_line_says_zero_shot():
    assert ModelEntry(None, (REFUSED,)).in_use() == "zero-shot (no trained model beat it)"
