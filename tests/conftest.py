"""Shared fixtures: real components in temporary folders, built once per session where they are read-only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# A hub id must fail in seconds, not after a minute of retries: tests never reach the network.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

pytest_plugins = ["conftest_app"]  # the app built once per session: demo_data_dir, in_process_app, demo_server

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("WHISPERLITE_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture
def fake_recommender():
    """A recommender over a handful of items in memory (tests/fake_shop.py), for tests of the dialogue state."""
    from fake_shop import FakeRecommender

    return FakeRecommender()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data sets beside the repository (../shared/data); tests that need it skip with a reason."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent")
    return SHARED_DATA


@pytest.fixture(scope="session")
def tiny_clip_dir(tmp_path_factory) -> Path:
    from tiny_clip import build_tiny_clip

    return build_tiny_clip(tmp_path_factory.mktemp("tiny-clip"))


@pytest.fixture(scope="session")
def sentence_encoder():
    from ranker.encoders import SentenceEncoder

    return SentenceEncoder()


@pytest.fixture(scope="session")
def demo_app(in_process_app):
    """The whole app on the built-in demo catalogue (generated, embedded, demo model trained), built once.

    Read-only for tests: a test that records likes uses its own shopper or a guest conversation.
    """
    return in_process_app


@pytest.fixture(scope="module")
def one_torch_thread():
    """Tiny matrices: one thread is fastest, and two threads spin against each other on a busy 2-core machine
    (the overfitting test takes 1.4 s on one thread, 38 s on two under load)."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server in a temporary folder for the whole run, or a skip saying why there is none."""
    from postgres_server import Unavailable, started_server

    try:
        server = started_server()
    except Unavailable as error:
        pytest.skip(f"no PostgreSQL server for the tests: {error}")
    yield server
    server.remove()


@pytest.fixture(params=["sqlite", "postgresql"])
def users_url(request, tmp_path) -> str:
    """The user database of one test, on each backend: a SQLite file, then a fresh database on the test server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'users.sqlite'}"
        return
    from store.database import engine

    server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    yield url
    engine(url).dispose()
    server.drop_database(url)
