"""Feedback events: what a shopper or a rater did to an item, with the request in force at that moment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FeedbackKind = Literal["like", "dislike", "reject", "relax", "purchase", "rating"]


@dataclass(frozen=True)
class FeedbackEvent:
    session_id: str  # opaque session id
    user_id: str | None  # the signed-in account; None for guests and personas (nothing identifying)
    item_id: str | None  # None for "relax" (a dropped filter names no item)
    kind: FeedbackKind
    request: str  # the request in force when it happened (the text the recommender ranked for)
    time: float
    grade: int | None = None  # 1..5 for kind "rating"
    detail: str = ""  # e.g. the filter relaxed, the study system rated
