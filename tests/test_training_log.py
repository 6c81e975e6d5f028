"""Specifications of the log a split's systems may learn co-occurrence from."""

from __future__ import annotations

from ranker.data import Example, ReviewEvent
from ranker.evaluate.training_log import training_log


def _rating(user: str, item: str, time: float) -> ReviewEvent:
    return ReviewEvent(user, item, "", time, 4.0)


def test_a_held_out_shopper_s_events_from_the_first_held_out_request_on_are_left_out():
    events = [_rating("u", "early", 1), _rating("u", "at", 5), _rating("u", "later", 9)]
    held_out = [Example("u", "target", "funny", (), 5), Example("u", "other", "dark", (), 8)]
    assert training_log(events, held_out) == [("u", "early")]


def test_a_held_out_request_s_target_is_left_out_even_when_logged_before_it():
    events = [_rating("u", "target", 1), _rating("u", "kept", 2)]
    assert training_log(events, [Example("u", "target", "funny", (), 5)]) == [("u", "kept")]


def test_other_shoppers_logs_are_kept_whole():
    events = [_rating("v", "target", 1), _rating("v", "late", 100)]
    assert training_log(events, [Example("u", "target", "funny", (), 5)]) == [("v", "target"), ("v", "late")]
