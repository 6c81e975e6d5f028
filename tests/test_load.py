"""Load: 20 concurrent sessions through `gradio_client` against a live app on loopback, 5 turns each.

Each session asks for its own (category, colour) pair, so a card that leaked from another session would break
its constraints; each session's cards must also equal what the same script gets when run alone. The app runs as
on a Space with sign-in: eight sessions are signed-in shoppers, each of whose likes must land in SQLite exactly
once; eight shop as demo personas and four as guests, whose likes must land nowhere. Bounded: 20 sessions x 5
turns, every wait has a timeout.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from app_server import app_env, copy_data_dir, signed_in_cookie, space_env, start_server

from chat.scripted.runner import LiveSession
from chat.serve.build import read_catalog
from chat.serve.settings import AppSettings

pytest_plugins = ["conftest_app"]
pytestmark = pytest.mark.slow

SHOPPERS = ("maya", "leo", "grace", "nina") * 2 + ("me",) * 8 + ("guest",) * 4
TURNS = (
    "show me {colour} {category}",
    "something for the weekend",
    "more like the first one",
    "anything else?",
    "go back",
)
WAIT_SECONDS = 600


@dataclass(frozen=True)
class Spec:
    shopper: str
    category: str
    colour: str
    account: str = ""  # the signed-in username of a "me" session

    @property
    def user_id(self) -> str:
        return f"hf:{self.account}"

    def messages(self) -> list[str]:
        return [turn.format(colour=self.colour, category=self.category) for turn in TURNS]


@dataclass
class SessionRun:
    spec: Spec
    cards: list[list[dict]]  # each turn's cards
    liked: list[str]  # item ids liked, in order (the first twice)


@pytest.fixture(scope="module")
def load_server(demo_data_dir, tmp_path_factory):
    """A live app of its own (its users.sqlite is read after the run); yields (url, data folder)."""
    data_dir = copy_data_dir(demo_data_dir, tmp_path_factory, "load")
    everyone_on_loopback = {  # 20 sessions share one client address: only the per-session limits apply
        "WHISPERLITE_RATE_TURNS_PER_CLIENT": "100000",
        "WHISPERLITE_RATE_FEEDBACK_PER_CLIENT": "100000",
    }
    env = space_env(WHISPERLITE_DATA_DIR=str(data_dir), **everyone_on_loopback)
    server = start_server(env, data_dir.parent / "server.log")
    yield next(server), data_dir
    server.close()


def session_specs(data_dir: Path) -> list[Spec]:
    """20 sessions, each on a different (category, colour) pair with at least three items."""
    items = read_catalog(AppSettings.from_env(app_env(WHISPERLITE_DATA_DIR=str(data_dir)))).items
    pairs = Counter((item.category, item.colour) for item in items if item.category and item.colour)
    common = [pair for pair, count in pairs.most_common() if count >= 3][: len(SHOPPERS)]
    assert len(common) == len(SHOPPERS), f"the demo catalogue has only {len(common)} usable pairs"
    return [
        Spec(shopper, category, colour, f"shopper-{n}" if shopper == "me" else "")
        for n, (shopper, (category, colour)) in enumerate(zip(SHOPPERS, common))
    ]


def converse(url: str, spec: Spec, barrier: threading.Barrier | None = None) -> SessionRun:
    """Five say turns; with a barrier, wait for every session, then like card 1 twice and card 2 once."""
    session = LiveSession(url, spec.shopper, signed_in_cookie(spec.account) if spec.account else "")
    try:
        cards = []
        for message in spec.messages():
            answer = session.say(message)
            assert "error" not in answer, answer
            cards.append(answer["cards"])
        liked = []
        if barrier is not None:
            barrier.wait(timeout=WAIT_SECONDS)
            for position in (1, 1, 2):
                assert "error" not in session.feedback(position, "like")
                liked.append(cards[-1][position - 1]["id"])
        return SessionRun(spec, cards, liked)
    except BaseException:
        if barrier is not None:
            barrier.abort()  # the other sessions stop waiting for this one
        raise


@pytest.fixture(scope="module")
def runs(load_server) -> tuple[list[SessionRun], list[SessionRun]]:
    """(each script run alone, one after another; all scripts at once), against the same live app."""
    url, data_dir = load_server
    specs = session_specs(data_dir)
    alone = [converse(url, spec) for spec in specs]
    barrier = threading.Barrier(len(specs))
    with ThreadPoolExecutor(max_workers=len(specs)) as pool:
        futures = [pool.submit(converse, url, spec, barrier) for spec in specs]
        together = [future.result(timeout=WAIT_SECONDS) for future in futures]
    return alone, together


def test_every_card_of_every_concurrent_session_matches_its_own_category_and_colour(runs):
    _, together = runs
    for run in together:
        assert all(run.cards), f"{run.spec}: a turn without cards"
        wrong = [
            (turn, card["id"], card["category"], card["colour"])
            for turn, cards in enumerate(run.cards, start=1)
            for card in cards
            if (card["category"], card["colour"]) != (run.spec.category, run.spec.colour)
        ]
        assert not wrong, f"{run.spec}: cards of another session's request: {wrong}"


def test_each_concurrent_session_gets_exactly_the_cards_it_gets_alone(runs):
    alone, together = runs
    for single, concurrent in zip(alone, together):
        assert [[c["id"] for c in cards] for cards in concurrent.cards] == [
            [c["id"] for c in cards] for cards in single.cards
        ], concurrent.spec


def test_every_like_of_a_signed_in_shopper_lands_in_sqlite_exactly_once_and_no_other_like_does(runs, load_server):
    _, together = runs
    _, data_dir = load_server
    with sqlite3.connect(data_dir / "users.sqlite") as db:
        rows = db.execute(
            "SELECT user_id, item_id, session_id FROM interactions WHERE kind = 'like' AND session_id IS NOT NULL"
        ).fetchall()
    stored = [run for run in together if run.spec.account]  # a persona's or guest's likes last for the session
    expected = Counter((run.spec.user_id, item) for run in stored for item in set(run.liked))
    assert Counter((user, item) for user, item, _ in rows) == expected
    sessions_per_shopper = Counter(user for user, _ in {(user, session) for user, _, session in rows})
    assert sessions_per_shopper == Counter(run.spec.user_id for run in stored)


def test_every_saved_transcript_is_a_signed_in_shoppers_and_holds_one_sessions_messages_only(runs, load_server):
    alone, _ = runs
    _, data_dir = load_server
    signed_in = [run.spec for run in alone if run.spec.account]
    scripts = {(spec.user_id, tuple(spec.messages())) for spec in signed_in}
    with sqlite3.connect(data_dir / "users.sqlite") as db:
        saved = db.execute("SELECT user_id, transcript FROM sessions").fetchall()
    said = [(user, tuple(m["data"]["content"] for m in json.loads(t) if m["type"] == "human")) for user, t in saved]
    assert len(said) == 2 * len(signed_in)
    assert Counter(said) == Counter({script: 2 for script in scripts})
