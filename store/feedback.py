"""The chat's feedback log: every like, dislike, "not that one", relaxed filter, purchase and rating, with the
request in force when it happened, so the model can later learn from the chat (`ranker.feedback_pairs`).

It lives in the user store's SQLite file, in its own table (WAL journal, one transaction per write, a connection
per call, so any thread may write). Identity is stored only for a signed-in account (`user_id`); a guest's or a
persona's event carries the opaque session id alone. `UserStore.export` and `forget` include an account's events.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

FeedbackKind = Literal["like", "dislike", "reject", "relax", "purchase", "rating"]
FEEDBACK_KINDS: tuple[FeedbackKind, ...] = get_args(FeedbackKind)

FEEDBACK_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    user_id TEXT,
    item_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('like', 'dislike', 'reject', 'relax', 'purchase', 'rating')),
    request TEXT NOT NULL,
    time REAL NOT NULL,
    grade INTEGER CHECK (grade IS NULL OR grade BETWEEN 1 AND 5),
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS feedback_events_by_user ON feedback_events (user_id);
"""

_COLUMNS = "session_id, user_id, item_id, kind, request, time, grade, detail"


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
    """Append-only store of `FeedbackEvent`s in the SQLite file at `path` (the user store's)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(FEEDBACK_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            with db:  # one transaction: commit on success, roll back on error
                yield db
        finally:
            db.close()

    def record(self, events: Sequence[FeedbackEvent]) -> None:
        """Store the events of one action in one transaction (none when the sequence is empty)."""
        if not events:
            return
        with self._connect() as db:
            db.executemany(
                f"INSERT INTO feedback_events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(e.session_id, e.user_id, e.item_id, e.kind, e.request, e.time, e.grade, e.detail) for e in events],
            )

    def events(self) -> list[FeedbackEvent]:
        """Every stored event, oldest first."""
        with self._connect() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM feedback_events ORDER BY id").fetchall()
        return [FeedbackEvent(*row) for row in rows]
