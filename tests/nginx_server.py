"""A real nginx for tests and benchmarks: the shipped deploy/nginx.conf in front of app replicas on loopback.

The config is rendered from the shipped file with only what must differ on a test machine changed: the two
upstream addresses, the listen address, and where this nginx keeps its own files (its logs, pid and temporary
buffers, all in its folder); every proxying directive is the shipped one, so it is the shipped file that is
tested. nginx runs in the foreground as an unprivileged user (started by root, as `nobody`, which owns the folder).
`Unavailable` says why there is no nginx here.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from app_server import free_port

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "deploy" / "nginx.conf"
START_TIMEOUT = 20.0
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")  # Debian's defaults are under /var/lib/nginx
# nginx's line for a request it could not connect to an upstream with, e.g. `connect() failed (111: Connection
# refused) while connecting to upstream, client: 127.0.0.5, ..., upstream: "http://127.0.0.1:4321/..."`
REFUSED = re.compile(r'connect\(\) failed .* client: ([0-9.]+), .* upstream: "http://([0-9.:]+)/')


def replica_gone_answer(shipped: str) -> tuple[int, str]:
    """(status, body) of the shipped config's `@replica_gone` location: what nginx answers a request whose replica
    died with it in flight. Raises ValueError when the config no longer has one."""
    found = re.search(r"location @replica_gone \{[^}]*return (\d+) '((?:[^'\\]|\\.)*)';", shipped)
    if found is None:
        raise ValueError("deploy/nginx.conf has no `location @replica_gone { ... return <status> '<body>'; }`")
    return int(found[1]), re.sub(r"\\(.)", r"\1", found[2])


class Unavailable(RuntimeError):
    """nginx is not installed or cannot start here; the message says which and how to install it."""


def render(shipped: str, upstreams: list[str], listen: str, folder: Path) -> str:
    """The shipped config with `upstreams` ("host:port", in the order of its `server` lines) and `listen`, its own
    files in `folder`. Raises ValueError when the shipped file no longer has the lines this replaces."""
    servers = re.findall(r"server (\S+:\d+) ", shipped)
    if len(servers) != len(upstreams):
        raise ValueError(f"deploy/nginx.conf names {len(servers)} upstream servers, not {len(upstreams)}")
    for shipped_address, address in zip(servers, upstreams, strict=True):
        shipped = shipped.replace(f"server {shipped_address} ", f"server {address} ", 1)
    shipped, listens = re.subn(r"listen \d+;", f"listen {listen};", shipped)
    own_files = f"http {{\n    access_log {folder}/access.log;\n" + "".join(
        f"    {kind}_temp_path {folder}/{kind};\n" for kind in TEMP_PATHS
    )
    shipped, https = re.subn(r"^http \{\n", own_files, shipped, flags=re.MULTILINE)
    if (listens, https) != (1, 1):
        raise ValueError("deploy/nginx.conf no longer has one `http {` block with one `listen <port>;`")
    return shipped


def _binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None)
    if found is None:
        raise Unavailable("nginx is not installed (no nginx on PATH nor /usr/sbin/nginx): apt-get install nginx")
    return found


class Nginx:
    """One nginx master process in its own temporary folder, proxying `upstreams` from `url`."""

    def __init__(self, upstreams: list[str]):
        self.binary = _binary()
        self.folder = Path(tempfile.mkdtemp(prefix="whisperlite-nginx-"))
        self.account: pwd.struct_passwd | None = None
        if os.geteuid() == 0:  # nginx's workers and files belong to an unprivileged user, as in production
            self.account = pwd.getpwnam("nobody")
            os.chown(self.folder, self.account.pw_uid, self.account.pw_gid)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.config = self.folder / "nginx.conf"
        self.config.write_text(render(SHIPPED.read_text(), upstreams, f"127.0.0.1:{self.port}", self.folder))
        self.error_log = self.folder / "error.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            self.binary,
            "-p",
            str(self.folder),
            "-c",
            str(self.config),
            "-e",
            str(self.error_log),
            "-g",
            f"daemon off; pid {self.folder}/nginx.pid;",
        ]
        as_user = {}
        if self.account is not None:
            as_user = {"user": self.account.pw_uid, "group": self.account.pw_gid, "extra_groups": []}
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **as_user
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Unavailable(f"nginx exited with {self.process.returncode}: {self.process.stderr.read()[-800:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise Unavailable(f"nginx did not listen on {self.port} within {START_TIMEOUT:.0f} s")

    def refused(self) -> list[tuple[str, str]]:
        """(client address, upstream "host:port") of every request nginx could not connect to an upstream with,
        from its error log: each was then passed to the next upstream (`proxy_next_upstream error`)."""
        text = self.error_log.read_text() if self.error_log.is_file() else ""
        return REFUSED.findall(text)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def started_nginx(upstreams: list[str]) -> Nginx:
    """A running nginx in front of `upstreams`, or `Unavailable` saying why there is none."""
    proxy = Nginx(upstreams)
    try:
        proxy.start()
    except Unavailable:
        proxy.stop()
        raise
    return proxy
