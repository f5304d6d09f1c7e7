"""A private PostgreSQL cluster for one test, so it can be restarted without touching the
machine's shared server (other tests use that one at the same time).

initdb refuses to run as root, so as root every PostgreSQL program runs as the `postgres`
user (`runuser -u postgres --`), in a folder it owns. Anything missing is an error, never
a skip: the fault suite must run where CI runs.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.faults.harness import free_port

ROOT_AS = "postgres"


def bin_dir() -> Path:
    """The newest installed PostgreSQL's programs (Debian layout), or pg_config's."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=_version)
    if found:
        return found[-1].parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=30
        )
        return Path(out.stdout.strip())
    raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")


def _version(path: Path) -> float:
    try:
        return float(path.parent.parent.name)
    except ValueError:
        return 0.0


class PrivateCluster:
    """initdb + pg_ctl on a free port, listening on 127.0.0.1 and a socket in its folder."""

    def __init__(self) -> None:
        self.bin = bin_dir()
        self.folder = Path(tempfile.mkdtemp(prefix="bryggan-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._as_root = os.geteuid() == 0
        if self._as_root:
            user = pwd.getpwnam(ROOT_AS)
            os.chown(self.folder, user.pw_uid, user.pw_gid)

    @property
    def log(self) -> str:
        return str(self.folder / "server.log")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_root:
            command = ["runuser", "-u", ROOT_AS, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> PrivateCluster:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self._start()
        return self

    def _start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", self.log, "-w", "start")

    def restart(self, down_for: float = 0.0) -> None:
        """A fast shutdown (open sessions are cut off, their transactions rolled back),
        `down_for` seconds with no server, and a start."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        time.sleep(down_for)
        self._start()

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
