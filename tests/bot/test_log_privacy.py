"""No identity number in any log line: every record is masked, Bryggan's and the libraries'
alike (bolt prints payloads it does not use), at every level, tracebacks too; a payload dumped
as a repr, JSON, a form or HTML is read through its escapes."""

from __future__ import annotations

import ast
import html
import json
import logging
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.logs import IdentityNumberFilter, mask
from handlers.kernel.privacy import REDACTION, find_identity_numbers, redact_identity_numbers
from tests.handlers.kernel.test_privacy import LOOKALIKES
from tests.handlers.kernel.test_privacy_pasted import (
    PASTED,
    PASTED_LOOKALIKES,
    pasted,
    plain_identity_numbers,
)

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


# Payloads dumped into log lines.

Dumped = tuple[Callable[[str], str], Callable[[str], str]]


def _form_payload(text: str) -> str:
    return urlencode({"payload": json.dumps({"type": "block_actions", "value": text})})


def _read_form_payload(dump: str) -> str:
    return str(json.loads(parse_qs(dump, keep_blank_values=True)["payload"][0])["value"])


# Each way a log line carries a text, and how to read the text back from it.
DUMPS: dict[str, Dumped] = {
    "repr": (lambda t: repr({"text": t}), lambda d: str(ast.literal_eval(d)["text"])),
    "json ascii": (lambda t: json.dumps({"text": t}), lambda d: str(json.loads(d)["text"])),
    "json utf-8": (
        lambda t: json.dumps({"text": t}, ensure_ascii=False),
        lambda d: str(json.loads(d)["text"]),
    ),
    "form": (
        lambda t: urlencode({"text": t}),
        lambda d: parse_qs(d, keep_blank_values=True)["text"][0],
    ),
    "json in a form": (_form_payload, _read_form_payload),
    "repr of json": (
        lambda t: repr(json.dumps({"t": t})),
        lambda d: json.loads(ast.literal_eval(d))["t"],
    ),
    "html": (
        lambda t: "<p>" + html.escape(t).replace("\n", "<br>").replace("\u00a0", "&nbsp;"),
        lambda d: html.unescape(d[3:].replace("<br>", "\n")),
    ),
}


def read_back(kind: str, dump: str) -> str:
    return DUMPS[kind][1](dump)


@pytest.mark.parametrize("kind", DUMPS)
@pytest.mark.parametrize("number", PASTED)
def test_a_pasted_number_in_a_dump_is_masked(kind: str, number: str) -> None:
    text = f"Pat {number} har frågor om SGI."
    dump = DUMPS[kind][0](text)
    masked = mask(dump)
    assert masked.count(REDACTION) == 1
    assert read_back(kind, masked) == f"Pat {REDACTION} har frågor om SGI."


@pytest.mark.parametrize("kind", DUMPS)
@pytest.mark.parametrize("text", LOOKALIKES + PASTED_LOOKALIKES)
def test_lookalikes_in_a_dump_are_left_alone(kind: str, text: str) -> None:
    dump = DUMPS[kind][0](text)
    assert mask(dump) == dump


@pytest.mark.parametrize(
    ("dump", "expected"),
    [
        ("{'text': 'Pat 121212\\n1212 x'}", f"{{'text': 'Pat {REDACTION} x'}}"),
        ('{"t": "a 19121212\\u2013 1212 b"}', f'{{"t": "a {REDACTION} b"}}'),
        ("text=Pat+121212%E2%80%93+1212+ok&x=1", f"text=Pat+{REDACTION}+ok&x=1"),
        ("a 121212&nbsp;1212<br/>19121212&#8209;1212", f"a {REDACTION}<br/>{REDACTION}"),
        # The plain guard still works on a plain text inside a dump.
        ("ring 070-123%2045%2067 om 19121212-1212", f"ring 070-123%2045%2067 om {REDACTION}"),
        # Broken or unknown escapes stand for themselves.
        ("\\U99999999 %ZZ &nosuch; 121212\\q1212", "\\U99999999 %ZZ &nosuch; 121212\\q1212"),
    ],
)
def test_escapes_inside_a_number_are_masked_with_it(dump: str, expected: str) -> None:
    assert mask(dump) == expected


def test_a_plain_text_is_masked_as_the_core_masks_it() -> None:
    text = "Anna 19121212-1212 och 121212\n1212, ring +46 70 123 45 67."
    assert mask(text) == redact_identity_numbers(text)


@given(st.data(), st.sampled_from(list(DUMPS)))
def test_any_pasted_number_in_any_dump_is_masked(data: st.DataObject, kind: str) -> None:
    number = data.draw(pasted(data.draw(plain_identity_numbers())))
    dump = DUMPS[kind][0](f"Gäller {number}, se journal.")
    back = read_back(kind, mask(dump))
    assert back == f"Gäller {REDACTION}, se journal."


@given(st.text(max_size=80), st.sampled_from(list(DUMPS)))
def test_masking_a_dump_never_breaks_it(text: str, kind: str) -> None:
    """Whatever the text, the masked dump still reads back, with no number left."""
    dump = DUMPS[kind][0](text)
    back: Any = read_back(kind, mask(dump))
    assert find_identity_numbers(back) == []
