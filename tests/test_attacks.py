"""An attacker's script against a live app, run as on a Space with Hugging Face sign-in.

Two signed-in visitors (Alice, the victim, and Mallory) and anonymous visitors probe every file route Gradio
serves and try to act as someone else through the HTTP API. Sign-in uses the session cookie Gradio's OAuth sets
(`signed_in_cookie`). After the run: every private file was refused, every card picture served, Alice's history
is byte-for-byte what it was, the demo personas' histories are unchanged, and "forget me" leaves no row.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import urllib.parse
from pathlib import Path

import httpx
import pytest
from app_server import REPO, copy_data_dir, signed_in_cookie, space_env, start_server

from chat.scripted.runner import LiveSession

pytest_plugins = ["conftest_app"]
pytestmark = pytest.mark.slow

SQLITE_MAGIC = b"SQLite format 3"
TURNS_PER_SESSION, TURNS_PER_CLIENT = 10, 25


@pytest.fixture(scope="module")
def space(demo_data_dir, tmp_path_factory):
    """A live app with sign-in on its own copy of the demo; yields (url, data folder)."""
    data_dir = copy_data_dir(demo_data_dir, tmp_path_factory, "attacks")
    env = space_env(
        WHISPERLITE_DATA_DIR=str(data_dir),
        WHISPERLITE_RATE_TURNS_PER_SESSION=str(TURNS_PER_SESSION),
        WHISPERLITE_RATE_TURNS_PER_CLIENT=str(TURNS_PER_CLIENT),
    )
    server = start_server(env, data_dir.parent / "server.log")
    yield next(server), data_dir
    server.close()


def rows_of(data_dir: Path, user_id: str) -> list[tuple]:
    """Every stored row that names this shopper, in a stable order: what "unchanged" is checked against."""
    with sqlite3.connect(f"file:{data_dir / 'users.sqlite'}?mode=ro", uri=True) as db:
        return [
            (table, *row)
            for table, column in (("users", "id"), ("interactions", "user_id"), ("sessions", "user_id"))
            for row in db.execute(f"SELECT * FROM {table} WHERE {column} = ? ORDER BY rowid", (user_id,))
        ]


def client(url: str, shopper: str = "guest", user: str = "", address: str = "") -> LiveSession:
    """A visitor: signed in as `user` when given; `address` is the client address the Space's proxy reports."""
    session = LiveSession(url, shopper, signed_in_cookie(user) if user else "")
    if address:
        session.client.headers["X-Forwarded-For"] = address
    return session


@pytest.fixture(scope="module")
def victim(space) -> list[tuple]:
    """Alice shops and likes two cards; returns her stored rows afterwards."""
    url, data_dir = space
    alice = client(url, "me", user="alice", address="198.51.100.1")
    assert alice.say("a summer dress")["cards"]
    assert "Noted" in alice.feedback(1, "like")["reply"] and "Noted" in alice.feedback(2, "like")["reply"]
    stored = rows_of(data_dir, "hf:alice")
    assert sum(row[0] == "interactions" for row in stored) == 2
    return stored


# ---------------------------------------------------------------- files


def private_files(data_dir: Path) -> dict[str, Path]:
    checkpoint = next((data_dir / "checkpoints").glob("*.pt"))
    return {
        "users": data_dir / "users.sqlite",
        "users-wal": data_dir / "users.sqlite-wal",
        "chroma": data_dir / "chroma" / "chroma.sqlite3",
        "checkpoint": checkpoint,
        "catalogue cache": data_dir / "cache" / "demo-catalog" / "catalog.jsonl",
        "server log": data_dir.parent / "server.log",
        "source": REPO / "app.py",
        "project": REPO / "pyproject.toml",
        "git": REPO / ".git" / "config",
        "passwd": Path("/etc/passwd"),
    }


UPLOADS = Path(tempfile.gettempdir()) / "gradio"  # Gradio's upload and cache folder, which it serves


def spellings(target: Path, pictures: Path, symlink: Path) -> dict[str, str]:
    """Ways of writing a path to `target` in a URL: absolute, relative, `..` out of a served picture folder and
    out of Gradio's upload folder, URL-encoded, double-encoded, doubled slashes, a null byte, and a symlink
    inside a served folder."""
    climb = "../" * len(pictures.parts) + str(target).lstrip("/")
    return {
        "absolute": str(target),
        "relative": os.path.relpath(target, REPO),
        "dot-dot": f"{pictures}/{climb}",
        "dot-dot from uploads": f"{UPLOADS}/{'../' * len(UPLOADS.parts)}{str(target).lstrip('/')}",
        "encoded": urllib.parse.quote(str(target), safe=""),
        "encoded dot-dot": urllib.parse.quote(f"{pictures}/{climb}", safe=""),
        "double-encoded": urllib.parse.quote(urllib.parse.quote(f"{pictures}/{climb}", safe=""), safe=""),
        "doubled slashes": str(target).replace("/", "//"),
        "null byte": urllib.parse.quote(str(target)) + "%00.png",
        "symlink": str(symlink),
    }


FILE_ROUTES = ("/gradio_api/file=", "/file=", "/static/", "/assets/")
PROXY_ROUTE = "/gradio_api/proxy="  # Gradio's reverse proxy for loaded Spaces: 400 for any other URL
ROUTES = (*FILE_ROUTES, PROXY_ROUTE)


@pytest.fixture(scope="module")
def probes(space) -> list[tuple[str, str, str, Path]]:
    """(route, target name, spelling name, URL path) for every private file, spelling and file route."""
    url, data_dir = space
    pictures = data_dir / "cache" / "demo-catalog" / "images"
    found = []
    for name, target in private_files(data_dir).items():
        link = pictures / f"evil-{name.replace(' ', '-')}.png"
        link.symlink_to(target)
        for spelling, path in spellings(target, pictures, link).items():
            found += [(route, name, spelling, route + path) for route in ROUTES]
    return found


def too_long_a_name(path: str) -> bool:
    """Whether a part of the path, decoded once as the server does, is longer than the file system allows: the
    server cannot open such a file at all (its `stat` fails and Gradio answers 500), and a deeper temporary folder
    (a test worker's) pushes the double-encoded spellings past the limit."""
    limit = os.pathconf("/", "PC_NAME_MAX")
    return any(len(part.encode()) > limit for part in urllib.parse.unquote(path).split("/"))


def test_the_attacker_has_well_over_fifty_probes(probes):
    assert len(probes) >= 50


def test_every_private_file_is_refused_on_every_route_and_spelling(space, probes):
    url, data_dir = space
    secrets = {name: path.read_bytes()[:64] for name, path in private_files(data_dir).items() if path.is_file()}
    served = []
    for route, name, spelling, path in probes:
        response = httpx.get(url + path, timeout=20)  # a connection each: a Gradio 500 closes its connection
        leaked = SQLITE_MAGIC in response.content or (secrets.get(name) and secrets[name] in response.content)
        refused = (
            response.status_code in (403, 404)
            or (route == PROXY_ROUTE and response.status_code >= 400)
            or (response.status_code == 500 and too_long_a_name(path))
        )
        if leaked or not refused:
            served.append((route, name, spelling, response.status_code))
    assert served == []


def test_every_card_picture_is_served(space):
    url, _ = space
    cards = client(url, address="198.51.100.2").say("a bag")["cards"]
    with httpx.Client(base_url=url, timeout=20) as http:
        responses = [http.get(card["picture"]) for card in cards]
    assert cards and all(r.status_code == 200 and r.headers["content-type"].startswith("image/") for r in responses)


def test_an_upload_over_the_size_cap_is_refused(space):
    url, _ = space
    with httpx.Client(base_url=url, timeout=20) as http:
        big = http.post("/gradio_api/upload", files={"files": ("big.png", b"\0" * 2_000_000, "image/png")})
    assert big.status_code in (400, 413)


# ---------------------------------------------------------------- identity


def test_a_signed_in_visitor_cannot_shop_or_rate_as_another(space, victim):
    url, data_dir = space
    mallory = client(url, "hf:alice", user="mallory", address="198.51.100.3")
    assert "Unknown shopper 'hf:alice'" in mallory.say("a summer dress")["error"]
    assert "error" in mallory.feedback(1, "like")
    mallory.shopper = "me"
    assert mallory.say("a summer dress")["cards"] and "Noted" in mallory.feedback(1, "like")["reply"]
    assert rows_of(data_dir, "hf:alice") == victim


def test_an_anonymous_visitor_cannot_be_anyone_or_read_anyones_data(space, victim):
    url, data_dir = space
    anonymous = client(url, "me", address="198.51.100.4")
    assert "Sign in" in anonymous.say("a summer dress")["error"]
    assert "Sign in" in anonymous.client.predict(api_name="/my_data")["error"]
    assert "Sign in" in anonymous.client.predict(api_name="/forget_me")["error"]
    anonymous.shopper = "hf:alice"
    assert "Unknown shopper" in anonymous.say("a summer dress")["error"]
    assert rows_of(data_dir, "hf:alice") == victim


def test_a_cookie_signed_with_another_secret_is_a_signed_out_visitor(space, victim):
    url, data_dir = space
    forged = LiveSession(url, "me", signed_in_cookie("alice", secret="guessed"))
    assert "Sign in" in forged.say("a summer dress")["error"]
    assert "Sign in" in forged.client.predict(api_name="/my_data")["error"]
    assert rows_of(data_dir, "hf:alice") == victim


def test_my_data_over_http_is_my_own_only(space, victim):
    url, _ = space
    alice = client(url, "me", user="alice", address="198.51.100.5")
    mine = alice.client.predict(api_name="/my_data")
    theirs = client(url, "me", user="mallory", address="198.51.100.5").client.predict(api_name="/my_data")
    assert mine["user"]["id"] == "hf:alice" and len(mine["interactions"]) == 2
    assert theirs["user"]["id"] == "hf:mallory" and "hf:alice" not in str(theirs)


def test_signed_in_names_are_not_in_the_page_or_its_config(space, victim):
    url, _ = space
    with httpx.Client(base_url=url, timeout=20) as http:
        page, config = http.get("/").text, http.get("/config").text
    assert "alice" not in page.lower() and "alice" not in config.lower()


def test_a_visitors_likes_on_a_persona_leave_its_history_unchanged(space):
    url, data_dir = space
    before = rows_of(data_dir, "maya")
    visitor = client(url, "maya", address="198.51.100.6")
    assert visitor.say("a summer dress")["cards"]
    assert "Noted" in visitor.feedback(1, "like")["reply"] and "Noted" in visitor.feedback(2, "dislike")["reply"]
    visitor.client.close()
    assert rows_of(data_dir, "maya") == before


def test_forget_me_leaves_no_row_for_that_shopper(space, victim):
    url, data_dir = space
    mallory = client(url, "me", user="mallory-2", address="198.51.100.7")
    mallory.say("a scarf")
    mallory.feedback(1, "like")
    assert rows_of(data_dir, "hf:mallory-2")
    assert mallory.client.predict(api_name="/forget_me")["deleted"]["users"] == 1
    assert rows_of(data_dir, "hf:mallory-2") == [] and rows_of(data_dir, "hf:alice") == victim


# ---------------------------------------------------------------- limits


def test_a_burst_from_one_conversation_is_refused_with_a_message(space):
    url, _ = space
    burst = client(url, address="198.51.100.8")
    answers = [burst.say("a scarf") for _ in range(TURNS_PER_SESSION + 1)]
    assert all("error" not in answer for answer in answers[:-1])
    assert f"at most {TURNS_PER_SESSION} a minute in this conversation" in answers[-1]["error"]


def test_a_client_opening_new_conversations_is_held_by_its_address(space):
    url, _ = space
    answers = []
    for _ in range(TURNS_PER_CLIENT // TURNS_PER_SESSION + 1):
        session = client(url, address="198.51.100.9")
        answers += [session.say("a scarf") for _ in range(TURNS_PER_SESSION)]
    refused = [answer for answer in answers if "error" in answer]
    assert len(answers) - len(refused) == TURNS_PER_CLIENT and "from your address" in refused[0]["error"]


def test_an_oversized_message_is_read_in_part_and_answered(space):
    url, _ = space
    answer = client(url, address="198.51.100.10").say("a dress " * 5000)
    assert "long message" in answer["reply"] and answer["cards"]
