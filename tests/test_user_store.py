"""UserStore over each backend: a real SQLite file and a real PostgreSQL server (the `users_url` fixture)."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import orjson
import pytest
from sqlalchemy import text

from store.database import engine
from store.users import Interaction, UnknownUser, User, UserStore, UserStoreError


def with_two_shoppers(store: UserStore) -> UserStore:
    store.add_user(User("ana", "Ana", "bohemian summer dresses"))
    store.add_user(User("ben", "Ben"))
    return store


@pytest.fixture
def users(users_url) -> UserStore:
    return with_two_shoppers(UserStore(users_url))


@pytest.fixture
def sqlite_users(tmp_path) -> UserStore:
    """The SQLite backend alone, for what only a file can suffer (damage, an old layout)."""
    return with_two_shoppers(UserStore(tmp_path / "users.sqlite"))


def test_history_is_ordered_by_time_whatever_the_insert_order(users):
    for item, when in [("c", 30.0), ("a", 10.0), ("b", 20.0)]:
        users.record("ana", item, "purchase", when=when)
    assert [i.item_id for i in users.history("ana")] == ["a", "b", "c"]


def test_history_before_a_time_excludes_that_time_and_later(users):
    for item, when in [("a", 10.0), ("b", 20.0), ("c", 30.0)]:
        users.record("ana", item, "like", when=when)
    assert [i.item_id for i in users.history("ana", before=20.0)] == ["a"]


def test_history_limit_keeps_the_most_recent_items_oldest_first(users):
    for n in range(5):
        users.record("ana", f"i{n}", "purchase", when=float(n))
    assert [i.item_id for i in users.history("ana", limit=2)] == ["i3", "i4"]


def test_history_holds_purchases_and_likes_but_not_dislikes_by_default(users):
    users.record("ana", "p", "purchase", when=1.0)
    users.record("ana", "l", "like", when=2.0)
    users.record("ana", "d", "dislike", when=3.0)
    assert [i.kind for i in users.history("ana")] == ["purchase", "like"]
    assert [i.item_id for i in users.history("ana", kinds=("dislike",))] == ["d"]


def test_histories_of_two_users_never_mix(users):
    users.record("ana", "x", "like", when=1.0)
    users.record("ben", "y", "like", when=1.0)
    assert [i.item_id for i in users.history("ben")] == ["y"]


def test_history_survives_reopening_in_another_process(users):
    users.record("ana", "kept", "purchase", when=5.0)
    script = f"from store.users import UserStore; print(UserStore({users.url!r}).history('ana')[0].item_id)"
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    assert output.stdout.strip() == "kept"


def test_recording_for_an_unknown_user_is_refused(users):
    with pytest.raises(UnknownUser):
        users.record("nobody", "x", "like")
    assert users.count_interactions() == 0


def test_an_unknown_kind_is_refused(users):
    with pytest.raises(ValueError, match="kind"):
        users.record("ana", "x", "wishlist")  # type: ignore[arg-type]


def test_a_failed_batch_writes_nothing(users):
    batch = [Interaction("ana", "ok", "like", 1.0), Interaction("ghost", "bad", "like", 2.0)]
    with pytest.raises(Exception):  # noqa: B017 - the database's IntegrityError for the unknown user
        users.record_many(batch)
    assert users.count_interactions() == 0


def test_unknown_user_lookup_raises(users):
    with pytest.raises(UnknownUser):
        users.user("nobody")


def test_adding_a_user_twice_updates_rather_than_duplicates(users):
    users.add_user(User("ana", "Ana B."))
    assert [u.name for u in users.users()] == ["Ana B.", "Ben"]


def test_transcript_round_trips(users):
    messages = [{"type": "human", "content": "a <b>red</b> dress"}, {"type": "ai", "content": "Here you go"}]
    users.save_transcript("s1", "ana", messages)
    users.save_transcript("s1", "ana", messages + [{"type": "human", "content": "cheaper"}])
    assert users.transcript("s1")[-1]["content"] == "cheaper" and len(users.transcript("s1")) == 3


def test_a_corrupt_file_gives_a_clear_error_naming_the_path(tmp_path):
    path = tmp_path / "users.sqlite"
    path.write_bytes(b"garbage" * 1000)
    with pytest.raises(UserStoreError, match=str(path)):
        UserStore(path)


def test_a_database_damaged_while_open_gives_a_clear_error_on_the_next_read(sqlite_users, tmp_path):
    path = tmp_path / "users.sqlite"
    path.write_bytes(b"garbage" * 1000)
    with pytest.raises(UserStoreError, match=str(path)):
        sqlite_users.history("ana")


def test_a_truncated_database_gives_a_clear_error(sqlite_users, tmp_path):
    for n in range(200):
        sqlite_users.record("ana", f"i{n}", "like", when=float(n))
    path = tmp_path / "users.sqlite"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA wal_checkpoint(TRUNCATE)')",
            str(path),
        ],
        check=True,
    )
    engine(sqlite_users.url).dispose()  # as a new process would: the pool's open connections cache the old pages
    path.write_bytes(path.read_bytes()[:1500])
    for leftover in tmp_path.glob("users.sqlite-*"):
        leftover.unlink()
    with pytest.raises(UserStoreError, match="users.sqlite"):
        UserStore(path)


def test_personas_lists_demo_shoppers_and_never_an_account(users):
    users.add_user(User("maya", "Maya", "boho", persona=True))
    assert [u.id for u in users.personas()] == ["maya"]
    assert users.user("ana").persona is False and users.user("maya").persona is True


def test_export_holds_the_shoppers_interactions_and_conversations_only(users):
    users.record("ana", "a", "like", when=10.0, session_id="s1")
    users.record("ben", "b", "like", when=11.0, session_id="s2")
    users.save_transcript("s1", "ana", [{"type": "human", "data": {"content": "a dress"}}])
    users.save_transcript("s2", "ben", [{"type": "human", "data": {"content": "ben's secret"}}])
    data = users.export("ana")
    assert data["user"] == {"id": "ana", "name": "Ana", "about": "bohemian summer dresses"}
    assert data["interactions"] == [{"item_id": "a", "kind": "like", "time": 10.0, "session_id": "s1"}]
    assert [c["session_id"] for c in data["conversations"]] == ["s1"]
    assert "ben's secret" not in str(data)


def test_what_a_shopper_downloads_or_forgets_encodes_as_strict_json(users):
    """Gradio answers with orjson, which refuses a key that is a `str` subclass (SQLAlchemy's `quoted_name`)."""
    users.record("ana", "a", "like", session_id="s1")
    users.save_transcript("s1", "ana", [])
    assert orjson.loads(orjson.dumps(users.export("ana")))["interactions"][0]["item_id"] == "a"
    assert orjson.loads(orjson.dumps(users.forget("ana")))["users"] == 1


def test_forget_deletes_every_row_of_the_shopper_and_nothing_else(users):
    users.record("ana", "a", "like", session_id="s1")
    users.record("ben", "b", "like", session_id="s2")
    users.save_transcript("s1", "ana", [])
    users.save_transcript("s2", "ben", [])
    assert users.forget("ana") == {"interactions": 1, "feedback_events": 0, "sessions": 1, "users": 1}
    with users.database.engine.connect() as db:
        rows = [
            row
            for table in ("users", "interactions", "sessions")
            for row in db.execute(text(f"SELECT * FROM {table}")).all()
            if "ana" in row
        ]
    assert rows == [] and users.count_interactions("ben") == 1
    with pytest.raises(UnknownUser):
        users.user("ana")


def test_personas_kept_between_turns_still_show_a_persona_added_after_the_first_read(users):
    users.add_user(User("maya", "Maya", "boho", persona=True))
    assert [u.id for u in users.personas()] == ["maya"]
    users.add_user(User("leo", "Leo", "sporty", persona=True))
    assert [u.id for u in users.personas()] == ["maya", "leo"]


def test_personas_kept_between_turns_drop_a_persona_that_is_forgotten(users):
    users.add_user(User("maya", "Maya", "boho", persona=True))
    assert [u.id for u in users.personas()] == ["maya"]
    users.forget("maya")
    assert users.personas() == []


def test_a_store_written_before_personas_opens_and_marks_everyone_an_account(tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, about TEXT NOT NULL DEFAULT '', "
            "created REAL NOT NULL)"
        )
        db.execute("INSERT INTO users VALUES ('maya', 'Maya', '', 1.0)")
    assert UserStore(path).user("maya") == User("maya", "Maya", "", persona=False)


def test_a_users_sqlite_written_before_the_move_to_sqlalchemy_opens_with_its_data(tmp_path):
    path = tmp_path / "users.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
        db.execute("INSERT INTO users VALUES ('ana', 'Ana', 'boho', 1.0, 1)")
        db.execute(
            "INSERT INTO interactions (user_id, item_id, kind, time, session_id) VALUES ('ana', 'd1', 'like', 2.0, 's')"
        )
        db.execute("INSERT INTO sessions VALUES ('s', 'ana', 1.0, 2.0, '[{\"type\": \"human\"}]')")
    store = UserStore(path)
    assert store.personas() == [User("ana", "Ana", "boho", persona=True)]
    assert [(i.item_id, i.time, i.session_id) for i in store.history("ana")] == [("d1", 2.0, "s")]
    assert store.transcript("s") == [{"type": "human"}]
    assert store.record("ana", "d2", "like") == 2  # the old AUTOINCREMENT sequence goes on


def test_the_database_is_named_by_a_url_or_a_path_alike(tmp_path):
    UserStore(tmp_path / "users.sqlite").add_user(User("ana", "Ana"))
    assert UserStore(f"sqlite:///{tmp_path / 'users.sqlite'}").user("ana").name == "Ana"


def test_an_unreachable_server_gives_a_clear_error_naming_it_and_the_fix():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(UserStoreError, match=rf"127\.0\.0\.1:{port}.*Start the PostgreSQL server") as raised:
        UserStore(f"postgresql://shop:secret@127.0.0.1:{port}/shop")
    assert "secret" not in str(raised.value) and "WHISPERLITE_USERS_URL" in str(raised.value)


@pytest.mark.parametrize("url", ["mysql://shop@localhost/shop", "sqlite://"], ids=["mysql", "in-memory"])
def test_a_url_of_a_database_that_cannot_be_the_user_store_is_refused_naming_what_works(url):
    with pytest.raises(ValueError, match="postgresql://user:password@host"):
        UserStore(url)


# users.sqlite as the app wrote it before store/database.py (hand-written SQL, sqlite3)
OLD_SCHEMA = """
CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, about TEXT NOT NULL DEFAULT '', created REAL NOT NULL,
    persona INTEGER NOT NULL DEFAULT 0);
CREATE TABLE interactions (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL REFERENCES users(id),
    item_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('purchase', 'like', 'dislike')), time REAL NOT NULL,
    session_id TEXT);
CREATE INDEX interactions_by_user_time ON interactions (user_id, time);
CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, started REAL NOT NULL, updated REAL NOT NULL,
    transcript TEXT NOT NULL DEFAULT '[]');
"""


def test_replicas_opening_a_new_server_database_at_once_create_its_tables_without_an_error(postgres_server):
    url = postgres_server.create_database()
    with ThreadPoolExecutor(4) as replicas:
        opened = list(replicas.map(lambda _: UserStore(url), range(4)))
    opened[0].add_user(User("ana", "Ana"))
    assert [store.user("ana").name for store in opened] == ["Ana"] * 4
