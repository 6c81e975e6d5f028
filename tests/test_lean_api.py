"""The lean JSON API: one plain HTTP POST to `/gradio_api/run/<name>` per call, outside Gradio's queue, against a
live app. The session is the client's `session_hash`: its conversation carries over from call to call, two
hashes never share one, and the app's own rate limits still apply to every call."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import httpx
import pytest
from app_server import app_env, copy_data_dir, start_server

pytest_plugins = ["conftest_app"]
pytestmark = pytest.mark.slow

TURNS_PER_SESSION = 5


@pytest.fixture(scope="module")
def data_dir(demo_data_dir, tmp_path_factory) -> Path:
    return copy_data_dir(demo_data_dir, tmp_path_factory, "lean-api")


@pytest.fixture(scope="module")
def url(data_dir):
    env = app_env(WHISPERLITE_DATA_DIR=str(data_dir), WHISPERLITE_RATE_TURNS_PER_SESSION=str(TURNS_PER_SESSION))
    server = start_server(env, data_dir.parent / "server.log")
    yield next(server)
    server.close()


class Session:
    def __init__(self, url: str, shopper: str = "guest"):
        self.http = httpx.Client(base_url=url, timeout=60)
        self.hash, self.shopper = uuid.uuid4().hex[:12], shopper

    def say(self, message: str) -> dict:
        body = {"data": [message, self.shopper, None, None], "session_hash": self.hash}
        response = self.http.post("/gradio_api/run/turn", json=body)
        assert response.status_code == 200, response.text
        return response.json()["data"][0]


def test_a_turn_is_one_post_answered_with_the_cards_as_json(url):
    answer = Session(url).say("a summer dress")
    assert answer["cards"] and all(card["category"] == "dress" for card in answer["cards"])
    assert answer["reply"].startswith("Here are")


def test_the_sessions_conversation_carries_over_from_post_to_post(url):
    session = Session(url)
    session.say("a summer dress")
    refined = session.say("in blue")
    assert refined["cards"] and all(c["category"] == "dress" and c["colour"] == "blue" for c in refined["cards"])


def test_two_session_hashes_never_share_a_conversation(url):
    dresses, sneakers = Session(url), Session(url)
    dresses.say("a summer dress")
    sneakers.say("sporty sneakers")
    assert all(card["category"] == "dress" for card in dresses.say("in blue")["cards"])
    assert not any(card["category"] == "dress" for card in sneakers.say("in blue")["cards"])


def test_the_card_pictures_are_thumbnails_the_browser_can_fetch(url):
    cards = Session(url).say("an evening bag")["cards"]
    with httpx.Client(base_url=url, timeout=20) as http:
        responses = [http.get(card["picture"]) for card in cards]
    assert cards and all("/thumbnails/" in card["picture"] for card in cards)
    assert all(r.status_code == 200 and r.headers["content-type"] == "image/webp" for r in responses)


def test_a_card_names_no_path_on_the_server(url, data_dir):
    cards = Session(url).say("an evening bag")["cards"]
    told = [str(value) for card in cards for name, value in card.items() if name != "picture"]
    assert cards and "image" not in cards[0]
    assert not any(text.startswith("/") or str(data_dir) in text for text in told)


def test_the_per_session_rate_limit_applies_to_the_lean_endpoint(url):
    session = Session(url)
    answers = [session.say("a summer dress") for _ in range(TURNS_PER_SESSION + 1)]
    assert all("error" not in answer for answer in answers[:TURNS_PER_SESSION])
    assert "error" in answers[-1] and answers[-1]["cards"] == []


def test_once_the_page_is_up_the_app_makes_every_pictures_thumbnail_in_the_background(url, data_dir):
    log, deadline = data_dir.parent / "server.log", time.monotonic() + 180
    while "thumbnails of" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.5)
    ready = next(line for line in log.read_text().splitlines() if "thumbnails of" in line)
    served = int(ready.split("thumbnails of ")[1].split()[0])
    assert served == 480  # every drawn demo item has a picture
    assert len(list((data_dir / "pictures" / "thumbnails").glob("*.webp"))) == served
