"""A real Chroma server for tests: `chroma run` on a free loopback port over a temporary folder.

Used as a pytest plugin (`pytest_plugins = ["chroma_server"]`). The server is started once per module, and its
heartbeat is awaited before any test talks to it; the tests are skipped, with the reason, when it cannot start.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from app_server import free_port

START_TIMEOUT = 60.0


@dataclass
class ChromaServer:
    """One `chroma run` process; `restart()` stops it and starts it again on the same port and folder."""

    path: Path
    port: int
    log_path: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        chroma = Path(sys.executable).with_name("chroma")
        if not chroma.is_file():
            pytest.skip(f"no chroma CLI at {chroma}: install chromadb into the venv")
        command = [str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)]
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.skip(f"chroma run exited with {self.process.returncode}: {self.log_path.read_text()[-500:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        pytest.skip(f"chroma run did not answer its heartbeat within {START_TIMEOUT:.0f} s; log: {self.log_path}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def restart(self) -> None:
        self.stop()
        self.start()


def running_chroma(folder: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(folder / "chroma-server", free_port(), folder / "chroma-server.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory) -> Iterator[ChromaServer]:
    yield from running_chroma(tmp_path_factory.mktemp("chroma"))
