"""The processes the Slack benchmarks measure: the Slack stand-in, the bare bolt app and
Bryggan (`bryggan --config <tmp> run`, HTTP mode), each a child process on a free port."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import text

from storage.db import make_engine
from tests.faults.harness import REPO, BrygganProcess, free_port, write_config
from tests.slack_stand_in import DEFAULT_SIGNING_SECRET, DEFAULT_TOKEN

SLACK_ENV = {"SLACK_BOT_TOKEN": DEFAULT_TOKEN, "SLACK_SIGNING_SECRET": DEFAULT_SIGNING_SECRET}


class StandInProcess:
    """`bench.stand_in_process` as a child: its base URL, and a summary of what it got."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.stand_in_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()

    def _ask(self, line: str) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        return answer

    def summary(self) -> dict[str, Any]:
        """`posts` (chat.postMessage calls) and `cards` (reference → times posted)."""
        return self._ask("summary")

    def reset(self) -> None:
        self._ask("reset")

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(10)


def ready_by_401(port: int) -> bool:
    """bolt is ready to dispatch: an unsigned POST to /slack/events is refused with 401."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        connection.request("POST", "/slack/events", b"x=1", {"Content-Type": "text/plain"})
        status = connection.getresponse().status
        connection.close()
        return status == 401
    except OSError:
        return False


def wait_until(check: Any, process: subprocess.Popen[bytes], timeout: float = 60) -> float:
    """Poll `check()` every 5 ms; the seconds until it held (the process must stay up)."""
    started = time.monotonic()
    while not check():
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"the server was not ready within {timeout}s")
        time.sleep(0.005)
    return time.monotonic() - started


def start_bare(port: int, base_url: str) -> subprocess.Popen[bytes]:
    """`bench/bare_bolt.py` on `port` (not waited for)."""
    return subprocess.Popen(
        [sys.executable, str(REPO / "bench" / "bare_bolt.py"), str(port), base_url],
        env={**os.environ, **SLACK_ENV},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def bryggan(folder: Path, database_url: str, base_url: str) -> BrygganProcess:
    """Bryggan in HTTP mode on a free port against the stand-in (not started)."""
    port = free_port()
    config = write_config(folder, port=port, api_base_url=base_url)
    return BrygganProcess(config, database_url, port, folder / "bryggan.log")


def rss_kib(pid: int) -> int:
    """Resident memory of a process now (VmRSS in /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """A fresh schema in the PostgreSQL at `url`, as a URL whose search_path is that schema;
    dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def question_count(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM questions")).scalar_one())
    finally:
        engine.dispose()


def start_limit(port: int, base_url: str, database_url: str) -> subprocess.Popen[bytes]:
    """`bench/durable_limit.py` on `port` with its tables in `database_url` (not waited for)."""
    return subprocess.Popen(
        [sys.executable, "-m", "bench.durable_limit", str(port), base_url, database_url],
        env={**os.environ, **SLACK_ENV},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
