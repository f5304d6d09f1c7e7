"""`/frågor` with many questions: the longest-waiting first, paged, with the counts; and
an agenda with hundreds of overdue questions lists the oldest and counts the rest."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.meetings.agenda import MAX_OVERDUE
from handlers.questions.views import PER_PAGE
from storage.models import AuditRow, MessageRow, OutboxRow, QuestionRow
from tests.support import Clock

ASK = "/fråga enhet:lund kategori:sgi riktning:vård-fk Fråga nummer {n} om SGI vid deltid?"


def say(app: Bryggan, user: str, text: str) -> str:
    reply = app.core.handle(Request("console", user, text))
    assert reply is not None
    return reply.text


def refs(text: str) -> list[str]:
    return [line.split(" · ")[0].removeprefix("• ") for line in text.splitlines() if "•" in line]


def ask_many(app: Bryggan, clock: Clock, count: int) -> None:
    for n in range(1, count + 1):
        say(app, "olle", ASK.format(n=n))
        clock.advance(minutes=1)


def test_my_questions_are_paged_longest_waiting_first(app: Bryggan, clock: Clock) -> None:
    ask_many(app, clock, 45)
    first = say(app, "olle", "/frågor")
    assert refs(first) == [f"F-2026-{n:04d}" for n in range(1, PER_PAGE + 1)]
    assert "Sida 1 av 3 (0 väntar på dig, 45 egna), de som väntat längst först." in first
    assert first.endswith("Skriv /frågor sida 2 för nästa sida.")
    last = say(app, "olle", "/frågor sida 3")
    assert refs(last) == [f"F-2026-{n:04d}" for n in range(41, 46)]
    assert "Sida 3 av 3" in last and "nästa sida" not in last
    assert refs(say(app, "olle", "/fragor 2"))[0] == "F-2026-0021"


USAGE = (
    "Jag förstår inte ”{typed}”. /frågor tar otilldelade, öppna, stängda, alla, "
    "enhet:<enhet> och sida N, till exempel /frågor öppna enhet:lund sida 2."
)


@pytest.mark.parametrize(
    ("user", "arguments", "typed"),
    [
        ("olle", "15/12", "15/12"),
        ("lisa", "15/12 öppna", "15/12"),
        ("lisa", "öppna v2", "v2"),
        ("olle", "sida2", "sida2"),
        ("olle", "2.", "2."),
        ("olle", "F-2026-0001", "F-2026-0001"),
        ("olle", "sida", "sida"),
        ("olle", "sida 0", "sida 0"),
        ("olle", "0", "0"),
        ("olle", "sida 15/12", "sida 15/12"),
        ("olle", "1 2", "2"),
        ("olle", "sida 1 sida 2", "sida 2"),
        ("olle", "²", "²"),
        ("lisa", "alla 9999999", "9999999"),
    ],
)
def test_an_argument_frogor_does_not_take_is_named_with_what_it_takes(
    app: Bryggan, clock: Clock, user: str, arguments: str, typed: str
) -> None:
    ask_many(app, clock, 3)
    before = stored(app)
    assert say(app, user, f"/frågor {arguments}") == USAGE.format(typed=typed)
    assert stored(app) == before


def stored(app: Bryggan) -> tuple[int, ...]:
    with app.database.session() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (QuestionRow, MessageRow, OutboxRow, AuditRow)
        )


def test_a_page_that_does_not_exist_or_is_mistyped_is_explained(app: Bryggan, clock: Clock) -> None:
    ask_many(app, clock, 3)
    assert say(app, "olle", "/frågor sida 4") == "Det finns ingen sida 4. Sista sidan är 1."
    assert say(app, "olle", "/frågor sida två") == USAGE.format(typed="sida två")
    # One page: no page line, the lists as before.
    assert say(app, "olle", "/frågor").startswith("Dina frågor:\n• F-2026-0001")


def test_an_agenda_counts_overdue_questions_and_lists_the_oldest(
    app: Bryggan, clock: Clock
) -> None:
    created = say(app, "maria", "/puls ny varannan torsdag kl 13 enheter:lund")
    assert created.startswith("Pulsmöte 1 är skapat")
    ask_many(app, clock, 60)
    clock.advance(days=3)
    preview = say(app, "maria", "/puls dagordning")
    assert "Obesvarade frågor över tidsgränsen: 60 st. De 20 som väntat längst:" in preview
    listed = refs(preview.split("väntat längst:")[1])
    assert listed == [f"F-2026-{n:04d}" for n in range(1, MAX_OVERDUE + 1)]
