"""The chat's feedback as training rows: each liked or bought item (or one rated 4-5) is the target of the request
in force when it happened; the items disliked, rejected ("not that one") or rated 1-2 for the same request in the
same session are its known negatives. A rating of 3 and a relaxed filter teach no item.

Per session, request and item the latest verdict counts (a like taken back by a dislike is a negative). A shopper
is their account when signed in, else their session: a guest's likes form a history within that session only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ranker.data import Example, ReviewEvent, build_examples
from store.feedback import FeedbackEvent

POSITIVE_GRADE = 4  # a rating of at least this is a positive
NEGATIVE_GRADE = 2  # a rating of at most this is a known negative

Negatives = dict[tuple[str, float], tuple[str, ...]]  # (user, time) of a request -> items known to be wrong for it


@dataclass(frozen=True)
class FeedbackPairs:
    """`events`: one review-style event per positive (text = the request); `negatives` by (user, time) of it."""

    events: list[ReviewEvent]
    negatives: Negatives


def verdict(event: FeedbackEvent) -> bool | None:
    """True for a positive, False for a known negative, None for a signal about no item's fit."""
    if event.kind in ("like", "purchase"):
        return True
    if event.kind in ("dislike", "reject"):
        return False
    if event.kind == "rating" and event.grade is not None:
        return True if event.grade >= POSITIVE_GRADE else False if event.grade <= NEGATIVE_GRADE else None
    return None


def shopper_key(event: FeedbackEvent) -> str:
    return event.user_id or f"session:{event.session_id}"


def feedback_pairs(events: Iterable[FeedbackEvent]) -> FeedbackPairs:
    """Events (any order) -> positives as review-style events, oldest first, and their known negatives."""
    latest: dict[tuple[str, str, str], FeedbackEvent] = {}  # (session, request, item) -> the latest verdict
    for event in sorted(events, key=lambda e: e.time):
        if event.item_id is not None and verdict(event) is not None:
            latest[(event.session_id, event.request, event.item_id)] = event
    wrong: dict[tuple[str, str], list[str]] = {}
    for (session, request, item), event in latest.items():
        if not verdict(event):
            wrong.setdefault((session, request), []).append(item)
    positives = sorted((e for e in latest.values() if verdict(e)), key=lambda e: e.time)
    review_events = [
        ReviewEvent(shopper_key(e), e.item_id, e.request, e.time, None if e.grade is None else float(e.grade))
        for e in positives
    ]
    negatives = {
        (shopper_key(e), e.time): tuple(wrong[(e.session_id, e.request)])
        for e in positives
        if (e.session_id, e.request) in wrong
    }
    return FeedbackPairs(review_events, negatives)


def with_negatives(examples: Sequence[Example], negatives: Negatives) -> list[Example]:
    """Examples with their known negatives attached by (user, time)."""
    return [replace(e, negatives=negatives.get((e.user, e.time), ())) for e in examples]


def feedback_examples(events: Iterable[FeedbackEvent], history_max: int) -> list[Example]:
    """Training examples from feedback: a request per positive with text, the shopper's earlier positives as its
    history, its known negatives attached."""
    pairs = feedback_pairs(events)
    return with_negatives(build_examples(pairs.events, history_max), pairs.negatives)
