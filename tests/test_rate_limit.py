"""Abuse limits with a hand-driven clock: per conversation, per client, and a clear message when refused."""

from __future__ import annotations

from chat.web.rate_limit import RateLimiter, RateLimits


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


LIMITS = RateLimits(turns_per_session=3, turns_per_client=5, feedback_per_session=2, feedback_per_client=4)


def test_a_conversation_past_its_limit_is_told_how_long_to_wait():
    clock = Clock()
    limiter = RateLimiter(LIMITS, clock)
    assert [limiter.admit("turn", "s1", "c") for _ in range(3)] == [None, None, None]
    clock.now += 20
    refused = limiter.admit("turn", "s1", "c")
    assert "at most 3 a minute in this conversation" in refused and "wait 40 s" in refused


def test_the_window_slides_so_the_oldest_turn_leaving_it_admits_one_more():
    clock = Clock()
    limiter = RateLimiter(LIMITS, clock)
    for _ in range(3):
        limiter.admit("turn", "s1", "c")
    clock.now += 60
    assert limiter.admit("turn", "s1", "c") is None


def test_a_client_that_opens_new_conversations_is_held_by_its_address():
    limiter = RateLimiter(LIMITS, Clock())
    answers = [limiter.admit("turn", f"session-{n}", "203.0.113.9") for n in range(6)]
    assert answers[:5] == [None] * 5 and "from your address" in answers[5]
    assert limiter.admit("turn", "session-x", "198.51.100.7") is None  # another client is not held


def test_a_refused_request_is_not_counted():
    clock = Clock()
    limiter = RateLimiter(LIMITS, clock)
    for _ in range(3):
        limiter.admit("turn", "s1", "c")
    for _ in range(10):
        assert limiter.admit("turn", "s1", "c") is not None
    clock.now += 60
    assert limiter.admit("turn", "s1", "c") is None and limiter.admit("turn", "s2", "c") is None


def test_turns_and_feedback_are_counted_apart():
    limiter = RateLimiter(LIMITS, Clock())
    for _ in range(3):
        limiter.admit("turn", "s1", "c")
    assert limiter.admit("feedback", "s1", "c") is None
    limiter.admit("feedback", "s1", "c")
    assert "ratings" in limiter.admit("feedback", "s1", "c")
