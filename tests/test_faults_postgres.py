"""Faults of the user database on a real PostgreSQL server: restarted between two likes (both stored, the
conversation goes on), a connection dropped in the middle of a write (run again), and the server down (the
shopper is told, and nothing is stored twice or lost in silence once it is back)."""

from __future__ import annotations

import threading

import pytest
from app_server import app_env, copy_data_dir
from postgres_server import Unavailable, started_server
from sqlalchemy import insert, select, text
from test_ui_handlers import profile

from chat.serve.build import build_app
from chat.serve.settings import AppSettings
from chat.web.handlers import Handlers
from chat.web.identity import GUEST, ME
from store.database import Database, users

pytest_plugins = ["conftest_app"]
pytestmark = pytest.mark.slow  # builds the app on the demo data


@pytest.fixture(scope="module")
def own_server():
    """A server of this module's own: stopping it never disturbs the suite's shared one."""
    try:
        server = started_server()
    except Unavailable as error:
        pytest.skip(f"no PostgreSQL server for the tests: {error}")
    yield server
    server.remove()


@pytest.fixture
def server(own_server):
    yield own_server
    if not own_server.running():  # a test that failed while the server was down leaves it running for the next
        own_server.start()


@pytest.fixture(scope="module")
def handlers(demo_data_dir, tmp_path_factory, own_server) -> Handlers:
    """The demo app with its users, likes and feedback on the server (the built demo data otherwise)."""
    data = copy_data_dir(demo_data_dir, tmp_path_factory, "on-postgres")
    env = app_env(WHISPERLITE_DATA_DIR=str(data), WHISPERLITE_USERS_URL=own_server.create_database())
    return Handlers(build_app(AppSettings.from_env(env), progress=False))


def test_a_like_after_the_server_restarted_is_stored_beside_the_one_before(handlers, server):
    ada = profile("ada")
    result, chat = handlers.turn("a summer dress", ME, None, ada)
    first = handlers.feedback(1, "like", chat, ada)
    server.restart()
    second = handlers.feedback(2, "like", chat, ada)
    assert "error" not in first and "error" not in second
    shown = [card.item.id for card in result["cards"][:2]]
    assert [i.item_id for i in handlers.app.users.history("hf:ada")] == shown
    assert [e.item_id for e in handlers.app.feedback.events() if e.user_id == "hf:ada"] == shown


def test_the_conversation_goes_on_after_the_server_restarted(handlers, server):
    bo = profile("bo")
    _, chat = handlers.turn("a summer dress", ME, None, bo)
    server.restart()
    result, chat = handlers.turn("in blue", ME, chat, bo)
    assert "error" not in result and all(card.item.colour == "blue" for card in result["cards"])
    assert [m["data"]["content"] for m in handlers.app.users.transcript(chat.session_id)][::2] == [
        "a summer dress",
        "in blue",
    ]


def test_a_like_while_the_server_is_down_is_reported_and_stored_once_when_pressed_again(handlers, server):
    cy = profile("cy")
    result, chat = handlers.turn("a summer dress", ME, None, cy)
    server.stop()
    refused = handlers.feedback(1, "like", chat, cy)
    server.start()
    assert "was not saved" in refused["error"] and "database" in refused["error"]
    assert handlers.app.users.history("hf:cy") == []
    assert "error" not in handlers.feedback(1, "like", chat, cy)
    assert [i.item_id for i in handlers.app.users.history("hf:cy")] == [result["cards"][0].item.id]


def test_a_message_while_the_server_is_down_gets_an_answer_saying_so(handlers, server):
    dee = profile("dee")
    _, chat = handlers.turn("a summer dress", ME, None, dee)
    server.stop()
    result, _ = handlers.turn("in blue", ME, chat, dee)
    assert "database is not answering" in result["error"] and result["cards"] == []


def test_a_guests_like_while_the_server_is_down_is_kept_and_logged_with_the_next_message(handlers, server):
    result, chat = handlers.turn("a summer dress", GUEST, None)
    server.stop()
    noted = handlers.feedback(1, "like", chat)
    server.start()
    assert "kept and saved later" in noted["error"]
    handlers.turn("in blue", GUEST, chat)
    logged = [(e.kind, e.item_id) for e in handlers.app.feedback.events() if e.session_id == chat.session_id]
    assert ("like", result["cards"][0].item.id) in logged


def test_a_write_whose_connection_drops_half_way_runs_again_on_a_new_connection(postgres_server):
    database = Database(postgres_server.create_database())
    attempts = []

    def add_a_shopper_losing_the_first_connection(db):
        attempts.append(db.execute(text("SELECT pg_backend_pid()")).scalar_one())
        if len(attempts) == 1:
            db.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
        db.execute(insert(users).values(id="eve", name="Eve", created=1.0))

    database.run(add_a_shopper_losing_the_first_connection)
    assert len(attempts) == 2 and attempts[0] != attempts[1]
    assert database.run(lambda db: db.execute(select(users.c.name)).scalars().all()) == ["Eve"]


def test_a_like_pressed_while_the_server_restarts_is_stored_once_it_is_up(handlers, server):
    fay = profile("fay")
    result, chat = handlers.turn("a summer dress", ME, None, fay)
    server.stop()
    starting = threading.Timer(0.3, server.start)  # back within the store's pauses between tries
    starting.start()
    answer = handlers.feedback(1, "like", chat, fay)
    starting.join()
    assert "error" not in answer
    assert [i.item_id for i in handlers.app.users.history("hf:fay")] == [result["cards"][0].item.id]
