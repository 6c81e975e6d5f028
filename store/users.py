"""The user store: shoppers, their interactions (purchases, likes, dislikes) and chat transcripts, in SQLite.

Every write is one transaction; a connection is opened per call, so any thread of the app can use one
`UserStore` and a crash never loses a committed interaction (WAL journal).

Two kinds of shopper live here. A *persona* is a public demo shopper (anyone may shop as one, its history is
read but never written by a visitor). An *account* is a real person signed in with Hugging Face: private, read
and written only on that person's own session, exported by `export` and erased by `forget`.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from store.feedback import FEEDBACK_SCHEMA

Kind = Literal["purchase", "like", "dislike"]
KINDS: tuple[Kind, ...] = ("purchase", "like", "dislike")
POSITIVE_KINDS: tuple[Kind, ...] = ("purchase", "like")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    about TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    persona INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS interactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL REFERENCES users(id),
    item_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('purchase', 'like', 'dislike')),
    time REAL NOT NULL,
    session_id TEXT
);
CREATE INDEX IF NOT EXISTS interactions_by_user_time ON interactions (user_id, time);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    started REAL NOT NULL,
    updated REAL NOT NULL,
    transcript TEXT NOT NULL DEFAULT '[]'
);
"""


@dataclass(frozen=True)
class User:
    id: str
    name: str
    about: str = ""
    persona: bool = False  # a public demo shopper, not a person's account


@dataclass(frozen=True)
class Interaction:
    user_id: str
    item_id: str
    kind: Kind
    time: float
    session_id: str | None = None


class UserStoreError(RuntimeError):
    """The SQLite file cannot be used; the message names it and says how to rebuild it."""


class UnknownUser(KeyError):
    """No user with that id."""


class UserStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA + FEEDBACK_SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(users)")}
            if "persona" not in columns:  # a store written before personas and accounts were told apart
                db.execute("ALTER TABLE users ADD COLUMN persona INTEGER NOT NULL DEFAULT 0")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            with db:  # one transaction: commit on success, roll back on error
                yield db
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as error:
            raise UserStoreError(
                f"the user store {self.path} is not a usable SQLite database ({error}). "
                "Move it aside and restart: a new one is created and the demo shoppers are seeded again."
            ) from error
        finally:
            db.close()

    def add_user(self, user: User) -> None:
        with self._connect() as db:
            db.execute(
                "INSERT INTO users (id, name, about, created, persona) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) "
                "DO UPDATE SET name = excluded.name, about = excluded.about, persona = excluded.persona",
                (user.id, user.name, user.about, time.time(), int(user.persona)),
            )

    def user(self, user_id: str) -> User:
        with self._connect() as db:
            row = db.execute(f"SELECT {_USER_COLUMNS} FROM users WHERE id = ?", (user_id,)).fetchone()
        if row is None:
            raise UnknownUser(user_id)
        return _user(row)

    def users(self) -> list[User]:
        with self._connect() as db:
            return [_user(row) for row in db.execute(f"SELECT {_USER_COLUMNS} FROM users ORDER BY created, id")]

    def personas(self) -> list[User]:
        """The public demo shoppers, in the order they were added; never an account. Read on every turn, so
        the accounts (however many) are not read with them."""
        with self._connect() as db:
            query = f"SELECT {_USER_COLUMNS} FROM users WHERE persona = 1 ORDER BY created, id"
            return [_user(row) for row in db.execute(query)]

    def record(
        self, user_id: str, item_id: str, kind: Kind, when: float | None = None, session_id: str | None = None
    ) -> int:
        """Store one interaction; returns its row id. Raises UnknownUser for a user never added."""
        if kind not in KINDS:
            raise ValueError(f"unknown interaction kind {kind!r}; expected one of {KINDS}")
        try:
            with self._connect() as db:
                cursor = db.execute(
                    "INSERT INTO interactions (user_id, item_id, kind, time, session_id) VALUES (?, ?, ?, ?, ?)",
                    (user_id, item_id, kind, time.time() if when is None else when, session_id),
                )
                return int(cursor.lastrowid)
        except sqlite3.IntegrityError as error:
            raise UnknownUser(user_id) from error

    def record_many(self, interactions: Sequence[Interaction]) -> None:
        with self._connect() as db:
            db.executemany(
                "INSERT INTO interactions (user_id, item_id, kind, time, session_id) VALUES (?, ?, ?, ?, ?)",
                [(i.user_id, i.item_id, i.kind, i.time, i.session_id) for i in interactions],
            )

    def history(
        self,
        user_id: str,
        before: float | None = None,
        limit: int | None = None,
        kinds: Sequence[Kind] = POSITIVE_KINDS,
    ) -> list[Interaction]:
        """The user's interactions of these kinds, oldest first; with `limit`, the most recent ones."""
        marks = ",".join("?" * len(kinds))
        query = (
            f"SELECT user_id, item_id, kind, time, session_id FROM interactions WHERE user_id = ? AND kind IN ({marks})"
        )
        params: list = [user_id, *kinds]
        if before is not None:
            query += " AND time < ?"
            params.append(before)
        query += " ORDER BY time DESC, id DESC"
        if limit is not None:
            query += " LIMIT ?"
            params.append(limit)
        with self._connect() as db:
            rows = db.execute(query, params).fetchall()
        return [Interaction(*row) for row in reversed(rows)]

    def count_interactions(self, user_id: str | None = None) -> int:
        with self._connect() as db:
            if user_id is None:
                return db.execute("SELECT COUNT(*) FROM interactions").fetchone()[0]
            return db.execute("SELECT COUNT(*) FROM interactions WHERE user_id = ?", (user_id,)).fetchone()[0]

    def save_transcript(self, session_id: str, user_id: str, messages: list[dict]) -> None:
        """Save a session's transcript (LangChain messages as dicts) in one write."""
        now = time.time()
        with self._connect() as db:
            db.execute(
                "INSERT INTO sessions (id, user_id, started, updated, transcript) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET updated = excluded.updated, transcript = excluded.transcript",
                (session_id, user_id, now, now, json.dumps(messages)),
            )

    def transcript(self, session_id: str) -> list[dict]:
        with self._connect() as db:
            row = db.execute("SELECT transcript FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return json.loads(row[0]) if row else []

    def export(self, user_id: str) -> dict:
        """Everything stored about one shopper, as JSON-ready data: the account, every interaction, every
        feedback event of the chat (`store.feedback`) and every saved conversation. Raises UnknownUser."""
        user = self.user(user_id)
        with self._connect() as db:
            interactions = db.execute(
                "SELECT item_id, kind, time, session_id FROM interactions WHERE user_id = ? ORDER BY time, id",
                (user_id,),
            ).fetchall()
            feedback = db.execute(
                "SELECT session_id, item_id, kind, request, time, grade, detail FROM feedback_events "
                "WHERE user_id = ? ORDER BY time, id",
                (user_id,),
            ).fetchall()
            sessions = db.execute(
                "SELECT id, started, updated, transcript FROM sessions WHERE user_id = ? ORDER BY started, id",
                (user_id,),
            ).fetchall()
        return {
            "user": {"id": user.id, "name": user.name, "about": user.about},
            "interactions": [dict(zip(("item_id", "kind", "time", "session_id"), row)) for row in interactions],
            "feedback": [
                dict(zip(("session_id", "item_id", "kind", "request", "time", "grade", "detail"), row))
                for row in feedback
            ],
            "conversations": [
                {"session_id": sid, "started": started, "updated": updated, "messages": json.loads(transcript)}
                for sid, started, updated, transcript in sessions
            ],
        }

    def forget(self, user_id: str) -> dict[str, int]:
        """Delete the shopper's interactions, feedback events, conversations and account in one transaction;
        returns the counts deleted. Forgetting a shopper who is not there deletes nothing."""
        tables = (("interactions", "user_id"), ("feedback_events", "user_id"), ("sessions", "user_id"), ("users", "id"))
        with self._connect() as db:
            counts = {
                table: db.execute(f"DELETE FROM {table} WHERE {column} = ?", (user_id,)).rowcount
                for table, column in tables
            }
        return counts


_USER_COLUMNS = "id, name, about, persona"


def _user(row: tuple) -> User:
    return User(row[0], row[1], row[2], bool(row[3]))
