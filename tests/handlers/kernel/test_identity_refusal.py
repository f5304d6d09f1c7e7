"""The identity-number refusal: short, says where the number was typed, hints at phone
numbers written without spaces, never echoes the number, and stores nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.wiring import Bryggan
from handlers.commands import Request
from storage.models import MessageRow, QuestionRow
from tests.handlers.meetings.pulse_support import SERIES, Posts
from tests.support import Clock

REFUSED = "innehåller ett personnummer eller samordningsnummer, så inget är sparat. "
DEIDENTIFY = "Skriv avidentifierat, t.ex. ”kvinna, 45 år”."
PHONE = " Är det ett telefonnummer? Skriv det med mellanrum: 070-123 45 69."
NUMBER = "19121212-1212"
MOBILE_LIKE = "0701234569"  # also the personnummer of someone born 23 January 2007


def say(app: Bryggan, user: str, text: str, **where: str) -> str:
    reply = app.core.handle(Request("console", user, text, **where))
    assert reply is not None
    return reply.text


def rows(app: Bryggan, table: type) -> int:
    with app.database.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.mark.parametrize(
    ("line", "place"),
    [
        (f"/fråga kategori:sgi Patient {NUMBER} undrar om SGI", "Frågetexten"),
        (
            f"/fråga kategori:sgi samtycke:muntligt samtycke_av:{NUMBER} Gäller SGI",
            "Fältet samtycke_av",
        ),
        (f"/fråga kategori:sgi Ring mig på {MOBILE_LIKE}", "Frågetexten"),
    ],
)
def test_a_question_is_refused_naming_where_the_number_was(
    app: Bryggan, line: str, place: str
) -> None:
    refusal = say(app, "lisa", line)
    hint = PHONE if MOBILE_LIKE in line else ""
    assert refusal == f"{place} {REFUSED}{DEIDENTIFY}{hint}"
    assert len(refusal) < 200
    assert NUMBER not in refusal and MOBILE_LIKE not in refusal
    assert rows(app, QuestionRow) == 0


def test_an_answer_a_thread_reply_and_a_meeting_point_say_so(app: Bryggan, clock: Clock) -> None:
    assert say(app, "lisa", "/fråga kategori:sgi Hur påverkas SGI?").startswith("Tack!")
    Posts(app, clock).drain()  # the card is posted: its thread is "kristianstad" / ts-1
    ref = "F-2026-0001"
    answer = say(app, "anna", f"/svara {ref} Gäller {NUMBER}")
    assert answer == f"Svaret {REFUSED}{DEIDENTIFY}"
    in_thread = app.core.handle_thread_message(
        Request(
            "console", "anna", f"Ring {MOBILE_LIKE}", channel="kristianstad", thread_root="ts-1"
        )
    )
    assert in_thread is not None
    assert in_thread.text == f"Ditt inlägg i tråden {REFUSED}{DEIDENTIFY}{PHONE}"
    assert rows(app, MessageRow) == 0

    assert say(app, "maria", SERIES).startswith("Pulsmöte 1 är skapat")
    point = say(app, "lisa", f"/puls punkt Genomgång av {NUMBER}")
    assert point == f"Punkten {REFUSED}{DEIDENTIFY}"
    note = say(app, "lisa", f"/puls anteckning {NUMBER} följs upp")
    assert note == f"Anteckningen {REFUSED}{DEIDENTIFY}"


def test_a_phone_number_written_with_spaces_is_not_refused(app: Bryggan) -> None:
    reply = say(app, "lisa", "/fråga kategori:sgi Ring mig på 070-123 45 69")
    assert reply.startswith("Tack! Din fråga F-2026-0001 är registrerad.")
    assert rows(app, QuestionRow) == 1
