"""The quality gate's decision, worked by hand: serve only a model above zero-shot and above the model in use."""

from __future__ import annotations

import numpy as np
import pytest

from ranker.gate import decide, noise_margin


def test_a_model_above_zero_shot_is_served_when_none_is_in_use():
    decision = decide(candidate=0.112, zero_shot=0.095, current=None)
    assert decision.serve
    assert decision.reason == "validation NDCG@10 0.112 beats zero-shot 0.095"


def test_a_model_above_zero_shot_and_the_model_in_use_is_served_and_the_reason_names_both():
    decision = decide(candidate=0.112, zero_shot=0.095, current=0.101)
    assert decision.serve
    assert decision.reason == "validation NDCG@10 0.112 beats zero-shot 0.095 and the model in use 0.101"


def test_a_model_below_zero_shot_is_refused_even_with_no_model_in_use():
    decision = decide(candidate=0.081, zero_shot=0.095, current=None)
    assert not decision.serve
    assert decision.reason == "validation NDCG@10 0.081 does not beat zero-shot 0.095"


def test_a_model_above_zero_shot_but_below_the_model_in_use_is_refused():
    decision = decide(candidate=0.100, zero_shot=0.095, current=0.101)
    assert not decision.serve
    assert decision.reason == "validation NDCG@10 0.100 does not beat the model in use 0.101"


def test_a_tie_with_zero_shot_is_refused():
    assert not decide(candidate=0.095, zero_shot=0.095, current=None).serve


def test_a_tie_with_the_model_in_use_is_refused():
    assert not decide(candidate=0.2, zero_shot=0.1, current=0.2).serve


def test_the_decision_keeps_the_three_scores():
    decision = decide(candidate=0.3, zero_shot=0.2, current=0.25)
    assert (decision.candidate, decision.zero_shot, decision.current) == (0.3, 0.2, 0.25)


def test_a_gain_within_the_margin_is_refused_and_the_reason_says_it_is_noise():
    decision = decide(candidate=0.076, zero_shot=0.049, current=0.051, margin=0.06)
    assert not decision.serve
    assert decision.reason == "validation NDCG@10 0.076 does not beat zero-shot 0.049 by more than the noise 0.060"


def test_a_gain_beyond_the_margin_over_both_is_served():
    decision = decide(candidate=0.467, zero_shot=0.040, current=0.3, margin=0.12)
    assert decision.serve and decision.margin == 0.12
    assert decision.reason.endswith("and the model in use 0.300 by more than the noise 0.120")


def test_a_gain_over_zero_shot_but_within_the_margin_of_the_model_in_use_is_refused():
    assert not decide(candidate=0.5, zero_shot=0.1, current=0.45, margin=0.06).serve


def test_the_noise_margin_is_two_standard_errors_of_the_paired_differences():
    # differences 0.2, 0.0, 0.4, 0.2: mean 0.2, sample std sqrt(0.08 / 3) = 0.1633; 2 * 0.1633 / sqrt(4) = 0.1633
    candidate = np.array([0.5, 0.3, 0.7, 0.5])
    zero_shot = np.array([0.3, 0.3, 0.3, 0.3])
    assert noise_margin(candidate, zero_shot) == pytest.approx(0.16330, abs=1e-5)


def test_the_noise_margin_takes_the_noisier_comparison():
    candidate = np.array([0.5, 0.3, 0.7, 0.5])
    assert noise_margin(candidate, candidate - 0.1, np.array([0.3, 0.3, 0.3, 0.3])) == pytest.approx(0.16330, 1e-4)


def test_a_decision_on_numpy_scores_is_plain_python_for_the_registry():
    decision = decide(np.float64(0.3), np.float64(0.1), None, noise_margin(np.array([0.3, 0.5]), np.array([0.1, 0.1])))
    assert type(decision.serve) is bool and type(decision.margin) is float
