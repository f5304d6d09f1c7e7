"""No identity number in any log line: the handler's filter masks Bryggan's records and the
libraries' alike (bolt prints payloads it does not use), at every level, tracebacks too."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.logs import IdentityNumberFilter
from handlers.kernel.privacy import REDACTION

NUMBER = "19121212-1212"


@pytest.fixture
def records() -> Iterator[list[str]]:
    """What a filtered handler writes, for the loggers the tests use."""
    written: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            written.append(self.format(record))

    handler = Keep(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(IdentityNumberFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield written
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_messages_arguments_and_tracebacks_are_masked(records: list[str]) -> None:
    logging.getLogger("slack_bolt.App").warning("Unhandled request (%s)", {"text": NUMBER})
    logging.getLogger("nio.client").debug(f"sync body: Patient {NUMBER} och 121212+1212")
    try:
        raise ValueError(f"bad row {NUMBER}")
    except ValueError:
        logging.getLogger("bot.slack.events").exception("handling failed")
    written = "\n".join(records)
    assert NUMBER not in written and "121212+1212" not in written
    assert written.count(REDACTION) == 4
    assert "ValueError: bad row" in written  # the traceback is kept, only masked


def test_look_alikes_are_written_as_they_are(records: list[str]) -> None:
    logging.getLogger("bot").warning("ring 040-123 45 67, org.nr 556677-8899, F-2026-0042")
    assert records == ["WARNING bot: ring 040-123 45 67, org.nr 556677-8899, F-2026-0042"]


def test_the_bryggan_command_installs_the_filter(tmp_path: Path) -> None:
    """`bryggan -v` logs at DEBUG through the masked handler: a library's record after the
    command line has set logging up (here `db upgrade` stops at a missing config)."""
    missing = tmp_path / "saknas.toml"
    script = (
        "import logging; from bot.cli import main;"
        f"main(['-v', '--config', {str(missing)!r}, 'db', 'upgrade']);"
        f"logging.getLogger('slack_sdk.web').debug('payload: {NUMBER}')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert NUMBER not in result.stderr
    assert f"DEBUG slack_sdk.web: payload: {REDACTION}" in result.stderr
