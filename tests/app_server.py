"""Helpers to run the app for tests: a clean environment, a free port, a data-folder copy, a live server.

Chroma lets one process own a store, so every process that opens the app gets its own copy of a built data
folder (`copy_data_dir`); `start_server` runs a real `python app.py` and stops it afterwards.
"""

from __future__ import annotations

import base64
import hashlib
import json
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
SPACE_ENV = {  # what a Space with `hf_oauth: true` sets; gradio reads the OAuth values when it is imported
    "SYSTEM": "spaces",
    "SPACE_ID": "tests/whisperlite-chat",
    "OAUTH_CLIENT_ID": "test-client",
    "OAUTH_CLIENT_SECRET": "test-secret",
    "OAUTH_SCOPES": "openid profile",
    "OPENID_PROVIDER_URL": "https://huggingface.co",
}


def space_env(**variables: str) -> dict[str, str]:
    """`app_env` as on a Space with sign-in, but on loopback and with the offline encoder."""
    return app_env(**SPACE_ENV, WHISPERLITE_ENCODER="sentence", WHISPERLITE_HOST="127.0.0.1", **variables)


def kaggle_photos_env(shared_data: Path, data_dir: Path, photos: int) -> dict[str, str]:
    """`space_env` for an app on the first `photos` photographed items of the Kaggle Fashion Product Images copy
    in `shared_data`, storing into `data_dir`; skips the calling test when the photos are absent."""
    folder = shared_data / "fashion-product-images"
    if not (folder / "images").is_dir():
        pytest.skip(f"{folder}/images is absent: no real photos to show")
    return space_env(
        WHISPERLITE_CATALOG="kaggle",
        WHISPERLITE_CATALOG_PATH=str(folder),
        WHISPERLITE_CATALOG_LIMIT=str(photos),
        WHISPERLITE_CATALOG_IMAGES_ONLY="1",
        WHISPERLITE_DATA_DIR=str(data_dir),
    )


def signed_in_cookie(username: str, name: str = "", secret: str = SPACE_ENV["OAUTH_CLIENT_SECRET"]) -> str:
    """The session cookie Gradio's OAuth callback sets after a Hugging Face sign-in, as a `Cookie` header value.

    Gradio keeps the OAuth profile in Starlette's signed session cookie, keyed by a hash of the Space's OAuth
    secret; a test that knows the secret signs in as anyone without reaching huggingface.co. An attacker does not
    know it: a cookie signed with another secret is a signed-out visitor.
    """
    from itsdangerous import TimestampSigner

    info = {
        "userinfo": {"name": name or username.title(), "preferred_username": username, "profile": "", "picture": ""},
        "access_token": f"token-{username}",
        "scope": SPACE_ENV["OAUTH_SCOPES"],
        "expires_at": time.time() + 3600,
    }
    key = hashlib.sha256((secret + "-v4").encode()).hexdigest()
    payload = base64.b64encode(json.dumps({"oauth_info": info}).encode())
    return "session=" + TimestampSigner(key).sign(payload).decode()


def app_env(**variables: str) -> dict[str, str]:
    """This process's environment without any WHISPERLITE_* or Space variable, plus `variables`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WHISPERLITE_") and k not in ("SPACE_ID", "SYSTEM")}
    return {**env, "GRADIO_ANALYTICS_ENABLED": "False", **variables}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_data_dir(source: Path, tmp_path_factory, name: str) -> Path:
    target = tmp_path_factory.mktemp(name) / "data"
    shutil.copytree(source, target)
    return target


def wait_until_settled(log_path: Path, timeout: float = 900.0) -> None:
    """Until the work a start does after its page is up has ended, as its log says: every thumbnail made, and on a
    first start the demo model trained and gated. A benchmark measures an app doing neither."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = log_path.read_text()
        trains = "training the demo model" in log
        if "thumbnails of" in log and (not trains or "first model trained in the background" in log):
            return
        time.sleep(1)
    raise TimeoutError(f"the app at {log_path} had not settled within {timeout:.0f} s:\n{log_path.read_text()[-2000:]}")


def start_server(
    env: Mapping[str, str],
    log_path: Path,
    command: tuple[str, ...] = (sys.executable, "app.py"),
    cwd: Path = REPO,
    timeout: float = SERVER_START_TIMEOUT,
) -> Iterator[str]:
    """`python app.py` (or `command`, run in `cwd`) on a free port; yields its URL once it answers (within
    `timeout` seconds), stops it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env={**env, "WHISPERLITE_PORT": str(port), "WHISPERLITE_HOST": "127.0.0.1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(url, process, log_path, timeout)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(url: str, process: subprocess.Popen, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the app did not answer at {url} within {timeout:.0f} s; log: {log_path}")
