"""No identity number in any log line: every record is masked, Bryggan's and the libraries'
alike (bolt prints payloads it does not use), at every level, tracebacks too; a payload dumped
as a repr, JSON, a form or HTML is read through its escapes."""

from __future__ import annotations

import ast
import asyncio
import html
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import unicodedata
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import parse_qs, parse_qsl, quote_plus, unquote_plus, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nio import RoomSendResponse

from bot.logs import IdentityNumberFilter, mask, mask_every_record
from handlers.kernel.privacy import REDACTION, find_identity_numbers, redact_identity_numbers
from tests.bot.matrix_people import first
from tests.bot.matrix_world import unit_room
from tests.bot.slack_support import CHANNEL, SLACK_TOML, SlackHarness, form_state, slack_env
from tests.bot.test_slack_socket_mode import Running, slack_ends, socket_mode  # noqa: F401
from tests.clock_shift import python_command, reference_year
from tests.handlers.kernel.test_privacy import LOOKALIKES, ten
from tests.handlers.kernel.test_privacy_pasted import (
    PASTED,
    PASTED_LOOKALIKES,
    pasted,
    plain_identity_numbers,
)
from tests.matrix_homeserver import SynapseHomeserver
from tests.slack_stand_in import (
    DEFAULT_SIGNING_SECRET,
    SlackStandIn,
    block_actions_body,
    event_callback_body,
    message_event,
    signed_headers,
    slash_command_body,
    view_submission_body,
)
from tests.support import TEST_CONFIG, Clock, wait_until

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
    assert written.count(REDACTION) == 3
    assert "Unhandled request (payload not logged)" in written  # bolt's dump left out
    assert "ValueError: bad row" in written  # the traceback is kept, only masked


def test_look_alikes_are_written_as_they_are(records: list[str]) -> None:
    logging.getLogger("bot").warning("ring 040-123 45 67, org.nr 556677-8899, F-2026-0042")
    assert records == ["WARNING bot: ring 040-123 45 67, org.nr 556677-8899, F-2026-0042"]


def test_the_bryggan_command_installs_the_filter(tmp_path: Path) -> None:
    """`bryggan -v` logs at DEBUG through the masked handler, the libraries from INFO (their
    DEBUG records are payload dumps): records after the command line has set logging up (here
    `db upgrade` stops at a missing config)."""
    missing = tmp_path / "saknas.toml"
    script = (
        "import logging; from bot.cli import main;"
        f"main(['-v', '--config', {str(missing)!r}, 'db', 'upgrade']);"
        f"logging.getLogger('slack_sdk.web').debug('payload: {NUMBER}');"
        f"logging.getLogger('slack_sdk.web').info('sent: {NUMBER}');"
        f"logging.getLogger('bot.runner').debug('own: {NUMBER}')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert NUMBER not in result.stderr
    assert f"DEBUG bot.runner: own: {REDACTION}" in result.stderr  # -v: Bryggan's DEBUG
    assert f"INFO slack_sdk.web: sent: {REDACTION}" in result.stderr
    assert "payload:" not in result.stderr  # a library's DEBUG dump is left out


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


# Every entry point at DEBUG: numbers planted through the console and through Slack, every
# log stream grepped.

NUMBERS = [ten(f"8{n}0{n}1{n}", f"{n}{n}7") for n in range(1, 10)] + [ten("850161", "381")]
"""Distinct valid numbers, one per entry point, so a leak names the entry point."""


def pasted_forms(number: str, line_break: str = "\n") -> str:
    """``number`` as several journal systems paste it, one after the other."""
    date_part, serial = number[:6], number[6:]
    return (
        f"{date_part}-{serial}, 19{date_part}\u00a0\u2011\u00a0{serial}, "
        f"{date_part}{line_break}{serial}, {date_part[:3]}\u200b{date_part[3:]}\u2013{serial}, "
        + f"{date_part}{serial}".translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(url: str, process: subprocess.Popen[str], log: Path) -> bool:
    assert process.poll() is None, log.read_text()
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def seen_in(stream: str) -> str:
    """The letters and digits a reader of ``stream`` could make out, whatever it escaped:
    URL encoding, backslash escapes, HTML entities, full-width and invisible characters."""
    text = unquote_plus(stream)
    for _ in range(2):  # a dump inside a dump
        text = re.sub(
            r"\\+(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|n)",
            lambda m: "\n" if m[1] == "n" else chr(int(m[1][1:], 16)),
            text,
        )
    text = unicodedata.normalize("NFKC", html.unescape(text))
    return re.sub(r"[^0-9A-Za-z]", "", text)


def leaked(streams: dict[str, str]) -> list[str]:
    return [
        f"{number} in {name}"
        for name, stream in streams.items()
        for number in NUMBERS
        if number in seen_in(stream)
    ]


def payload(fields: dict[str, Any]) -> str:
    """An interactive payload, form-encoded as Slack posts it."""
    return urlencode({"payload": json.dumps(fields)})


def slack_requests(channel: str, card_ts: str) -> dict[str, tuple[str, bool]]:
    """Every kind of request Slack (or someone posing as Slack) sends, each with a number of
    its own: (body, signed)."""
    n = iter(pasted_forms(number) for number in NUMBERS[2:])
    user = {"id": "ULISA", "team_id": "T0STANDIN"}
    return {
        "slash command": (
            slash_command_body("/fraga", f"kategori:sgi {next(n)}", "ULISA", channel),
            True,
        ),
        "form": (
            view_submission_body(
                "bryggan_fraga", form_state(next(n)), "ULISA", json.dumps({"channel": channel})
            ),
            True,
        ),
        "unknown button": (
            block_actions_body(
                "okänd_knapp", "ULISA", value=next(n), channel_id=channel, message_ts=card_ts
            ),
            True,
        ),
        "thread message": (
            event_callback_body(message_event(next(n), "UANNA", channel, thread_ts=card_ts), "Ev1"),
            True,
        ),
        "legacy dialog": (
            payload(
                {
                    "type": "dialog_submission",
                    "callback_id": "gammal",
                    "user": user,
                    "submission": {"text": next(n)},
                }
            ),
            True,
        ),
        "typeahead": (
            payload(
                {
                    "type": "block_suggestion",
                    "action_id": "sok",
                    "block_id": "b",
                    "user": user,
                    "value": next(n),
                }
            ),
            True,
        ),
        "malformed payload": ("payload=%7B%22type%22%3A+%22" + quote_plus(next(n)) + "%22", True),
        "bad signature": (
            slash_command_body("/fraga", f"kategori:sgi {next(n)}", "ULISA", channel),
            False,
        ),
    }


def run_bryggan(
    tmp_path: Path, *args: str, env: dict[str, str], stdin: str | None = None
) -> subprocess.Popen[str]:
    """`bryggan -v …` with its standard error written to a file, as an operator might log it."""
    return subprocess.Popen(
        python_command("bot.cli", "-v", *args),
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=(tmp_path / f"{args[-1]}.out").open("w"),
        stderr=(tmp_path / f"{args[-1]}.log").open("w"),
        text=True,
        cwd=tmp_path,
        env=env,
    )


def post(url: str, body: str, *, signed: bool) -> int:
    headers = signed_headers(DEFAULT_SIGNING_SECRET if signed else "fel-hemlighet", body)
    request = urllib.request.Request(url, body.encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except HTTPError as error:
        return error.code


def test_no_number_planted_through_any_entry_point_reaches_a_log_stream(
    database_url: str, slack_stand_in: SlackStandIn, tmp_path: Path
) -> None:
    """`bryggan -v console` with numbers piped in, and `bryggan -v run` (Slack over HTTP) with
    a number in every kind of request, malformed and forged ones too: standard output and the
    logs at DEBUG hold none of them, in any encoding, and show where they were masked."""
    env = {**os.environ, **slack_env(slack_stand_in), "BRYGGAN_DATABASE_URL": database_url}
    first, second = (pasted_forms(number, line_break=" ") for number in NUMBERS[:2])
    ref = f"F-{reference_year()}-0001"
    console = run_bryggan(tmp_path, "console", env=env, stdin="")
    assert console.stdin is not None
    console.stdin.write(
        f"/fråga kategori:sgi Ren fråga\n/fråga kategori:sgi Pat {first}\n@anna: >{ref} {second}\n"
    )
    console.stdin.close()
    assert console.wait(timeout=120) == 0

    port = free_port()
    config = tmp_path / "config.toml"
    table = SLACK_TOML.format(base_url=slack_stand_in.base_url)
    config.write_text(TEST_CONFIG + table.replace("http_port = 0", f"http_port = {port}"))
    server = run_bryggan(tmp_path, "--config", str(config), "run", env=env)
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        wait_until(
            lambda: answers(f"http://127.0.0.1:{port}/healthz", server, tmp_path / "run.log"),
            60,
            "bryggan run",
        )
        assert (
            post(
                url,
                slash_command_body("/fraga", "kategori:sgi Ren fråga", "ULISA", CHANNEL),
                signed=True,
            )
            == 200
        )
        slack_stand_in.wait_for("chat.postMessage", timeout=10)
        card = slack_stand_in.messages(CHANNEL)[0]
        statuses = {
            name: post(url, body, signed=signed)
            for name, (body, signed) in slack_requests(CHANNEL, card["ts"]).items()
        }
        assert statuses["bad signature"] == 401 and statuses["slash command"] == 200
        wait_until(
            lambda: "Unhandled request" in (tmp_path / "run.log").read_text(), 10, "bolt's warnings"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    streams = {
        path.name: path.read_text()
        for path in sorted(tmp_path.glob("*.out")) + sorted(tmp_path.glob("*.log"))
    }
    assert leaked(streams) == []
    log = streams["run.log"]
    # With -v the libraries' DEBUG dumps (slack_sdk's requests, bolt's bodies) are left out,
    # and bolt's warnings about the payloads it does not use keep only their first words.
    assert "Sending a request" not in log and "Ren fråga" not in log
    assert log.count("payload not logged)") >= 3
    assert "lisa>" not in streams["console.out"]  # piped lines are not written back
    assert "personnummer eller samordningsnummer" in streams["console.out"]


def test_records_are_masked_for_every_handler_in_process(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """The same requests in-process, written by pytest's own capture handler (which has no
    filter of Bryggan's): masked all the same, as every record is masked where it is made."""
    restore = mask_every_record()
    try:
        caplog.set_level(logging.DEBUG)
        ref = slack.ask()
        location = slack.location(ref)
        for body, signed in slack_requests(location.channel, location.thread_root).values():
            slack.post(body, secret=None if signed else "fel-hemlighet")
        wait_until(lambda: "block_suggestion" in caplog.text, 10, "bolt's warnings")
    finally:
        restore()
    assert leaked({"caplog": caplog.text}) == []
    assert "Unhandled request (block_suggestion; payload not logged)" in caplog.text


def test_socket_mode_envelopes_are_masked_too(
    socket_mode: Running,  # noqa: F811 (the fixture, imported from the Socket Mode tests)
    caplog: pytest.LogCaptureFixture,
) -> None:
    """In Socket Mode slack_sdk logs every envelope it receives at DEBUG, as the raw JSON Slack
    sent (here escaped, as a JSON encoder writes a no-break space or a dash): masked."""
    restore = mask_every_record()
    try:
        caplog.set_level(logging.DEBUG)
        server = socket_mode.server
        server.wait_for_connections(1)
        clean = server.wait_for_ack(socket_mode.slash_command("kategori:sgi Ren fråga", "ULISA"))
        root = socket_mode.location_of(re.findall(r"F-\d{4}-\d{4}", str(clean.message))[0])
        for body, _signed in list(slack_requests(CHANNEL, root).values())[:6]:
            fields = dict(parse_qsl(body)) if not body.startswith("{") else json.loads(body)
            if "payload" in fields:
                server.envelope("interactive", json.loads(fields["payload"]))
            else:
                server.envelope("slash_commands" if "command" in fields else "events_api", fields)
        wait_until(  # an unhandled envelope is not acknowledged, but processed all the same
            lambda: caplog.text.count("Message processing completed") >= 7, 10, "7 envelopes"
        )
    finally:
        restore()
    assert leaked({"caplog": caplog.text}) == []
    assert "on_message invoked" in caplog.text and REDACTION in caplog.text


def test_matrix_messages_are_masked_too(
    synapse: SynapseHomeserver,
    tmp_path: Path,
    database_url: str,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """In Element a number arrives in the plain body and in the HTML (`&nbsp;`, `<br>`); nio
    logs every response it validates at DEBUG, the bot's sync and the people's alike: masked."""
    plain, in_html = NUMBERS[0], NUMBERS[1]
    html_body = (
        f"Pat {in_html[:6]}&nbsp;&#8209;&nbsp;{in_html[6:]}<br>{in_html[:6]}<br/>{in_html[6:]}"
    )

    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as s:
            typed = await s.doctor.say(s.room, f"!fråga kategori:sgi Pat {pasted_forms(plain)}")
            await s.doctor.until(lambda: first(s.doctor.replies_to(s.room, typed)), "a refusal")
            content = {
                "msgtype": "m.text",
                "body": f"!fråga kategori:sgi {html.unescape(html_body).replace('<br>', chr(10))}",
                "format": "org.matrix.custom.html",
                "formatted_body": f"!fråga kategori:sgi {html_body}",
            }
            sent = await s.doctor.client.room_send(s.room, "m.room.message", content)
            assert isinstance(sent, RoomSendResponse), sent
            await s.doctor.until(
                lambda: first(s.doctor.replies_to(s.room, sent.event_id)), "a second refusal"
            )

    restore = mask_every_record()
    try:
        caplog.set_level(logging.DEBUG)
        asyncio.run(scenario())
    finally:
        restore()
    assert leaked({"caplog": caplog.text}) == []
    assert "Validating response schema" in caplog.text and REDACTION in caplog.text
