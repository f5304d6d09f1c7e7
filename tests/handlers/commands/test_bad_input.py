"""Bad input gets a clear Swedish answer and changes nothing; identity numbers never stick."""

from __future__ import annotations

import logging
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.delivery.outbox import OutboxSender
from handlers.kernel.context import Context, Reply
from handlers.kernel.registry import extension
from storage.models import AuditRow, MessageRow, OutboxRow, QuestionRow
from tests.support import RecordingMessenger

PNR = "19121212-1212"  # Skatteverket's well-known test number: valid date and Luhn


def say(app: Bryggan, text: str, user: str = "lisa") -> str:
    reply = app.core.handle(Request("console", user, text))
    assert reply is not None
    return reply.text


def counts(app: Bryggan) -> tuple[int, ...]:
    with app.database.session() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (QuestionRow, MessageRow, OutboxRow)
        )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/fråga kategori:sgi", "Skriv själva frågan"),
        ("/fråga enhet:kristianstad riktning:vård-fk Hej", "Ange kategori med kategori:…"),
        ("/fråga enhet:paris kategori:sgi Hej", "”paris” är ingen enhet"),
        ("/fråga kategori:s Hej", "kan vara flera kategorier"),
        ("/fråga kategori:sgi riktning:upp Hej", "”upp” är ingen riktning"),
        ("/fråga enhett:lund kategori:sgi Hej", "Fältet ”enhett” känner jag inte till"),
        ("/fråga kategori:sgi frist:30/2 Hej", "Jag förstår inte datumet ”30/2”"),
        ("/fråga kategori:sgi frist:2026-01-05 Hej", "Fristen 5 jan 2026 har redan passerat"),
        ("/fråga kategori:sgi samtycke:kanske Hej", "Samtycke anges som"),
        ("/fråga kategori:sgi " + "xxxxxxxxx " * 200 + "x", "2001 tecken lång; högst 2000"),
        ("/fråga kategori:sgi " + "x" * 2001, "Ett ord i meddelandet är 2001 tecken långt"),
        ("/ta", "Ange vilken fråga du menar"),
        ("/ta F-2026-9999", "hittar ingen fråga med referensen F-2026-9999"),
        ("/svara F-2026-9999 hej", "hittar ingen fråga"),
        ("/flytta", "Ange vilken fråga du menar"),
        ("/frånvaro i morgon", "Ange frånvaron som"),
        ("/frånvaro 2026-01-01 2026-01-05", "har redan passerat"),
        ("/kategori byt", "Det kan bara en administratör"),
        ("/gör-något", "Kommandot ”gör-något” känner jag inte till"),
        ("", "Så här använder du Bryggan"),
    ],
)
def test_bad_input_is_answered_and_changes_nothing(app: Bryggan, line: str, expected: str) -> None:
    before = counts(app)
    assert expected in say(app, line)
    assert counts(app) == before


@pytest.mark.parametrize(
    "text",
    [
        f"Patient {PNR} har frågor om SGI",
        "Gäller 121212-1212, se journal",
        "pnr 191212121212",
        "samordningsnummer 701063-2391",
        "reservnummer 19850101-T123",
    ],
)
def test_identity_numbers_are_refused_everywhere(
    app: Bryggan, text: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    say(app, "/fråga enhet:kristianstad kategori:sgi Ren fråga")
    before = counts(app)
    number = (
        text.split()[1].rstrip(",")
        if text.startswith(("Gäller", "pnr", "samord", "reserv"))
        else PNR
    )
    for line in (
        f"/fråga enhet:kristianstad kategori:sgi {text}",
        f"/svara F-2026-0001 {text}",
        f"/fråga kategori:sgi samtycke:muntligt samtycke_av:{PNR.replace('-', '')} Hej",
    ):
        reply = say(app, line)
        assert "personnummer eller samordningsnummer" in reply
        assert number not in reply
    OutboxSender(app.core.stores, RecordingMessenger(), app.core.clock).drain()
    before = counts(app)
    thread = app.core.handle_thread_message(
        Request("console", "anna", text, channel="kristianstad", thread_root="ts-1")
    )
    assert thread is not None and "Ditt inlägg i tråden innehåller ett personnummer" in thread.text
    assert counts(app) == before
    assert number not in caplog.text
    with app.database.session() as session:
        assert all(number not in d for d in session.scalars(select(AuditRow.detail)))


@pytest.mark.parametrize(
    "text",
    [
        "Ring mig på 070-123 45 67 efter 14.30",
        "Beslut 2026-11-20, belopp 12 500 kr, org.nr 556016-0680",
        "Diagnos F32.1, ärende 2026-123456, postnummer 211 45",
    ],
)
def test_look_alikes_are_accepted(app: Bryggan, text: str) -> None:
    assert "är registrerad" in say(app, f"/fråga enhet:kristianstad kategori:sgi {text}")


PRINTABLE = st.text(
    alphabet=st.sampled_from(string.printable + "åäöÅÄÖ–→éü\u00a0" + "F-2026:@/!<>\"'"),
    max_size=200,
)
WORDS = st.sampled_from(
    [
        "/fråga",
        "/fraga",
        "/frågor",
        "/visa",
        "/ta",
        "/svara",
        "/besvarad",
        "/stäng",
        "/återöppna",
        "/flytta",
        "/frånvaro",
        "/hjälp",
        "/kategori",
        "!fråga",
        "ta",
        "/puls",
        "/statistik",
    ]
)
FIELDS = st.sampled_from(["enhet:", "kategori:", "riktning:", "frist:", "samtycke:", "puls:", ""])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    word=WORDS, field=FIELDS, rest=PRINTABLE, user=st.sampled_from(["lisa", "anna", "maria", "x"])
)
def test_hostile_text_never_breaks_the_bot(
    app: Bryggan, word: str, field: str, rest: str, user: str
) -> None:
    reply = app.core.handle(Request("console", user, f"{word} {field}{rest}"))
    assert reply is not None and reply.text
    assert "Något gick fel" not in reply.text


def test_a_crash_inside_a_command_is_contained(app: Bryggan) -> None:
    def broken(ctx: Context, arguments: str) -> Reply:
        raise RuntimeError("bug")

    app.core.registry.register(extension("trasig", broken, summary="går sönder"))
    before = counts(app)
    assert "Något gick fel hos mig" in say(app, "/trasig nu")
    assert counts(app) == before
    assert "är registrerad" in say(app, "/fråga kategori:sgi Fungerar det fortfarande?")


def test_over_long_thread_reply_is_refused(app: Bryggan) -> None:
    say(app, "/fråga kategori:sgi Kort fråga")
    OutboxSender(app.core.stores, RecordingMessenger(), app.core.clock).drain()
    before = counts(app)
    reply = app.core.handle_thread_message(
        Request(
            "console", "anna", "yyyyyyyyy " * 200 + "y", channel="kristianstad", thread_root="ts-1"
        )
    )
    assert reply is not None and "2001 tecken lång; högst 2000" in reply.text
    assert counts(app) == before
