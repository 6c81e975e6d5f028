"""The first-start model: trained on the catalogue's own requests (and simulated shoppers), before any shopper."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from ranker.catalogue_pairs import PairConfig, catalogue_pairs
from ranker.data import TrainingSet
from ranker.demo import demo_preset, train_demo_model, train_preset
from ranker.evaluate.evaluator import RankingEvaluator
from ranker.model import RankerConfig
from ranker.train import TrainConfig, train, validation_scores
from store.catalogs.demo import generate_demo_catalog

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory, sentence_encoder):
    items = generate_demo_catalog(tmp_path_factory.mktemp("demo"), 240, 0)
    return items, sentence_encoder.encode_text([item.text() for item in items])


def test_training_on_catalogue_pairs_beats_zero_shot_on_items_it_never_saw(
    catalogue, sentence_encoder, one_torch_thread
):
    items, matrix = catalogue
    pairs = catalogue_pairs(items, PairConfig(requests_per_item=3, validation_items=0.4, seed=0))
    held = sorted({example.target for example in pairs.validation})
    test_items = set(held[: len(held) // 2])  # half the held-out items choose the epoch, the other half test
    val = [example for example in pairs.validation if example.target not in test_items]
    test = [example for example in pairs.validation if example.target in test_items]
    index = {item.id: row for row, item in enumerate(items)}

    def tensors(examples):
        return TrainingSet.from_examples(
            examples, index, sentence_encoder.encode_text([e.request_text for e in examples])
        )

    model_config = RankerConfig(input_dim=matrix.shape[1], output_dim=matrix.shape[1], use_history=False, residual=True)
    result = train(model_config, TrainConfig(epochs=15, lr=1e-3), tensors(pairs.train), tensors(val), matrix, False)
    test_set = tensors(test)
    evaluator = RankingEvaluator()
    trained = evaluator.evaluate_scores(validation_scores(result.model, test_set, _tensor(matrix)), test_set.targets)
    zero_shot = evaluator.evaluate_scores(test_set.requests.numpy() @ matrix.T, test_set.targets.numpy())
    assert trained["val/ndcg@10"] > zero_shot["val/ndcg@10"]


def test_a_catalogue_only_model_has_no_history_modules_to_leave_untrained(
    catalogue, sentence_encoder, one_torch_thread
):
    items, matrix = catalogue
    preset = demo_preset(matrix.shape[1], epochs=1)
    trained = train_preset(items, matrix, replace(preset, sources=("catalogue",)), sentence_encoder.encode_text, False)
    assert trained.model.history is None and trained.model_config.use_history is False
    assert trained.metrics["shopper_examples"] == 0 and trained.metrics["catalogue_examples"] > 0


def test_the_first_start_model_learns_from_the_catalogue_and_the_simulated_shoppers(
    catalogue, sentence_encoder, one_torch_thread
):
    items, matrix = catalogue
    trained = train_demo_model(items, matrix, sentence_encoder, epochs=1, progress=False)
    assert trained.metrics["catalogue_examples"] > 0 and trained.metrics["shopper_examples"] > 0
    assert trained.model.history is not None
    assert 0.0 < trained.validation_score <= 1.0


def _tensor(matrix: np.ndarray):
    import torch

    return torch.as_tensor(matrix, dtype=torch.float32)
