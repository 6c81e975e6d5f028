"""Specifications of the training loop on small synthetic worlds where learning is possible.

Synthetic world: items are noisy copies of cluster centres; a shopper likes one cluster. In the plain world
a request is a noisy copy of its target item's vector; in the ambiguous world it blends the target with an
item of another cluster, so only the shopper's history tells which of the two is meant.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pytest
import torch

from ranker.data import Example, ReviewEvent, TrainingSet, build_examples
from ranker.evaluate.evaluator import RankingEvaluator
from ranker.loss import LossConfig
from ranker.model import RankerConfig, WhisperLite
from ranker.train import HISTORY_MIXES, TrainConfig, train, tune_history_mix, validate, validation_scores

pytestmark = pytest.mark.usefixtures("one_torch_thread")

D = 16
EVALUATOR = RankingEvaluator()
VAL = EVALUATOR.primary_metric


@dataclass
class World:
    items: np.ndarray  # (N, D)
    item_cluster: np.ndarray  # (N,)
    train: TrainingSet
    val: TrainingSet


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    return (matrix / np.linalg.norm(matrix, axis=-1, keepdims=True)).astype(np.float32)


def make_world(seed: int = 0, ambiguous: bool = False, users: int = 60, per_user: int = 12) -> World:
    rng = np.random.default_rng(seed)
    clusters, per_cluster = 8, 20
    item_cluster = np.repeat(np.arange(clusters), per_cluster)
    items = _unit_rows(rng.normal(size=(clusters, D))[item_cluster] + 0.6 * rng.normal(size=(len(item_cluster), D)))
    interactions, requests = [], {}
    for user in range(users):
        taste = user % clusters
        for step in range(per_user):
            target = int(rng.choice(np.flatnonzero(item_cluster == taste)))
            vector = items[target] + 0.3 * rng.normal(size=D) / np.sqrt(D)
            if ambiguous:
                other = int(rng.choice(np.flatnonzero(item_cluster == (taste + 1 + user // clusters) % clusters)))
                vector = vector + items[other]
            text = f"u{user} t{step}"
            requests[text] = vector
            interactions.append(ReviewEvent(f"u{user}", f"i{target}", text, float(step)))
    examples = build_examples(interactions, history_max=50)  # each user's second-last request validates
    train_examples = [example for example in examples if example.time < per_user - 2]
    val_examples = [example for example in examples if example.time == per_user - 2]
    index = {f"i{i}": i for i in range(len(items))}

    def tensors(examples: list[Example]) -> TrainingSet:
        vectors = _unit_rows(np.stack([requests[example.request_text] for example in examples]))
        return TrainingSet.from_examples(examples, index, vectors)

    return World(items, item_cluster, tensors(train_examples), tensors(val_examples))


SMALL = RankerConfig(input_dim=D, hidden_dim=64, output_dim=32)
FAST = TrainConfig(epochs=8, batch_size=64, lr=3e-3, patience=8)


@pytest.fixture(scope="module")
def world() -> World:
    return make_world()


def test_training_improves_validation_ndcg_over_the_untrained_model(world):
    result = train(SMALL, FAST, world.train, world.val, world.items, progress=False)
    untrained = result.metrics_per_epoch[0][VAL]
    assert result.best_score > untrained + 0.2
    assert validate(result.model, world.val, torch.tensor(world.items), RankingEvaluator()) == result.best_score


def test_each_loss_term_is_logged_per_epoch(world):
    result = train(SMALL, TrainConfig(epochs=2, patience=5), world.train, world.val, world.items, progress=False)
    assert [metrics["epoch"] for metrics in result.metrics_per_epoch] == [0, 1, 2]
    assert {"train/bce", "train/infonce", "train/loss", VAL, "seconds"} <= set(result.metrics_per_epoch[1])


def test_same_seed_gives_identical_weights_and_another_seed_does_not(world):
    config = TrainConfig(epochs=2, seed=7)
    first = train(SMALL, config, world.train, world.val, world.items, progress=False).model.state_dict()
    second = train(SMALL, config, world.train, world.val, world.items, progress=False).model.state_dict()
    other_config = TrainConfig(epochs=2, seed=8)
    other = train(SMALL, other_config, world.train, world.val, world.items, progress=False).model.state_dict()
    assert all(torch.equal(first[name], second[name]) for name in first)
    assert not torch.equal(first["request_tower.mlp.0.weight"], other["request_tower.mlp.0.weight"])


def test_model_overfits_32_examples_to_near_zero_loss():
    rng = np.random.default_rng(0)
    items = _unit_rows(rng.normal(size=(32, D)))
    data = TrainingSet.from_examples(
        [Example("u", f"i{i}", "r", (), 0.0) for i in range(32)],
        {f"i{i}": i for i in range(32)},
        _unit_rows(rng.normal(size=(32, D))),  # requests unrelated to their items: only memorising works
    )
    config = RankerConfig(input_dim=D, hidden_dim=64, output_dim=32, dropout=0.0, use_history=False)
    schedule = TrainConfig(epochs=300, batch_size=32, lr=1e-2, weight_decay=0.0, patience=300)
    result = train(config, schedule, data, data, items, progress=False)
    assert result.metrics_per_epoch[-1]["train/loss"] < 0.05
    assert result.best_score == pytest.approx(1.0)


@pytest.mark.parametrize("kind", ["popularity", "hard"])
def test_other_negative_samplers_also_learn(world, kind):
    config = TrainConfig(epochs=3, batch_size=64, lr=3e-3, loss=LossConfig(negative_kind=kind))
    result = train(SMALL, config, world.train, world.val, world.items, progress=False)
    assert result.best_score > result.metrics_per_epoch[0][VAL] + 0.1


@pytest.fixture(scope="module")
def ambiguous_world() -> World:
    return make_world(seed=1, ambiguous=True, users=96, per_user=14)


@pytest.fixture(scope="module")
def history_model(ambiguous_world) -> tuple[WhisperLite, float]:
    config = TrainConfig(epochs=25, batch_size=64, lr=3e-3, patience=5)
    result = train(SMALL, config, ambiguous_world.train, ambiguous_world.val, ambiguous_world.items, progress=False)
    return result.model, result.best_score


def test_history_beats_the_paper_faithful_model_when_requests_are_ambiguous(ambiguous_world, history_model):
    paper_config = RankerConfig(input_dim=D, hidden_dim=64, output_dim=32, use_history=False)
    config = TrainConfig(epochs=25, batch_size=64, lr=3e-3, patience=5)
    paper = train(paper_config, config, ambiguous_world.train, ambiguous_world.val, ambiguous_world.items, False)
    assert history_model[1] > paper.best_score + 0.05


def test_validation_chooses_a_history_mix_when_the_history_tells_the_target(ambiguous_world, history_model):
    model, best_score = history_model
    chosen, scores = tune_history_mix(model, ambiguous_world.val, torch.tensor(ambiguous_world.items), EVALUATOR)
    assert set(scores) == set(HISTORY_MIXES)
    assert chosen > 0 and scores[chosen] > scores[0.0]
    assert scores[chosen] == max(scores.values()) == best_score
    assert validate(model, ambiguous_world.val, torch.tensor(ambiguous_world.items), EVALUATOR) == best_score


def test_validation_keeps_the_towers_alone_when_the_history_misleads(ambiguous_world, history_model):
    """Every validation row's history replaced by items of the cluster opposite its target's: any mix hurts."""
    model, _ = history_model
    clusters = torch.as_tensor(ambiguous_world.item_cluster)
    opposite = (clusters[ambiguous_world.val.targets] + 4) % 8
    width = ambiguous_world.val.history.shape[1]
    history = torch.stack([torch.nonzero(clusters == c).flatten()[:width] for c in opposite.tolist()])
    misleading = replace(ambiguous_world.val, history=history, history_mask=torch.ones_like(history, dtype=torch.bool))
    chosen, scores = tune_history_mix(model, misleading, torch.tensor(ambiguous_world.items), EVALUATOR)
    assert chosen == 0.0 and model.history_mix.item() == 0.0
    assert max(scores[mix] for mix in HISTORY_MIXES[1:]) < scores[0.0]


def test_opposite_histories_give_different_top_5_for_the_same_request(ambiguous_world, history_model):
    model, _ = history_model
    items = torch.tensor(ambiguous_world.items)
    first, second = (torch.tensor(np.flatnonzero(ambiguous_world.item_cluster == c)) for c in (0, 4))
    request = torch.tensor(_unit_rows(ambiguous_world.items[first[0]] + ambiguous_world.items[second[0]]))[None]
    with torch.no_grad():
        top_first = model.rank(request, items[first[1:11]][None], None, items, k=5)[0]
        top_second = model.rank(request, items[second[1:11]][None], None, items, k=5)[0]
    assert set(top_first.tolist()) != set(top_second.tolist())
    assert ambiguous_world.item_cluster[top_first[0]] == 0 and ambiguous_world.item_cluster[top_second[0]] == 4


def test_training_refuses_an_empty_validation_set(world):
    empty = TrainingSet.from_examples([], {}, np.zeros((0, D), np.float32))
    with pytest.raises(ValueError, match="0 to validate on"):
        train(SMALL, FAST, world.train, empty, world.items, progress=False)


def test_known_negatives_take_the_first_sampled_columns_where_known():
    from ranker.train import _with_known_negatives

    examples = [Example("u", "i0", "r", (), 0.0, negatives=("i1", "i2")), Example("u", "i0", "r", (), 0.0, ("i3",))]
    data = TrainingSet.from_examples(examples, {f"i{i}": i for i in range(4)}, np.zeros((2, D), np.float32))
    sampled = torch.tensor([[5, 6, 7], [8, 9, 10]])
    assert _with_known_negatives(sampled, data, torch.tensor([0, 1])).tolist() == [[1, 2, 7], [3, 9, 10]]
    assert _with_known_negatives(sampled[:, :1], data, torch.tensor([1, 0])).tolist() == [[3], [1]]


def test_validation_ranks_a_rows_own_history_items_last_as_the_test_runs_do():
    items = _unit_rows(np.eye(4, D, dtype=np.float32) + 0.01)
    examples = [Example("u", "i1", "r", ("i0",), 1.0)]
    data = TrainingSet.from_examples(examples, {f"i{i}": i for i in range(4)}, items[[0]])
    model = WhisperLite(RankerConfig(input_dim=D, hidden_dim=8, output_dim=D, residual=True, use_history=False))
    scores = validation_scores(model, data, torch.tensor(items))
    assert scores[0, 0] == -np.inf  # the request is item 0's own vector: without the mask it would rank first
    assert np.isfinite(scores[0, 1:]).all()


def test_a_warm_start_begins_from_the_given_model_s_weights_and_leaves_it_unchanged(world):
    trained = train(SMALL, FAST, world.train, world.val, world.items, progress=False)
    before = {name: tensor.clone() for name, tensor in trained.model.state_dict().items()}
    tuned = train(SMALL, TrainConfig(epochs=1), world.train, world.val, world.items, False, warm_start=trained.model)
    assert tuned.metrics_per_epoch[0][VAL] == pytest.approx(trained.best_score)  # epoch 0 scores the start
    assert tuned.best_score >= trained.best_score
    assert all(torch.equal(before[name], trained.model.state_dict()[name]) for name in before)


def test_a_warm_start_from_a_model_of_another_shape_is_refused(world):
    other = WhisperLite(RankerConfig(input_dim=D, hidden_dim=32, output_dim=32))
    with pytest.raises(ValueError, match="same model config"):
        train(SMALL, TrainConfig(epochs=1), world.train, world.val, world.items, False, warm_start=other)


def test_validation_in_batches_scores_what_the_whole_set_scores(world):
    model = train(SMALL, FAST, world.train, world.val, world.items, progress=False).model
    items, evaluator = torch.as_tensor(world.items), RankingEvaluator()
    whole = evaluator.evaluate_scores(validation_scores(model, world.val, items), world.val.targets.numpy())
    assert len(world.val) > 7 and len(world.val) % 7
    assert validate(model, world.val, items, evaluator, batch_size=7) == pytest.approx(
        whole[evaluator.primary_metric], abs=1e-12
    )
