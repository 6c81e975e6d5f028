"""Faults: a killed ingest resumes, damaged stores give a clear error, foreign checkpoints are not used, and turns
go on from the in-memory index while a Chroma server is away, the store recovering when it returns."""

from __future__ import annotations

import logging
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from app_server import REPO, app_env, copy_data_dir, free_port

from chat.conversation import Conversation
from chat.serve.build import build_app, open_item_store, read_catalog
from chat.serve.models import checkpoint_path
from chat.serve.settings import AppSettings
from ranker.encoders import load_encoder
from store.items import StoreError
from store.users import UserStoreError

pytest_plugins = ["conftest_app"]
pytestmark = pytest.mark.slow  # every test here builds or starts an app or a subprocess

ITEMS = 768  # demo items to ingest: three batches of 256, a few seconds of embedding on one thread
PROGRESS = re.compile(r"ingest \([^)]*\):\s+\d+%\|[^|]*\|\s*(\d+)/(\d+)")
INGESTED = re.compile(r"ingested: (\d+) embedded, (\d+) unchanged, (\d+) removed; (\d+) items in the store")


def settings_for(data_dir: Path, **variables: str) -> AppSettings:
    return AppSettings.from_env(app_env(WHISPERLITE_DATA_DIR=str(data_dir), **variables))


def ingest_command(data_dir: Path) -> list[str]:
    return [sys.executable, "-m", "chat.serve.cli", "ingest", "--data-dir", str(data_dir)]


# ------------------------------------------------------------------ (a) a killed ingest


def kill_after_first_batch(data_dir: Path, env: dict[str, str], log_path: Path, timeout: float = 300) -> int:
    """Start `whisperlite ingest`, SIGKILL it once its progress bar shows a committed batch; -> items done."""
    with log_path.open("w") as log:
        process = subprocess.Popen(ingest_command(data_dir), cwd=REPO, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline and process.poll() is None:
                done = [int(m.group(1)) for m in PROGRESS.finditer(log_path.read_text(errors="replace"))]
                if done and done[-1] > 0:  # the bar moves after a batch is upserted
                    process.send_signal(signal.SIGKILL)
                    process.wait(timeout=30)
                    return done[-1]
                time.sleep(0.05)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    pytest.fail(f"ingest finished or stalled before it could be killed mid-way:\n{log_path.read_text()[-2000:]}")


def test_an_ingest_killed_mid_way_resumes_and_ends_with_exactly_the_catalogue(tmp_path):
    data_dir = tmp_path / "data"
    env = app_env(WHISPERLITE_DATA_DIR=str(data_dir), WHISPERLITE_DEMO_ITEMS=str(ITEMS), OMP_NUM_THREADS="1")
    done_when_killed = kill_after_first_batch(data_dir, env, tmp_path / "first.log")
    assert 0 < done_when_killed < ITEMS

    rerun = subprocess.run(ingest_command(data_dir), cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    embedded, unchanged, removed, total = map(int, INGESTED.search(rerun.stdout).groups())
    assert unchanged >= done_when_killed and embedded + unchanged == ITEMS and removed == 0 and total == ITEMS

    settings = settings_for(data_dir, WHISPERLITE_DEMO_ITEMS=str(ITEMS))
    catalogue = read_catalog(settings).items
    store = open_item_store(settings, load_encoder(settings.encoder))
    assert store.count() == ITEMS
    assert store.ids() == {item.id for item in catalogue}


# ------------------------------------------------------------------ (b) damaged stores


@pytest.fixture
def built_copy(demo_data_dir, tmp_path_factory) -> Path:
    """A private copy of the built demo data folder, free to damage."""
    return copy_data_dir(demo_data_dir, tmp_path_factory, "damaged")


def garble(path: Path) -> None:
    path.write_bytes(b"this is not a database, it was overwritten " * 200)


def damage_users(users: Path, damage) -> None:
    for extra in users.parent.glob("users.sqlite-*"):
        extra.unlink()  # a WAL or shared-memory file would still hold the real pages
    damage(users)


def truncate(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.truncate(size // 2)


@pytest.mark.parametrize("damage", [garble, truncate], ids=["garbled", "truncated"])
def test_a_damaged_users_file_is_refused_naming_it_and_how_to_rebuild(built_copy, damage):
    users = built_copy / "users.sqlite"
    damage_users(users, damage)
    with pytest.raises(UserStoreError) as raised:
        build_app(settings_for(built_copy), progress=False)
    assert str(users) in str(raised.value) and "Move it aside" in str(raised.value)


@pytest.mark.parametrize("damage", [garble, truncate], ids=["garbled", "truncated"])
def test_a_damaged_chroma_folder_is_refused_naming_it_and_how_to_rebuild(built_copy, damage):
    chroma = built_copy / "chroma"
    damage(chroma / "chroma.sqlite3")
    with pytest.raises(StoreError) as raised:
        build_app(settings_for(built_copy), progress=False)
    assert str(chroma) in str(raised.value) and "whisperlite ingest" in str(raised.value)


@pytest.mark.parametrize("damaged", ["users.sqlite", "chroma/chroma.sqlite3"])
def test_app_py_on_a_damaged_store_exits_with_a_one_line_message_not_a_traceback(built_copy, damaged):
    if damaged == "users.sqlite":
        damage_users(built_copy / damaged, garble)
    else:
        garble(built_copy / damaged)
    env = {**app_env(WHISPERLITE_DATA_DIR=str(built_copy)), "WHISPERLITE_PORT": str(free_port())}
    done = subprocess.run([sys.executable, "app.py"], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr[-1500:]
    assert str(built_copy / damaged.split("/")[0]) in done.stderr.strip().splitlines()[-1]


def test_whisperlite_ingest_on_a_damaged_chroma_folder_exits_with_a_one_line_message(tmp_path):
    chroma = tmp_path / "data" / "chroma"
    chroma.mkdir(parents=True)
    garble(chroma / "chroma.sqlite3")
    env = app_env(WHISPERLITE_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run(
        ingest_command(tmp_path / "data"), cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr[-1500:]
    assert str(chroma) in done.stderr.strip().splitlines()[-1]


# ------------------------------------------------------------------ (c) foreign checkpoints


def rewrite_checkpoint(path: Path, **changes) -> None:
    content = torch.load(path, map_location="cpu", weights_only=True)
    for key, value in changes.items():
        content[key] = value if not isinstance(value, dict) else {**content[key], **value}
    torch.save(content, path)


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"catalog": "0123456789abcdef"}, "another catalogue"),
        ({"encoder": {"name": "some-other-encoder"}}, "another encoder"),
    ],
    ids=["catalogue", "encoder"],
)
def test_a_foreign_checkpoint_is_not_used_the_app_retrains_and_says_why(built_copy, changes, reason, caplog):
    settings = settings_for(built_copy, WHISPERLITE_TRAIN_EPOCHS="1")
    items = read_catalog(settings).items
    path = checkpoint_path(settings, items, load_encoder(settings.encoder))
    rewrite_checkpoint(path, **changes)
    with caplog.at_level(logging.INFO, logger="chat.serve.build"):
        app = build_app(settings, progress=False)
    messages = [record.getMessage() for record in caplog.records]
    assert any(reason in message and "training the demo model" in message for message in messages), messages
    assert app.model_info["best_epoch"] == 1  # retrained now, with the one epoch these settings allow
    content = torch.load(path, map_location="cpu", weights_only=True)
    assert content["catalog"] != "0123456789abcdef" and content["encoder"]["name"] == app.encoder.name


# ------------------------------------------------------------------ (d) a Chroma server that goes away


class ChromaServer:
    """`chroma run` on a loopback port and folder that stay the same across restarts."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        chroma = Path(sys.executable).with_name("chroma")
        command = [str(chroma), "run", "--path", str(self.folder), "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.2)
        self.stop()
        pytest.fail("chroma run did not start listening within 90 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def chroma_server(tmp_path):
    server = ChromaServer(tmp_path / "chroma-server")
    server.start()
    yield server
    server.stop()


def test_turns_go_on_from_memory_while_the_chroma_server_is_away_and_the_store_recovers(
    built_copy, chroma_server, request
):
    shutil.rmtree(built_copy / "chroma")
    app = build_app(settings_for(built_copy, WHISPERLITE_CHROMA_URL=chroma_server.url), progress=False)
    request.addfinalizer(app.recommender.items.stop)  # its poller would go on warning of the stopped server
    chat = Conversation(user_id="maya")
    assert chat.respond("a summer dress", app.recommender).cards

    chroma_server.stop()
    with pytest.raises(StoreError, match=re.escape(chroma_server.url)):
        app.items.count()
    down = chat.respond("in blue", app.recommender)
    assert down.cards and all(card.item.colour == "blue" and card.item.category == "dress" for card in down.cards)
    assert "Noted" in chat.feedback(1, "like", app.users)

    chroma_server.start()
    assert app.items.count() == len(app.catalog.items)
    back = chat.respond("more like the first one", app.recommender)
    assert back.cards and all(card.item.category == "dress" for card in back.cards)
