"""A throwaway PostgreSQL server on loopback for the SQL equivalence tests.

It is started from Debian's binaries (``.ci/postgres.sh`` installs them in CI) in a temporary
folder, as an unprivileged user when the tests run as root, and removed afterwards. When no
server can be started, :func:`start` says why and the tests skip with that reason.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str = "postgres"

    @property
    def conninfo(self) -> str:
        return f"host={self.host} port={self.port} user={self.user} dbname=postgres connect_timeout=5"


class Unavailable(Exception):
    """Why no server could be started."""


def _bindir() -> Path:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(os.path.realpath(initdb)).parent
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise Unavailable("no initdb found (install Debian's postgresql package, see .ci/postgres.sh)")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_user() -> list[str]:
    """PostgreSQL refuses to run as root: run it as nobody then."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if not runuser:
        raise Unavailable("running as root and runuser is missing, so the server cannot drop privileges")
    return [runuser, "-u", "nobody", "--"]


def _run(cmd: list[str], timeout: float = 60) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise Unavailable(
            f"{Path(cmd[len(_as_user())]).name} failed: {(done.stderr or done.stdout).strip()[-300:]}"
        )


@contextmanager
def start() -> Iterator[Server]:
    """Start a server in a temporary folder; stop and delete it on exit. Raises Unavailable."""
    bindir = _bindir()
    prefix = _as_user()
    folder = Path(tempfile.mkdtemp(prefix="leadscore-pg-"))
    data = folder / "data"
    try:
        if prefix:
            shutil.chown(folder, "nobody")
        folder.chmod(0o700)
        _run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
              "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])  # fmt: skip
        port = _free_port()
        options = f"-k {folder} -p {port} -h 127.0.0.1 -c fsync=off -c full_page_writes=off"
        _run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"),
              "-w", "-t", "30", "start"])  # fmt: skip
        try:
            yield Server("127.0.0.1", port)
        finally:
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                           capture_output=True, timeout=60, check=False)  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
