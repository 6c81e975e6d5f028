"""The user database behind `UserStore`, `FeedbackLog` and `RatingStore`: its schema, its engine and its errors.

One schema (a SQLAlchemy `MetaData`) serves both backends: a SQLite file (the default, WAL journal, a pool of
open connections: opening one per call cost each turn three connects and their pragmas) or a PostgreSQL server
(`postgresql+psycopg://…`, a pool whose connections are pinged before use). The tables are created when missing,
so a users.sqlite written before this module opens unchanged.

A write that fails because the server dropped the connection (a restart) is run once more on a new connection;
if that fails too the caller gets a `UserStoreError` saying how to fix it, so nothing is lost in silence.
Alembic is not used: the schema has one upgrade in its history (the `persona` column), done by `_upgrade`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

from sqlalchemy import (
    CheckConstraint,
    Column,
    Connection,
    Double,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError, OperationalError

T = TypeVar("T")

metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("about", Text, nullable=False, server_default=""),
    Column("created", Double, nullable=False),
    Column("persona", Integer, nullable=False, server_default="0"),  # 1: a public demo shopper
)

interactions = Table(
    "interactions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Text, ForeignKey("users.id"), nullable=False),
    Column("item_id", Text, nullable=False),
    Column("kind", Text, CheckConstraint("kind IN ('purchase', 'like', 'dislike')"), nullable=False),
    Column("time", Double, nullable=False),
    Column("session_id", Text),
    Index("interactions_by_user_time", "user_id", "time"),
    sqlite_autoincrement=True,
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Text, primary_key=True),
    Column("user_id", Text, nullable=False),
    Column("started", Double, nullable=False),
    Column("updated", Double, nullable=False),
    Column("transcript", Text, nullable=False, server_default="[]"),  # LangChain messages as JSON
)

feedback_events = Table(
    "feedback_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Text, nullable=False),
    Column("user_id", Text),
    Column("item_id", Text),
    Column(
        "kind",
        Text,
        CheckConstraint("kind IN ('like', 'dislike', 'reject', 'relax', 'purchase', 'rating')"),
        nullable=False,
    ),
    Column("request", Text, nullable=False),
    Column("time", Double, nullable=False),
    Column("grade", Integer, CheckConstraint("grade IS NULL OR grade BETWEEN 1 AND 5")),
    Column("detail", Text, nullable=False, server_default=""),
    Index("feedback_events_by_user", "user_id"),
    sqlite_autoincrement=True,
)

study_ratings = Table(
    "study_ratings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rater_session", Text, nullable=False),
    Column("account_id", Text),
    Column("task_id", Text, nullable=False),
    Column("request", Text, nullable=False),
    Column("k", Integer, nullable=False),
    Column("item_id", Text, nullable=False),
    Column("grade", Integer, CheckConstraint("grade BETWEEN 1 AND 5"), nullable=False),
    Column("systems", Text, nullable=False),  # {system: rank} as JSON
    Column("time", Double, nullable=False),
    Index("study_ratings_by_time", "time"),
    sqlite_autoincrement=True,
)

SQLITE_POOL = 40  # connections kept open to a SQLite file: one per worker thread of the server
# Seconds before each further try: a restart of the server is over within a second on a quiet machine, but a busy one
# (two test workers, a replica starting beside it) can take a few; a shopper waits at most their sum (3.5 s).
RETRY_PAUSES = (0.5, 1.0, 2.0)
_SCHEMA_LOCK = 7_140_014  # a PostgreSQL advisory lock: replicas starting together create the tables once


class UserStoreError(RuntimeError):
    """The user database cannot be used; the message names it and says how to fix it."""


def database_url(where: str | Path) -> str:
    """A SQLAlchemy URL from a SQLite file path or a URL (`postgresql://` means psycopg 3, the driver installed)."""
    if isinstance(where, Path) or "://" not in where:
        return f"sqlite:///{Path(where)}"
    try:
        url = make_url(where)
    except ArgumentError as error:
        raise ValueError(f"{_EXPECTED}, not {where!r}") from error
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


_EXPECTED = (
    "WHISPERLITE_USERS_URL must be a SQLite file (sqlite:///path/users.sqlite) or a PostgreSQL server "
    "(postgresql://user:password@host:5432/database)"
)


@cache
def engine(url: str) -> Engine:
    """One engine per URL for the whole process (its pool is shared by every store on that database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ValueError(f"{_EXPECTED}: the user database must outlive the process, not be in memory")
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # A pool as large as the server's worker threads (AnyIO's 40), so that no turn opens a connection of its own
        # under load; SQLAlchemy lets a file's connections move between threads (check_same_thread off).
        made = create_engine(parsed, pool_size=SQLITE_POOL, max_overflow=10, connect_args={"timeout": 30})
        event.listen(made, "connect", _sqlite_pragmas)
        return made
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"{_EXPECTED}, not {parsed.render_as_string()!r}")
    try:
        return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    except NoSuchModuleError as error:
        raise ValueError(f"{_EXPECTED}; the driver of {parsed.drivername!r} is not installed") from error


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # per connection; the journal mode is the file's, set once
    cursor.close()


class Database:
    """The user database at `where` (a SQLite file path or a SQLAlchemy URL), its tables created if missing."""

    def __init__(self, where: str | Path):
        self.url = database_url(where)
        self.engine = engine(self.url)
        self.run(_create_schema)
        if self.engine.dialect.name == "sqlite":  # WAL lasts in the file: set once, not on each of a turn's reads
            self.run(lambda connection: connection.exec_driver_sql("PRAGMA journal_mode=WAL"))

    @property
    def name(self) -> str:
        """What error messages call it: the SQLite file's path, or the server's URL without its password."""
        url = make_url(self.url)
        return url.database if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=True)

    def run(self, work: Callable[[Connection], T]) -> T:
        """`work` in one transaction (committed on success, rolled back on error), run again on a new connection
        after each of `RETRY_PAUSES` while the last try was dropped under it or could not be opened
        (`_worth_a_retry`). Integrity errors (a broken constraint) reach the caller."""
        for pause in RETRY_PAUSES:
            try:
                return self._run_once(work)
            except DBAPIError as error:
                if not self._worth_a_retry(error):
                    raise self._explained(error) from error
            time.sleep(pause)
        try:
            return self._run_once(work)
        except DBAPIError as error:
            raise self._explained(error) from error

    def _worth_a_retry(self, error: DBAPIError) -> bool:
        """A connection dropped under the work, or a server that refused or closed a new one (restarting, starting
        up, shutting down: psycopg's OperationalError on connect); never a SQLite file's error."""
        if error.connection_invalidated:
            return True
        return self.engine.dialect.name != "sqlite" and isinstance(error, OperationalError)

    def upsert(self, table: Table, values: dict, update: tuple[str, ...]):
        """An insert that updates the `update` columns when the primary key is there already."""
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(table).values(values)
        keys = [column.name for column in table.primary_key]
        return statement.on_conflict_do_update(index_elements=keys, set_={n: statement.excluded[n] for n in update})

    def _run_once(self, work: Callable[[Connection], T]) -> T:
        with self.engine.begin() as connection:
            return work(connection)

    def _explained(self, error: DBAPIError) -> Exception:
        if isinstance(error, IntegrityError):
            return error
        reason = str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)
        if self.engine.dialect.name == "sqlite":
            return UserStoreError(
                f"the user store {self.name} is not a usable SQLite database ({reason}). "
                "Move it aside and restart: a new one is created and the demo shoppers are seeded again."
            )
        if isinstance(error, OperationalError):
            return UserStoreError(
                f"cannot reach the user database {self.name} ({reason}). Start the PostgreSQL server, or correct "
                "the host, port, user, password or database name in WHISPERLITE_USERS_URL (unset it to use the "
                "SQLite file in the data folder)."
            )
        return UserStoreError(f"the user database {self.name} refused a query ({reason}).")


def _create_schema(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
    metadata.create_all(connection)
    _upgrade(connection)


def _upgrade(connection: Connection) -> None:
    """A store written before personas and accounts were told apart has no `persona`: everyone is an account."""
    if "persona" not in {column["name"] for column in inspect(connection).get_columns("users")}:
        connection.execute(text("ALTER TABLE users ADD COLUMN persona INTEGER NOT NULL DEFAULT 0"))
