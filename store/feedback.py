"""The chat's feedback log: every like, dislike, "not that one", relaxed filter, purchase and rating, with the
request in force when it happened, so the model can later learn from the chat (`ranker.feedback_pairs`).

It lives in the user store's database (`store.database`: the SQLite file or the PostgreSQL server), in its own
table, one transaction per write, so any thread may write. Identity is stored only for a signed-in account
(`user_id`); a guest's or a persona's event carries the opaque session id alone. `UserStore.export` and
`forget` include an account's events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from sqlalchemy import insert, select

from store.database import Database, feedback_events

FeedbackKind = Literal["like", "dislike", "reject", "relax", "purchase", "rating"]
FEEDBACK_KINDS: tuple[FeedbackKind, ...] = get_args(FeedbackKind)

_COLUMNS = ("session_id", "user_id", "item_id", "kind", "request", "time", "grade", "detail")


@dataclass(frozen=True)
class FeedbackEvent:
    """One signal from the chat. `request` is the text the recommender ranked for when it happened."""

    session_id: str  # opaque session id
    user_id: str | None  # the signed-in account; None for guests and personas (nothing identifying)
    item_id: str | None  # None for "relax" (a dropped filter names no item)
    kind: FeedbackKind
    request: str
    time: float
    grade: int | None = None  # 1..5 for kind "rating"
    detail: str = ""  # e.g. the filter relaxed, the study system rated

    def __post_init__(self) -> None:
        if self.kind not in FEEDBACK_KINDS:
            raise ValueError(f"unknown feedback kind {self.kind!r}; expected one of {FEEDBACK_KINDS}")
        if (self.kind == "rating") != (self.grade is not None) or (self.grade is not None and not 1 <= self.grade <= 5):
            raise ValueError(f"a rating has a grade 1..5 and nothing else has one: {self.kind!r} graded {self.grade}")
        if (self.kind == "relax") != (self.item_id is None):
            raise ValueError(f"a relaxation names no item and every other event names one: {self.kind!r}")


class FeedbackLog:
    """Append-only store of `FeedbackEvent`s in the user database at `where` (a SQLite path or a URL)."""

    def __init__(self, where: str | Path):
        self.database = Database(where)

    @property
    def url(self) -> str:
        return self.database.url

    def record(self, events: Sequence[FeedbackEvent]) -> None:
        """Store the events of one action in one transaction (none when the sequence is empty)."""
        if not events:
            return
        rows = [{name: getattr(event, name) for name in _COLUMNS} for event in events]
        self.database.run(lambda db: db.execute(insert(feedback_events), rows))

    def events(self) -> list[FeedbackEvent]:
        """Every stored event, oldest first."""
        query = select(*(feedback_events.c[name] for name in _COLUMNS)).order_by(feedback_events.c.id)
        return [FeedbackEvent(*row) for row in self.database.run(lambda db: db.execute(query).all())]
