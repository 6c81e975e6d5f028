"""What a turn pays the user database: a shopper's history read and one like written, per backend.

It decides two things: whether SQLAlchemy Core costs a turn anything against the hand-written sqlite3 it replaced
(same query, a connection per call), and whether the SQLite engine should keep a connection per call (NullPool,
as shipped: a damaged or replaced file is seen at once) or pool connections. PostgreSQL runs on a throwaway local
server (`tests/postgres_server.py`), pooled with pre-ping as the app runs it.

    flock /tmp/bench.lock python bench/bench_user_store.py   # writes bench/results/user-store.{json,md}
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.pool import QueuePool

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "bench")]

from machine import machine, machine_markdown  # noqa: E402
from postgres_server import started_server  # noqa: E402

from store import database  # noqa: E402
from store.users import Interaction, User, UserStore  # noqa: E402

SHOPPERS, PER_SHOPPER, HISTORY, ROUNDS = 500, 100, 50, 400
RESULTS = REPO / "bench" / "results"
DECISION = (
    "Decision: SQLite keeps a connection per call (NullPool). Pooling reads faster, but with pooled connections a "
    "file damaged or truncated while the app runs is no longer refused with the clear message on the next read "
    "(tests/test_user_store.py's two damage tests fail with a pool), and the difference is 1 to 1.5 ms "
    "a call (a turn reads the store two or three times) against a turn whose plain-HTTP p95 is 38 ms "
    "(bench/results/live.md). PostgreSQL stays pooled with pre-ping: a new server connection per call would pay "
    "a TCP and authentication round trip each time (not measured here)."
)


def filled(store: UserStore) -> UserStore:
    for n in range(SHOPPERS):
        store.add_user(User(f"u{n}", f"Shopper {n}"))
    store.record_many(
        [
            Interaction(f"u{n}", f"i{(n * 7 + k) % 5000}", "like" if k % 3 else "purchase", float(k))
            for n in range(SHOPPERS)
            for k in range(PER_SHOPPER)
        ]
    )
    return store


def hand_written_history(path: Path) -> Callable[[str], list]:
    """The history read as `store/users.py` did it before SQLAlchemy: sqlite3, a connection per call."""

    def history(user_id: str) -> list:
        db = sqlite3.connect(path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            with db:
                rows = db.execute(
                    "SELECT user_id, item_id, kind, time, session_id FROM interactions WHERE user_id = ? AND kind "
                    "IN (?,?) ORDER BY time DESC, id DESC LIMIT ?",
                    (user_id, "purchase", "like", HISTORY),
                ).fetchall()
        finally:
            db.close()
        return [Interaction(*row) for row in reversed(rows)]

    return history


def pooled_sqlite(path: Path) -> UserStore:
    """The alternative to NullPool: the same store with SQLite connections kept in a pool."""
    url = f"sqlite:///{path}"
    engine = create_engine(url, poolclass=QueuePool, connect_args={"timeout": 30, "check_same_thread": False})
    event.listen(engine, "connect", database._sqlite_pragmas)
    store = UserStore.__new__(UserStore)
    store.database = database.Database.__new__(database.Database)
    store.database.url, store.database.engine = url, engine
    return store


def timed(call: Callable[..., object], *arguments: object) -> float:
    start = time.perf_counter()
    call(*arguments)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    details = machine(torch_threads=0)
    folder = Path(tempfile.mkdtemp(prefix="bench-user-store-"))
    server = started_server()
    try:
        sqlite_path = folder / "users.sqlite"
        stores = {
            "SQLAlchemy, SQLite file, a connection per call (shipped)": filled(UserStore(sqlite_path)),
            "SQLAlchemy, PostgreSQL local server, pooled with pre-ping (shipped)": filled(
                UserStore(server.create_database())
            ),
        }
        stores["SQLAlchemy, SQLite file, pooled connections (alternative)"] = pooled_sqlite(sqlite_path)
        reads: dict[str, Callable[[str], object]] = {
            "sqlite3 by hand, a connection per call (before)": hand_written_history(sqlite_path),
            **{name: (lambda user, s=store: s.history(user, limit=HISTORY)) for name, store in stores.items()},
        }
        for read in reads.values():  # warm the caches and the pools
            read("u0")
        history = {name: [] for name in reads}
        likes = {name: [] for name in stores}
        for r in range(ROUNDS):  # interleaved, so load changes hit every backend alike
            user = f"u{(r * 37) % SHOPPERS}"
            for name, read in reads.items():
                history[name].append(timed(read, user))
            for name, store in stores.items():
                likes[name].append(timed(store.record, user, f"new{r}", "like"))
        details["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
    finally:
        server.remove()

    def summary(samples: list[float]) -> dict:
        ordered = sorted(samples)
        return {
            "median_ms": round(statistics.median(ordered), 3),
            "p95_ms": round(ordered[int(0.95 * len(ordered))], 3),
        }

    result = {
        "machine": details,
        "setup": {"shoppers": SHOPPERS, "interactions_per_shopper": PER_SHOPPER, "history_read": HISTORY},
        "rounds": ROUNDS,
        "history_read": {name: summary(samples) for name, samples in history.items()},
        "like_written": {name: summary(samples) for name, samples in likes.items()},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "user-store.json").write_text(json.dumps(result, indent=2) + "\n")
    base = result["history_read"]["sqlite3 by hand, a connection per call (before)"]["median_ms"]
    lines = [
        "# User store: a turn's history read and a like written, per backend",
        "",
        machine_markdown(details) + f" Load average at end: {', '.join(map(str, details['load_average_at_end']))}.",
        "",
        f"{SHOPPERS} shoppers x {PER_SHOPPER} interactions; the history read is the last {HISTORY} likes and "
        f"purchases of one shopper; {ROUNDS} rounds, backends interleaved in each round. Run: "
        "`flock /tmp/bench.lock python bench/bench_user_store.py`.",
        "",
        "| backend | history read median (ms) | p95 (ms) | vs before | like written median (ms) | p95 (ms) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, read in result["history_read"].items():
        like = result["like_written"].get(name)
        written = f"{like['median_ms']} | {like['p95_ms']}" if like else "- | -"
        ratio = f"{read['median_ms'] / base:.2f}x"
        lines.append(f"| {name} | {read['median_ms']} | {read['p95_ms']} | {ratio} | {written} |")
    lines += ["", DECISION]
    (RESULTS / "user-store.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
