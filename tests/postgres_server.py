"""A real PostgreSQL server for the tests: Debian's binaries, `initdb` and `pg_ctl` in a temporary folder.

initdb refuses to run as root, so as root the server runs as the `postgres` system user (`runuser`), which owns
the folder. The server listens on 127.0.0.1 on a free port, with its socket in the folder, trusting local
connections (nothing else can reach it). `Unavailable` says why a server cannot be had here.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg

SUPERUSER = "whisperlite"


class Unavailable(RuntimeError):
    """PostgreSQL is not installed or cannot start here; the message says which and how to install it."""


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise Unavailable(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql"
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One throwaway cluster; `database()` gives each test a fresh database on it."""

    def __init__(self) -> None:
        self.bin = _binaries()
        self.runas: list[str] = []
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError as error:
                raise Unavailable("running as root and there is no postgres system user to run initdb as") from error
            self.runas = ["runuser", "-u", "postgres", "--"]
        self.folder = Path(tempfile.mkdtemp(prefix="whisperlite-postgres-"))
        if self.runas:
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self.data = self.folder / "data"
        self.port = _free_port()
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync")

    def _run(self, tool: str, *arguments: str, timeout: float = 120) -> None:
        done = subprocess.run(
            [*self.runas, str(self.bin / tool), *arguments], capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise Unavailable(f"{tool} failed: {(done.stderr or done.stdout).strip()[-800:]}")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run("pg_ctl", "start", "-w", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", options)

    def stop(self) -> None:
        self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))

    def running(self) -> bool:
        status = [*self.runas, str(self.bin / "pg_ctl"), "status", "-D", str(self.data)]
        return subprocess.run(status, capture_output=True).returncode == 0

    def restart(self) -> None:
        """A fast restart: every open connection is cut, committed data stays."""
        self.stop()
        self.start()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, statement: str) -> None:
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres", autocommit=True
        ) as db:
            db.execute(statement)

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        self._admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")

    def remove(self) -> None:
        """Stop the server if it runs and delete its folder."""
        subprocess.run(
            [*self.runas, str(self.bin / "pg_ctl"), "stop", "-w", "-m", "immediate", "-D", str(self.data)],
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def started_server() -> PostgresServer:
    """A new running server, or `Unavailable` saying why there is none (the folder is removed then)."""
    server = PostgresServer()
    try:
        server.start()
    except Unavailable:
        server.remove()
        raise
    return server
