"""The relevance study's ratings: one row per card a rater scored, in the user store's database.

A row keeps what the paper's table needs and what training needs: the rater's session (opaque; the account id
only when the rater signed in), the request, k, the item, the grade 1-5 and which systems returned the item at
which rank (a card several systems returned is rated once and credited to each). The systems are stored here,
server-side, and never sent to the rater's page. Ratings feed training as graded feedback (`as_feedback`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, insert, select

from store.database import Database, study_ratings
from store.feedback import FeedbackEvent

GRADES = range(1, 6)

_COLUMNS = ("rater_session", "account_id", "task_id", "request", "k", "item_id", "grade", "systems", "time")


@dataclass(frozen=True)
class Rating:
    """One card's grade. `systems` maps each system that returned the item to its rank there (1 = top)."""

    rater_session: str
    account_id: str | None
    task_id: str
    request: str
    k: int
    item_id: str
    grade: int
    systems: Mapping[str, int]
    time: float


class RatingStore:
    """Ratings of the relevance study, in the user database at `where`; one transaction per write (as `UserStore`)."""

    def __init__(self, where: str | Path):
        self.database = Database(where)

    def record(self, ratings: Sequence[Rating]) -> int:
        """Store one task's ratings together (all or none); returns how many were stored."""
        for rating in ratings:
            if rating.grade not in GRADES:
                raise ValueError(f"a grade is 1 to 5, not {rating.grade!r}")
        rows = [
            {
                **{name: getattr(r, name) for name in _COLUMNS if name != "systems"},
                "systems": json.dumps(dict(r.systems), sort_keys=True),
            }
            for r in ratings
        ]
        if rows:
            self.database.run(lambda db: db.execute(insert(study_ratings), rows))
        return len(ratings)

    def ratings(self) -> list[Rating]:
        """Every rating, oldest first."""
        query = select(*(study_ratings.c[name] for name in _COLUMNS)).order_by(study_ratings.c.time, study_ratings.c.id)
        rows = self.database.run(lambda db: db.execute(query).all())
        return [Rating(*row[:7], json.loads(row[7]), row[8]) for row in rows]

    def forget(self, account_id: str) -> int:
        """Delete a signed-in rater's ratings; returns how many."""
        statement = delete(study_ratings).where(study_ratings.c.account_id == account_id)
        return self.database.run(lambda db: db.execute(statement).rowcount)

    def as_feedback(self) -> list[FeedbackEvent]:
        """Every rating as graded feedback (kind "rating", grade 1-5) for training, oldest first; `detail`
        names the study task and the systems that returned the item."""
        return [
            FeedbackEvent(
                session_id=r.rater_session,
                user_id=r.account_id,
                item_id=r.item_id,
                kind="rating",
                request=r.request,
                time=r.time,
                grade=r.grade,
                detail=f"study task {r.task_id}, k={r.k}: "
                + ", ".join(f"{system}@{rank}" for system, rank in sorted(r.systems.items())),
            )
            for r in self.ratings()
        ]
