"""Session fixtures for the whole app: the demo built once, an in-process `App`, and a live server.

Test modules load these with `pytest_plugins = ["conftest_app"]`, so every module shares one build. The demo
data folder is built once in a subprocess (its Chroma files are complete once that process exits) and then
copied for each user: Chroma lets one process own a store, so the in-process app and each server get their own
copy. A first build takes 20-100 s on two busy cores; every copy after it starts in seconds.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_server import REPO, app_env, copy_data_dir, start_server
from filelock import FileLock

BUILD_SCRIPT = (
    "from chat.serve.build import build_app; from chat.serve.settings import AppSettings; "
    "build_app(AppSettings.from_env(), progress=False)"
)


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory, worker_id) -> Path:
    """A data folder holding the built demo (catalogue, Chroma, users, trained model); copy it, never open it.

    Under pytest-xdist every worker shares one build: the first to take the lock builds it in the run's common
    temporary folder, the others wait for it and find it marked done.
    """
    if worker_id == "master":
        folder = tmp_path_factory.mktemp("demo-built")
        _build_demo(folder)
        return folder
    folder = tmp_path_factory.getbasetemp().parent / "demo-built"
    with FileLock(f"{folder}.lock"):
        if not (folder / BUILT_MARKER).exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            _build_demo(folder)
            (folder / BUILT_MARKER).touch()
    return folder


BUILT_MARKER = ".built"


def _build_demo(folder: Path) -> None:
    subprocess.run(
        [sys.executable, "-c", BUILD_SCRIPT], cwd=REPO, env=app_env(WHISPERLITE_DATA_DIR=str(folder)), check=True
    )


@pytest.fixture(scope="session")
def in_process_app(demo_data_dir, tmp_path_factory):
    """The demo `App`, in this process, on its own copy of the built data."""
    from chat.serve.build import build_app
    from chat.serve.settings import AppSettings

    data_dir = copy_data_dir(demo_data_dir, tmp_path_factory, "demo-in-process")
    return build_app(AppSettings.from_env(app_env(WHISPERLITE_DATA_DIR=str(data_dir))), progress=False)


@pytest.fixture(scope="session")
def demo_server(demo_data_dir, tmp_path_factory) -> Iterator[str]:
    """A live demo app (a real `python app.py`) on its own copy of the built data; yields its URL."""
    data_dir = copy_data_dir(demo_data_dir, tmp_path_factory, "demo-live")
    yield from start_server(app_env(WHISPERLITE_DATA_DIR=str(data_dir)), data_dir.parent / "server.log")
