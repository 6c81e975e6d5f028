"""The quality gate's decision, worked by hand: serve only a model above zero-shot and above the model in use."""

from __future__ import annotations

from ranker.gate import decide


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
