"""Session fixtures for the whole app: the demo built once, an in-process `App`, and live servers.

Test modules load these with `pytest_plugins = ["conftest_app"]`, so every module shares one build. The demo
data folder is built once in a subprocess (its Chroma files are complete once that process exits) and then
copied for each user: Chroma lets one process own a store, so the in-process app and each server get their own
copy. A first build takes 20-100 s on two busy cores; every copy after it starts in seconds.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT = 240.0
BUILD_SCRIPT = (
    "from chat.bootstrap import build_app; from chat.settings import AppSettings; "
    "build_app(AppSettings.from_env(), progress=False)"
)


def app_env(**variables: str) -> dict[str, str]:
    """This process's environment without any WHISPERLITE_* or Space variable, plus `variables`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WHISPERLITE_") and k not in ("SPACE_ID", "SYSTEM")}
    return {**env, "GRADIO_ANALYTICS_ENABLED": "False", **variables}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory) -> Path:
    """A data folder holding the built demo (catalogue, Chroma, users, trained model); copy it, never open it."""
    folder = tmp_path_factory.mktemp("demo-built")
    subprocess.run(
        [sys.executable, "-c", BUILD_SCRIPT], cwd=REPO, env=app_env(WHISPERLITE_DATA_DIR=str(folder)), check=True
    )
    return folder


def copy_data_dir(source: Path, tmp_path_factory, name: str) -> Path:
    target = tmp_path_factory.mktemp(name) / "data"
    shutil.copytree(source, target)
    return target


@pytest.fixture(scope="session")
def in_process_app(demo_data_dir, tmp_path_factory):
    """The demo `App`, in this process, on its own copy of the built data."""
    from chat.bootstrap import build_app
    from chat.settings import AppSettings

    data_dir = copy_data_dir(demo_data_dir, tmp_path_factory, "demo-in-process")
    return build_app(AppSettings.from_env(app_env(WHISPERLITE_DATA_DIR=str(data_dir))), progress=False)


def start_server(env: Mapping[str, str], log_path: Path) -> Iterator[str]:
    """`python app.py` on a free port; yields its URL once it answers, stops it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "app.py"],
            cwd=REPO,
            env={**env, "WHISPERLITE_PORT": str(port), "WHISPERLITE_HOST": "127.0.0.1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(url, process, log_path)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the app did not answer at {url} within {SERVER_START_TIMEOUT:.0f} s; log: {log_path}")


@pytest.fixture(scope="session")
def demo_server(demo_data_dir, tmp_path_factory) -> Iterator[str]:
    """A live demo app (a real `python app.py`) on its own copy of the built data; yields its URL."""
    data_dir = copy_data_dir(demo_data_dir, tmp_path_factory, "demo-live")
    yield from start_server(app_env(WHISPERLITE_DATA_DIR=str(data_dir)), data_dir.parent / "server.log")
