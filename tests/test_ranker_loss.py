"""Specifications of WhisperLite's loss terms and negative samplers."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from ranker.loss import LossConfig, WhisperLiteLoss, info_nce
from ranker.negatives import NegativeSampler, nearest_items


def test_info_nce_equals_hand_written_cross_entropy_on_3x3():
    query = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    keys = torch.tensor([[1.0, 0.0], [1.0, 1.0], [0.0, 2.0]])
    # logits = q @ k.T / 0.5: rows [2, 2, 0], [0, 2, 4], [2, 4, 4]; labels 0, 1, 2
    rows = [[2.0, 2.0, 0.0], [0.0, 2.0, 4.0], [2.0, 4.0, 4.0]]
    expected = sum(-row[i] + math.log(sum(math.exp(v) for v in row)) for i, row in enumerate(rows)) / 3
    assert info_nce(query, keys, temperature=0.5).item() == pytest.approx(expected, rel=1e-6)


def test_matched_pairs_give_lower_info_nce_than_shuffled():
    torch.manual_seed(0)
    keys = F.normalize(torch.randn(16, 8), dim=-1)
    query = F.normalize(keys + 0.1 * torch.randn(16, 8), dim=-1)
    shuffled = query[torch.roll(torch.arange(16), 1)]
    assert info_nce(query, keys, 0.1) < info_nce(shuffled, keys, 0.1) - 1.0


def test_info_nce_ignores_other_rows_holding_the_same_item():
    query = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    keys = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    # both rows target item 7: without masking each has a perfect duplicate negative, loss log 2
    assert info_nce(query, keys, 1.0).item() == pytest.approx(math.log(2))
    assert info_nce(query, keys, 1.0, key_ids=torch.tensor([7, 7])).item() == pytest.approx(0.0, abs=1e-7)


RAW = (torch.tensor(0.0), torch.tensor(0.0))  # log-scale 0, bias 0: BCE's logit is the raw score


def _loss_inputs(seed: int = 0):
    generator = torch.Generator().manual_seed(seed)
    request = torch.randn(6, 4, generator=generator, requires_grad=True)
    positive = torch.randn(6, 4, generator=generator, requires_grad=True)
    negatives = torch.randn(6, 3, 4, generator=generator, requires_grad=True)
    return request, positive, negatives, torch.arange(6), torch.arange(18).view(6, 3) + 10, *RAW


def test_loss_gradients_are_finite():
    request, positive, negatives, *ids_and_calibration = _loss_inputs()
    parts = WhisperLiteLoss(LossConfig())(request, positive, negatives, *ids_and_calibration)
    parts["loss"].backward()
    for tensor in (request, positive, negatives):
        assert torch.isfinite(tensor.grad).all() and tensor.grad.abs().sum() > 0


def test_loss_is_bce_plus_lambda_infonce():
    inputs = _loss_inputs()
    parts = WhisperLiteLoss(LossConfig(bce_weight=1.0, contrastive_weight=0.3))(*inputs)
    assert parts["loss"].item() == pytest.approx(parts["bce"].item() + 0.3 * parts["infonce"].item(), rel=1e-6)


def test_bce_only_and_infonce_only_ablations():
    inputs = _loss_inputs()
    bce_only = WhisperLiteLoss(LossConfig(contrastive_weight=0.0))(*inputs)
    infonce_only = WhisperLiteLoss(LossConfig(bce_weight=0.0, contrastive_weight=1.0))(*inputs)
    assert bce_only["loss"].item() == pytest.approx(bce_only["bce"].item())
    assert infonce_only["loss"].item() == pytest.approx(infonce_only["infonce"].item())


def test_bce_is_mean_positive_plus_mean_negative_and_skips_the_target_drawn_as_negative():
    request = torch.tensor([[1.0, 0.0]])
    positive = torch.tensor([[2.0, 0.0]])  # score 2
    negatives = torch.tensor([[[1.0, 0.0], [-1.0, 0.0]]])  # scores 1 (the target itself) and -1
    parts = WhisperLiteLoss(LossConfig())(request, positive, negatives, torch.tensor([5]), torch.tensor([[5, 9]]), *RAW)
    expected = math.log1p(math.exp(-2.0)) + math.log1p(math.exp(-1.0))  # -log σ(2) - log(1 - σ(-1))
    assert parts["bce"].item() == pytest.approx(expected, rel=1e-6)


def test_bce_logit_is_scale_times_score_plus_bias():
    request = torch.tensor([[1.0, 0.0]])
    positive = torch.tensor([[0.5, 0.0]])  # score 0.5 -> logit 10 · 0.5 - 2 = 3
    negatives = torch.tensor([[[0.1, 0.0]]])  # score 0.1 -> logit 10 · 0.1 - 2 = -1
    calibration = (torch.tensor(math.log(10.0)), torch.tensor(-2.0))
    parts = WhisperLiteLoss(LossConfig())(
        request, positive, negatives, torch.tensor([5]), torch.tensor([[9]]), *calibration
    )
    expected = math.log1p(math.exp(-3.0)) + math.log1p(math.exp(-1.0))  # -log σ(3) - log(1 - σ(-1))
    assert parts["bce"].item() == pytest.approx(expected, rel=1e-6)


def test_raw_scores_near_unit_length_give_bce_gradients_that_barely_tell_ranks_apart():
    """Why BCE alone did not learn: with logits in ±1 a well-ranked and a badly ranked positive get almost the
    same push (σ(s) - 1 is -0.38 at cosine 0.5 and -0.55 at cosine -0.2); scale 10, bias -2 separates them."""

    def positive_gradient(score: float, calibration) -> float:
        logit = torch.tensor([score], requires_grad=True)
        WhisperLiteLoss(LossConfig(contrastive_weight=0.0))(
            torch.ones(1, 1),
            logit.view(1, 1),
            torch.zeros(1, 1, 1),
            torch.tensor([0]),
            torch.tensor([[1]]),
            *calibration,
        )["bce"].backward()
        return logit.grad.item()

    scaled = (torch.tensor(math.log(10.0)), torch.tensor(-2.0))
    raw_ratio = positive_gradient(-0.2, RAW) / positive_gradient(0.5, RAW)
    scaled_ratio = positive_gradient(-0.2, scaled) / positive_gradient(0.5, scaled)
    assert raw_ratio < 1.5 and scaled_ratio > 10


def test_uniform_sampler_is_reproducible_and_in_range():
    items = F.normalize(torch.randn(30, 4), dim=-1)
    sampler = NegativeSampler(LossConfig(num_negatives=5), items, torch.zeros(10, dtype=torch.int64))
    first = sampler.sample(torch.arange(4), torch.Generator().manual_seed(1))
    second = sampler.sample(torch.arange(4), torch.Generator().manual_seed(1))
    assert first.shape == (4, 5) and torch.equal(first, second)
    assert first.min() >= 0 and first.max() < 30


def test_popularity_sampler_draws_popular_items_more_often():
    items = F.normalize(torch.randn(10, 4), dim=-1)
    targets = torch.tensor([3] * 50 + [4])
    sampler = NegativeSampler(LossConfig(negative_kind="popularity", num_negatives=100), items, targets)
    draws = sampler.sample(torch.zeros(20, dtype=torch.int64), torch.Generator().manual_seed(0))
    counts = torch.bincount(draws.flatten(), minlength=10)
    assert counts[3] > 3 * counts[4]


def test_hard_sampler_draws_from_the_targets_nearest_items():
    items = torch.eye(6)[[0, 0, 0, 1, 1, 1]] + 0.01 * torch.eye(6)  # two tight groups: rows 0-2 and 3-5
    items = F.normalize(items, dim=-1)
    assert set(nearest_items(items, 2)[0].tolist()) == {1, 2}
    config = LossConfig(negative_kind="hard", num_negatives=50, hard_pool=2, hard_mix=1.0)
    draws = NegativeSampler(config, items, torch.zeros(1, dtype=torch.int64)).sample(
        torch.tensor([0, 4]), torch.Generator().manual_seed(0)
    )
    assert set(draws[0].tolist()) == {1, 2} and set(draws[1].tolist()) == {3, 5}
