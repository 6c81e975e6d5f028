"""Background retraining: it starts after enough new feedback, runs beside the turns, and swaps the scorer."""

from __future__ import annotations

import threading

from fake_shop import FakeRecommender

from chat.conversation import Conversation
from chat.serve.retrainer import Retrainer
from ranker.model import RankerConfig, Scorer, WhisperLite


def scorer() -> Scorer:
    return Scorer(WhisperLite(RankerConfig(input_dim=8, hidden_dim=8, output_dim=8)))


def test_a_turn_is_answered_while_a_retraining_runs_and_the_next_model_is_swapped_in_after():
    recommender, new = FakeRecommender(), scorer()
    recommender.scorer = None
    training, release = threading.Event(), threading.Event()

    def train() -> Scorer:
        training.set()
        assert release.wait(30)  # training lasts until the turn below has been answered
        return new

    retrainer = Retrainer(recommender, train, every=3)
    assert not retrainer.noticed(2)
    assert retrainer.noticed(1) and training.wait(30)
    turn = Conversation().respond("a dress", recommender)
    assert turn.cards and retrainer.running and recommender.scorer is None
    release.set()
    retrainer.join(30)
    assert recommender.scorer is new


def test_events_during_a_retraining_start_no_second_one():
    recommender, release = FakeRecommender(), threading.Event()
    retrainer = Retrainer(recommender, lambda: release.wait(30) and None, every=1)
    assert retrainer.noticed(1)
    assert not retrainer.noticed(5)
    release.set()
    retrainer.join(30)


def test_a_failed_or_refused_retraining_keeps_the_model_in_use():
    recommender, kept = FakeRecommender(), scorer()
    recommender.scorer = kept

    def fails() -> Scorer:
        raise RuntimeError("too few requests")

    for train in (fails, lambda: None):
        retrainer = Retrainer(recommender, train, every=1)
        retrainer.noticed(1)
        retrainer.join(30)
        assert recommender.scorer is kept
