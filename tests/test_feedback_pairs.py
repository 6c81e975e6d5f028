"""Chat feedback as training rows: targets from likes, purchases and high ratings; known negatives from dislikes,
rejections and low ratings of the same request in the same session."""

from __future__ import annotations

from ranker.data import ReviewEvent
from ranker.feedback_pairs import feedback_examples, feedback_pairs
from store.feedback import FeedbackEvent


def event(kind, item, time, request="a red dress", session="s1", user=None, grade=None) -> FeedbackEvent:
    return FeedbackEvent(session, user, item, kind, request, float(time), grade)


def test_a_like_is_a_target_and_a_rejection_of_the_same_request_its_known_negative():
    pairs = feedback_pairs([event("reject", "d2", 1), event("like", "d1", 2), event("dislike", "d3", 3)])
    assert pairs.events == [ReviewEvent("session:s1", "d1", "a red dress", 2.0)]
    assert pairs.negatives == {("session:s1", 2.0): ("d2", "d3")}


def test_negatives_of_another_request_or_session_are_not_attached():
    pairs = feedback_pairs(
        [event("like", "d1", 1), event("reject", "d2", 2, request="a blue top"), event("reject", "d3", 3, session="s2")]
    )
    assert pairs.negatives == {}


def test_ratings_of_four_or_five_are_targets_two_or_less_negatives_and_three_nothing():
    pairs = feedback_pairs(
        [
            event("rating", "d1", 1, grade=5),
            event("rating", "d2", 2, grade=3),
            event("rating", "d3", 3, grade=2),
            event("purchase", "d4", 4),
        ]
    )
    assert [(e.item, e.rating) for e in pairs.events] == [("d1", 5.0), ("d4", None)]
    assert pairs.negatives[("session:s1", 1.0)] == ("d3",)


def test_the_latest_verdict_on_an_item_counts():
    pairs = feedback_pairs([event("like", "d1", 1), event("dislike", "d1", 2), event("like", "d4", 3)])
    assert [e.item for e in pairs.events] == ["d4"] and pairs.negatives == {("session:s1", 3.0): ("d1",)}


def test_a_relaxed_filter_teaches_no_item():
    relaxed = FeedbackEvent("s1", None, None, "relax", "a red dress", 1.0, detail="colours")
    assert feedback_pairs([relaxed]).events == []


def test_an_accounts_earlier_likes_are_the_history_of_its_later_requests_across_sessions():
    examples = feedback_examples(
        [
            event("like", "d1", 1, session="s1", user="hf:ana"),
            event("like", "t1", 2, request="a top", session="s2", user="hf:ana"),
            event("reject", "t2", 3, request="a top", session="s2", user="hf:ana"),
        ],
        history_max=5,
    )
    assert [(e.user, e.target, e.history, e.negatives) for e in examples] == [
        ("hf:ana", "d1", (), ()),
        ("hf:ana", "t1", ("d1",), ("t2",)),
    ]
