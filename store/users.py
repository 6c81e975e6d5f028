"""The user store: shoppers, their interactions (purchases, likes, dislikes) and chat transcripts.

They live in the user database (`store.database`): a SQLite file by default, a PostgreSQL server when
WHISPERLITE_USERS_URL names one, with the same API. Every call is one transaction, so any thread of the app can
use one `UserStore` and a crash never loses a committed interaction.

Two kinds of shopper live here. A *persona* is a public demo shopper (anyone may shop as one, its history is
read but never written by a visitor). An *account* is a real person signed in with Hugging Face: private, read
and written only on that person's own session, exported by `export` and erased by `forget`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from store.database import Database, UserStoreError, feedback_events, interactions, sessions, users

__all__ = ["KINDS", "POSITIVE_KINDS", "Interaction", "UnknownUser", "User", "UserStore", "UserStoreError"]

Kind = Literal["purchase", "like", "dislike"]
KINDS: tuple[Kind, ...] = ("purchase", "like", "dislike")
POSITIVE_KINDS: tuple[Kind, ...] = ("purchase", "like")


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


class UnknownUser(KeyError):
    """No user with that id."""


class UserStore:
    """The shoppers' database at `where`: a SQLite file path or a URL (`store.database`)."""

    def __init__(self, where: str | Path):
        self.database = Database(where)
        self._personas: list[User] | None = None  # asked on every turn; changed by `add_user` and `forget`

    @property
    def url(self) -> str:
        return self.database.url

    def add_user(self, user: User) -> None:
        values = {"id": user.id, "name": user.name, "about": user.about, "created": time.time()}
        statement = self.database.upsert(
            users, {**values, "persona": int(user.persona)}, update=("name", "about", "persona")
        )
        self.database.run(lambda db: db.execute(statement))
        if user.persona or any(kept.id == user.id for kept in self._personas or ()):
            self._personas = None

    def user(self, user_id: str) -> User:
        row = self.database.run(lambda db: db.execute(_USERS.where(users.c.id == user_id)).first())
        if row is None:
            raise UnknownUser(user_id)
        return _user(row)

    def users(self) -> list[User]:
        rows = self.database.run(lambda db: db.execute(_USERS.order_by(users.c.created, users.c.id)).all())
        return [_user(row) for row in rows]

    def personas(self) -> list[User]:
        """The public demo shoppers, in the order they were added; never an account. Asked on every turn, so
        read once and kept (a query was a third of a turn's database time under load, bench/results/throughput.md):
        personas are seeded at start-up, by `add_user`, which (as `forget`) drops the kept list. A replica sees
        personas another one adds after its start only when it restarts; every replica seeds the same ones."""
        if self._personas is None:
            query = _USERS.where(users.c.persona == 1).order_by(users.c.created, users.c.id)
            self._personas = [_user(row) for row in self.database.run(lambda db: db.execute(query).all())]
        return list(self._personas)

    def record(
        self, user_id: str, item_id: str, kind: Kind, when: float | None = None, session_id: str | None = None
    ) -> int:
        """Store one interaction; returns its row id. Raises UnknownUser for a user never added."""
        if kind not in KINDS:
            raise ValueError(f"unknown interaction kind {kind!r}; expected one of {KINDS}")
        row = {"user_id": user_id, "item_id": item_id, "kind": kind, "time": time.time() if when is None else when}
        statement = insert(interactions).values(**row, session_id=session_id)
        try:
            return int(self.database.run(lambda db: db.execute(statement).inserted_primary_key[0]))
        except IntegrityError as error:
            raise UnknownUser(user_id) from error

    def record_many(self, many: Sequence[Interaction]) -> None:
        rows = [
            {"user_id": i.user_id, "item_id": i.item_id, "kind": i.kind, "time": i.time, "session_id": i.session_id}
            for i in many
        ]
        if rows:
            self.database.run(lambda db: db.execute(insert(interactions), rows))

    def history(
        self,
        user_id: str,
        before: float | None = None,
        limit: int | None = None,
        kinds: Sequence[Kind] = POSITIVE_KINDS,
        session_id: str | None = None,
    ) -> list[Interaction]:
        """The user's interactions of these kinds, oldest first; with `limit`, the most recent ones; with
        `session_id`, those of one conversation only."""
        query = select(*_INTERACTION).where(interactions.c.user_id == user_id, interactions.c.kind.in_(kinds))
        if session_id is not None:
            query = query.where(interactions.c.session_id == session_id)
        if before is not None:
            query = query.where(interactions.c.time < before)
        query = query.order_by(interactions.c.time.desc(), interactions.c.id.desc()).limit(limit)
        rows = self.database.run(lambda db: db.execute(query).all())
        return [Interaction(*row) for row in reversed(rows)]

    def count_interactions(self, user_id: str | None = None) -> int:
        query = select(func.count()).select_from(interactions)
        if user_id is not None:
            query = query.where(interactions.c.user_id == user_id)
        return self.database.run(lambda db: db.execute(query).scalar_one())

    def save_transcript(self, session_id: str, user_id: str, messages: list[dict]) -> float:
        """Save a session's transcript (LangChain messages as dicts) in one write; returns its `updated` time."""
        now = time.time()
        values = {
            "id": session_id,
            "user_id": user_id,
            "started": now,
            "updated": now,
            "transcript": json.dumps(messages),
        }
        statement = self.database.upsert(sessions, values, update=("updated", "transcript"))
        self.database.run(lambda db: db.execute(statement))
        return now

    def transcript_updated(self, session_id: str, user_id: str) -> float | None:
        """When the user's transcript of a session was last saved (None: never), without reading it."""
        query = select(sessions.c.updated).where(sessions.c.id == session_id, sessions.c.user_id == user_id)
        return self.database.run(lambda db: db.execute(query).scalar())

    def transcript(self, session_id: str, user_id: str | None = None) -> list[dict]:
        """A session's saved transcript ([] when none); with `user_id`, only if it is that user's."""
        query = select(sessions.c.transcript).where(sessions.c.id == session_id)
        if user_id is not None:
            query = query.where(sessions.c.user_id == user_id)
        stored = self.database.run(lambda db: db.execute(query).scalar())
        return json.loads(stored) if stored is not None else []

    def export(self, user_id: str) -> dict:
        """Everything stored about one shopper, as JSON-ready data: the account, every interaction, every
        feedback event of the chat (`store.feedback`) and every saved conversation. Raises UnknownUser."""
        user = self.user(user_id)
        feedback_columns = ("session_id", "item_id", "kind", "request", "time", "grade", "detail")
        queries = {
            "interactions": select(*(interactions.c[n] for n in ("item_id", "kind", "time", "session_id")))
            .where(interactions.c.user_id == user_id)
            .order_by(interactions.c.time, interactions.c.id),
            "feedback": select(*(feedback_events.c[n] for n in feedback_columns))
            .where(feedback_events.c.user_id == user_id)
            .order_by(feedback_events.c.time, feedback_events.c.id),
            "conversations": select(sessions.c.id, sessions.c.started, sessions.c.updated, sessions.c.transcript)
            .where(sessions.c.user_id == user_id)
            .order_by(sessions.c.started, sessions.c.id),
        }
        read = self.database.run(lambda db: {key: db.execute(q).mappings().all() for key, q in queries.items()})
        return {
            "user": {"id": user.id, "name": user.name, "about": user.about},
            "interactions": [_plain(row) for row in read["interactions"]],
            "feedback": [_plain(row) for row in read["feedback"]],
            "conversations": [
                {
                    "session_id": row["id"],
                    "started": row["started"],
                    "updated": row["updated"],
                    "messages": json.loads(row["transcript"]),
                }
                for row in read["conversations"]
            ],
        }

    def forget(self, user_id: str) -> dict[str, int]:
        """Delete the shopper's interactions, feedback events, conversations and account in one transaction;
        returns the counts deleted. Forgetting a shopper who is not there deletes nothing."""
        tables = (
            (interactions, interactions.c.user_id),
            (feedback_events, feedback_events.c.user_id),
            (sessions, sessions.c.user_id),
            (users, users.c.id),
        )
        deleted = self.database.run(
            lambda db: {
                str(table.name): db.execute(delete(table).where(key == user_id)).rowcount for table, key in tables
            }
        )
        self._personas = None
        return deleted


_USERS = select(users.c.id, users.c.name, users.c.about, users.c.persona)
_INTERACTION = (
    interactions.c.user_id,
    interactions.c.item_id,
    interactions.c.kind,
    interactions.c.time,
    interactions.c.session_id,
)


def _user(row) -> User:
    return User(row[0], row[1], row[2], bool(row[3]))


def _plain(row) -> dict:
    """A row as a dict keyed by plain `str`: column names can come back as SQLAlchemy's `quoted_name` (a `str`
    subclass), which a strict JSON encoder such as Gradio's orjson refuses as a key."""
    return {str(key): value for key, value in row.items()}
