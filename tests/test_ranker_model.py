"""Specifications of the WhisperLite model: towers, history fusion, cold start, the numpy Scorer."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from ranker.model import RankerConfig, Scorer, WhisperLite, history_ages

pytestmark = pytest.mark.usefixtures("one_torch_thread")

D = 16
CONFIG = RankerConfig(input_dim=D, hidden_dim=32, output_dim=8)


def _unit(*shape: int, seed: int = 0) -> torch.Tensor:
    return F.normalize(torch.randn(*shape, generator=torch.Generator().manual_seed(seed)), dim=-1)


@pytest.fixture(params=["attention", "recency_mean", "last_k", "gru", "score_mix"])
def model(request) -> WhisperLite:
    """Every history summary meets every specification below (cold start above all); score_mix's scalar and
    the history mix are moved off their initial 0, as training and validation would."""
    torch.manual_seed(0)
    model = WhisperLite(replace(CONFIG, history_summary=request.param, history_last_k=3)).eval()
    if request.param == "score_mix":
        nn.init.constant_(model.history.mix, 0.5)
    model.history_mix.fill_(0.75)
    return model


def test_the_history_mix_adds_its_weight_times_the_similarity_to_the_recency_weighted_history():
    """Hand-worked: half-life 1, so the older of two history items weighs 0.5 and the latest 1; the history's
    profile is (0.5 a + b) / 1.5, and the mix 2 adds 2 · profile · item to the towers' score."""
    torch.manual_seed(0)
    model = WhisperLite(replace(CONFIG, recency_half_life=1.0)).eval()
    model.history_mix.fill_(2.0)
    a, b = torch.eye(D)[0], torch.eye(D)[1]
    items = torch.stack([a, b, torch.eye(D)[2]])
    request, history, mask = _unit(1, D), torch.stack([a, b])[None], torch.ones(1, 2, dtype=torch.bool)
    towers_alone = model.request_vectors(request, history, mask) @ model.item_tower(items).T
    expected = towers_alone + 2.0 * torch.tensor([[0.5 / 1.5, 1.0 / 1.5, 0.0]])
    assert torch.allclose(model.score(request, history, mask, items), expected, atol=1e-6)


def test_the_history_mix_leaves_a_row_without_history_at_the_paper_faithful_score():
    torch.manual_seed(0)
    model = WhisperLite(CONFIG).eval()
    model.history_mix.fill_(3.0)
    request, history, items = _unit(2, D), _unit(2, 3, D, seed=2), _unit(5, D, seed=1)
    mask = torch.tensor([[True, True, True], [False, False, False]])
    mixed = model.score(request, history, mask, items)
    model.history_mix.fill_(0.0)
    towers_alone = model.score(request, history, mask, items)
    assert torch.equal(mixed[1], model.score(request, None, None, items)[1])
    assert not torch.allclose(mixed[0], towers_alone[0])  # the row with a history does get the mix


def test_score_mix_starts_exactly_at_the_paper_faithful_scores_with_a_history():
    torch.manual_seed(0)
    model = WhisperLite(replace(CONFIG, history_summary="score_mix")).eval()
    request, history, items = _unit(2, D), _unit(2, 3, D, seed=2), _unit(5, D, seed=1)
    mask = torch.ones(2, 3, dtype=torch.bool)
    assert torch.equal(model.score(request, history, mask, items), model.score(request, None, None, items))


def test_score_mix_adds_its_scalar_times_the_similarity_to_the_recency_mean_of_the_history():
    torch.manual_seed(0)
    model = WhisperLite(replace(CONFIG, history_summary="score_mix", recency_half_life=None)).eval()
    nn.init.constant_(model.history.mix, 2.0)
    request, history, items = _unit(1, D), _unit(1, 3, D, seed=2), _unit(5, D, seed=1)
    keys = model.item_tower(items)
    history_mean = model.item_tower(history).mean(1)
    expected = model.score(request, None, None, items) + 2.0 * history_mean @ keys.T
    assert torch.allclose(model.score(request, history, torch.ones(1, 3, dtype=torch.bool), items), expected, atol=1e-5)


def test_score_is_dot_product_of_tower_outputs(model):
    request, items = _unit(3, D), _unit(5, D, seed=1)
    expected = model.request_tower(request) @ model.item_tower(items).T
    assert torch.allclose(model.score(request, None, None, items), expected, atol=1e-6)


def test_score_accepts_per_row_items(model):
    request, items = _unit(2, D), _unit(2, 5, D, seed=1)
    per_row = model.score(request, None, None, items)
    assert per_row.shape == (2, 5)
    assert torch.allclose(per_row[1], model.score(request[1:], None, None, items[1])[0], atol=1e-6)


def test_rank_returns_top_k_best_first(model):
    request, items = _unit(2, D), _unit(7, D, seed=1)
    scores = model.score(request, None, None, items)
    top = model.rank(request, None, None, items, k=3)
    assert top.shape == (2, 3)
    assert torch.equal(scores.gather(1, top), scores.sort(dim=1, descending=True).values[:, :3])


def test_empty_history_equals_paper_faithful_request_tower_exactly(model):
    request = _unit(4, D)
    paper = WhisperLite(RankerConfig(input_dim=D, hidden_dim=32, output_dim=8, use_history=False)).eval()
    paper.load_state_dict(model.state_dict(), strict=False)
    expected = paper.request_vectors(request)
    assert torch.equal(model.request_vectors(request, None, None), expected)
    assert torch.equal(
        model.request_vectors(request, torch.zeros(4, 0, D), torch.zeros(4, 0, dtype=torch.bool)), expected
    )
    all_masked = torch.zeros(4, 3, dtype=torch.bool)
    assert torch.equal(model.request_vectors(request, _unit(4, 3, D, seed=2), all_masked), expected)


def test_rows_without_history_are_untouched_beside_rows_with_history(model):
    request, history = _unit(2, D), _unit(2, 3, D, seed=2)
    mask = torch.tensor([[True, True, True], [False, False, False]])
    out = model.request_vectors(request, history, mask)
    assert torch.equal(out[1], model.request_tower(request)[1])
    assert not torch.allclose(out[0], model.request_tower(request)[0])


def test_masked_history_items_have_no_effect(model):
    request, history = _unit(1, D), _unit(1, 4, D, seed=2)
    mask = torch.tensor([[True, False, True, False]])
    altered = history.clone()
    altered[0, [1, 3]] = _unit(2, D, seed=9)
    assert torch.allclose(model.request_vectors(request, history, mask), model.request_vectors(request, altered, mask))


def test_different_histories_give_different_request_vectors(model):
    request = _unit(1, D)
    first = model.request_vectors(request, _unit(1, 10, D, seed=4))
    second = model.request_vectors(request, _unit(1, 10, D, seed=5))
    assert (first - second).abs().max() > 1e-3


def test_paper_faithful_model_has_no_history_weights_and_ignores_history():
    paper = WhisperLite(RankerConfig(input_dim=D, use_history=False)).eval()
    assert not any(name.startswith("history") for name in paper.state_dict())
    request = _unit(2, D)
    assert torch.equal(paper.request_vectors(request, _unit(2, 3, D, seed=2), None), paper.request_vectors(request))


def test_history_ages_count_later_valid_items():
    mask = torch.tensor([[True, True, True, False], [False, True, False, True]])
    assert history_ages(mask).tolist() == [[2.0, 1.0, 0.0, -0.0], [2.0, 1.0, 1.0, 0.0]]


def test_recency_bias_favours_the_latest_item():
    torch.manual_seed(0)
    recent_model = WhisperLite(RankerConfig(input_dim=D, hidden_dim=32, output_dim=8, recency_half_life=0.05)).eval()
    request, a, b = _unit(1, D), _unit(1, 1, D, seed=6), _unit(1, 1, D, seed=7)
    # with a half-life of 0.05 positions, only the latest item counts: the order of a and b decides
    ab = recent_model.request_vectors(request, torch.cat([a, b], 1))
    only_b = recent_model.request_vectors(request, b)
    assert torch.allclose(ab, only_b, atol=1e-5)
    assert not torch.allclose(recent_model.request_vectors(request, torch.cat([b, a], 1)), only_b, atol=1e-3)


@pytest.mark.parametrize("length", [0, 500])
def test_scorer_handles_empty_and_long_histories(model, length):
    scorer = Scorer(model)
    rng = np.random.default_rng(0)
    scores = scorer.score(rng.normal(size=D), rng.normal(size=(length, D)), rng.normal(size=(20, D)))
    assert scores.shape == (20,) and np.isfinite(scores).all()


def test_model_scores_a_500_item_history_with_finite_values(model):
    out = model.request_vectors(_unit(2, D), _unit(2, 500, D, seed=3))
    assert out.shape == (2, CONFIG.output_dim) and torch.isfinite(out).all()


def test_scorer_keeps_only_the_latest_history_max_items(model):
    scorer = Scorer(model)
    rng = np.random.default_rng(0)
    request, history = rng.normal(size=D), rng.normal(size=(500, D)).astype(np.float32)
    np.testing.assert_allclose(
        scorer.request_vector(request, history), scorer.request_vector(request, history[-CONFIG.history_max :])
    )


def test_scorer_matches_the_model_and_its_cache(model):
    scorer = Scorer(model)
    rng = np.random.default_rng(1)
    request, history, items = rng.normal(size=D), rng.normal(size=(5, D)), rng.normal(size=(9, D))
    expected = (
        model.score(
            *(torch.tensor(x, dtype=torch.float32) for x in (request[None], history[None])),
            None,
            torch.tensor(items, dtype=torch.float32),
        )[0]
        .detach()
        .numpy()
    )
    keys = [f"item{i}" for i in range(9)]
    np.testing.assert_allclose(scorer.score(request, history, items, keys), expected, rtol=1e-5, atol=1e-6)
    # cached by key: the stored tower vectors are used even when different raw vectors come with the same keys
    # (the history mix reads the raw vectors given, so the cache is seen without a history)
    towers_alone = scorer.score(request, None, items, keys)
    np.testing.assert_allclose(scorer.score(request, None, items * 0, keys), towers_alone, rtol=1e-5, atol=1e-6)
    assert scorer.rank(request, history, items, 3, keys).tolist() == np.argsort(-expected)[:3].tolist()


def test_scorer_history_keys_reuse_cached_item_vectors(model):
    scorer = Scorer(model)
    rng = np.random.default_rng(2)
    request, history, items = rng.normal(size=D), rng.normal(size=(4, D)), rng.normal(size=(6, D))
    expected = scorer.score(request, history, items)
    history_keys = ["h0", "h1", "h2", "h3"]
    np.testing.assert_allclose(scorer.score(request, history, items, None, history_keys), expected, rtol=1e-5)
    # the request vector reads the cached tower vectors of the keys (the history mix reads the raw vectors given)
    np.testing.assert_allclose(
        scorer.request_vector(request, history * 0, history_keys), scorer.request_vector(request, history), rtol=1e-5
    )


def test_a_residual_model_starts_from_the_frozen_similarity():
    config = RankerConfig(input_dim=16, hidden_dim=32, output_dim=16, residual=True, use_history=False)
    model = WhisperLite(config).eval()
    request, items = torch.randn(3, 16), torch.randn(5, 16)
    torch.testing.assert_close(model.score(request, None, None, items), request @ items.T)


def test_a_residual_tower_must_keep_its_input_size():
    with pytest.raises(ValueError, match="output_dim"):
        RankerConfig(input_dim=16, output_dim=8, residual=True)


def test_the_history_use_line_names_the_summary_and_the_mix_validation_chose():
    model = WhisperLite(replace(CONFIG, history_summary="gru"))
    assert model.history_use().endswith("(validation chose a mix of 0)")
    model.history_mix.fill_(0.3)
    assert model.history_use() == (
        "the gru summary in the request tower, plus 0.30 x the frozen similarity to the recency-weighted history "
        "(chosen on validation)"
    )
    assert WhisperLite(replace(CONFIG, use_history=False)).history_use().startswith("not read: paper-faithful")
