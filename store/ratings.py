"""The relevance study's ratings, in SQLite: one row per card a rater scored, in the user store's file.

A row keeps what the paper's table needs and what training needs: the rater's session (opaque; the account id
only when the rater signed in), the request, k, the item, the grade 1-5 and which systems returned the item at
which rank (a card several systems returned is rated once and credited to each). The systems are stored here,
server-side, and never sent to the rater's page. Ratings feed training as graded feedback (`as_feedback`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from store.feedback import FeedbackEvent

GRADES = range(1, 6)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS study_ratings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rater_session TEXT NOT NULL,
    account_id TEXT,
    task_id TEXT NOT NULL,
    request TEXT NOT NULL,
    k INTEGER NOT NULL,
    item_id TEXT NOT NULL,
    grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 5),
    systems TEXT NOT NULL,
    time REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS study_ratings_by_time ON study_ratings (time);
"""


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
    """Ratings of the relevance study; a connection per call, one transaction per write (as `UserStore`)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            with db:
                yield db
        finally:
            db.close()

    def record(self, ratings: Sequence[Rating]) -> int:
        """Store one task's ratings together (all or none); returns how many were stored."""
        for rating in ratings:
            if rating.grade not in GRADES:
                raise ValueError(f"a grade is 1 to 5, not {rating.grade!r}")
        with self._connect() as db:
            db.executemany(
                "INSERT INTO study_ratings (rater_session, account_id, task_id, request, k, item_id, grade, systems, "
                "time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        r.rater_session,
                        r.account_id,
                        r.task_id,
                        r.request,
                        r.k,
                        r.item_id,
                        r.grade,
                        json.dumps(dict(r.systems), sort_keys=True),
                        r.time,
                    )
                    for r in ratings
                ],
            )
        return len(ratings)

    def ratings(self) -> list[Rating]:
        """Every rating, oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT rater_session, account_id, task_id, request, k, item_id, grade, systems, time "
                "FROM study_ratings ORDER BY time, id"
            ).fetchall()
        return [Rating(*row[:7], json.loads(row[7]), row[8]) for row in rows]

    def forget(self, account_id: str) -> int:
        """Delete a signed-in rater's ratings; returns how many."""
        with self._connect() as db:
            return db.execute("DELETE FROM study_ratings WHERE account_id = ?", (account_id,)).rowcount

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
