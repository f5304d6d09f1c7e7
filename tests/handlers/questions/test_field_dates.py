"""Dates and fields in /fråga and /statistik (#12), through the core on a real database.

A deadline or consent date is never moved to another year in silence: typed without a
year it is the nearest such day, and the wrong side (a deadline past, a consent in the
future) is refused with the day named and nothing written. Each case sets the injected
clock, so the tests hold whatever the wall clock says (the CI also runs them at
2026-12-31T23:30 and 2027-01-04T09:00). Field values may hold spaces, in quotes or not.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.kernel import STOCKHOLM
from storage.models import AuditRow, MessageRow, OutboxRow, QuestionRow
from tests.support import Clock

ASK = "/fråga kategori:sgi {fields} Hur påverkas SGI vid deltid?"
PAST = "Fristen {day} har redan passerat. Ange ett datum från och med i dag."


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def say(app: Bryggan, text: str, platform: str = "console", user: str = "lisa") -> str:
    reply = app.core.handle(Request(platform, user, text))
    assert reply is not None
    return reply.text


def rows(app: Bryggan) -> tuple[int, ...]:
    with app.database.session() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (QuestionRow, MessageRow, OutboxRow, AuditRow)
        )


def last_question(app: Bryggan) -> QuestionRow:
    with app.database.session() as session:
        question = session.scalars(select(QuestionRow).order_by(QuestionRow.id.desc())).first()
        assert question is not None
        session.expunge(question)
        return question


def refused(app: Bryggan, line: str, expected: str) -> None:
    before = rows(app)
    assert say(app, line) == expected
    assert rows(app) == before


@pytest.mark.parametrize(
    ("now", "typed", "day"),
    [
        (at(2026, 11, 30), "29/11", "29 nov 2026"),
        (at(2026, 11, 30), "29 nov", "29 nov 2026"),
        (at(2026, 12, 31, 23, 30), "30/12", "30 dec 2026"),
        (at(2027, 1, 4, 9), "28/12", "28 dec 2026"),
        (at(2027, 1, 4, 9), "3 januari", "3 jan 2027"),
        (at(2027, 1, 4, 9), "15 dec", "15 dec 2026"),
    ],
)
def test_a_deadline_typed_without_a_year_is_never_moved_a_year_ahead(
    app: Bryggan, clock: Clock, now: datetime, typed: str, day: str
) -> None:
    clock.now = now
    refused(app, ASK.format(fields=f"frist:{typed}"), PAST.format(day=day))


@pytest.mark.parametrize(
    ("now", "typed", "deadline"),
    [
        (at(2026, 11, 30), "30/11", date(2026, 11, 30)),
        (at(2026, 11, 30), "15/5", date(2027, 5, 15)),
        (at(2026, 12, 31, 23, 30), "31/12", date(2026, 12, 31)),
        (at(2026, 12, 31, 23, 30), "5/1", date(2027, 1, 5)),
        (at(2027, 1, 1, 0, 10), "1 jan", date(2027, 1, 1)),
        (at(2027, 1, 4, 9), "15 mars", date(2027, 3, 15)),
    ],
)
def test_a_deadline_is_the_nearest_such_day(
    app: Bryggan, clock: Clock, now: datetime, typed: str, deadline: date
) -> None:
    clock.now = now
    assert "är registrerad" in say(app, ASK.format(fields=f"frist:{typed}"))
    assert last_question(app).deadline == deadline


@pytest.mark.parametrize(
    ("now", "typed", "obtained"),
    [
        (at(2026, 11, 30), "29/11", date(2026, 11, 29)),
        (at(2027, 1, 1, 0, 10), "31/12", date(2026, 12, 31)),
        (at(2027, 1, 4, 9), "28 dec", date(2026, 12, 28)),
        (at(2026, 12, 31, 23, 30), "i går", date(2026, 12, 30)),
    ],
)
def test_a_consent_date_is_the_nearest_such_day(
    app: Bryggan, clock: Clock, now: datetime, typed: str, obtained: date
) -> None:
    clock.now = now
    fields = f"samtycke:muntligt samtycke_datum:{typed}"
    assert "är registrerad" in say(app, ASK.format(fields=fields))
    assert last_question(app).consent_on == obtained


@pytest.mark.parametrize(
    ("now", "typed", "day", "example"),
    [
        (at(2026, 11, 30), "5/12", "5 dec 2026", "i går, 23/11 eller 2026-11-23"),
        (at(2026, 12, 31, 23, 30), "2/1", "2 jan 2027", "i går, 24/12 eller 2026-12-24"),
        (at(2026, 11, 30), "2027-01-10", "10 jan 2027", "i går, 23/11 eller 2026-11-23"),
    ],
)
def test_a_consent_in_the_future_is_refused_with_the_day(
    app: Bryggan, clock: Clock, now: datetime, typed: str, day: str, example: str
) -> None:
    clock.now = now
    refused(
        app,
        ASK.format(fields=f"samtycke:muntligt samtycke_datum:{typed}"),
        f"Samtycket kan inte vara inhämtat i framtiden ({day}). Ange dagen det inhämtades, "
        f"till exempel {example}.",
    )


@pytest.mark.parametrize("now", [at(2026, 11, 30), at(2026, 12, 31, 23, 30), at(2027, 1, 4, 9)])
def test_an_unread_date_is_quoted_whole_and_its_examples_are_accepted(
    app: Bryggan, clock: Clock, now: datetime
) -> None:
    clock.now = now
    line = ASK.format(fields='frist:"femtonde decembrr"')
    before = rows(app)
    reply = say(app, line)
    assert reply.startswith("Jag förstår inte datumet ”femtonde decembrr”. Skriv till exempel ")
    assert rows(app) == before
    examples = reply.removesuffix(".").split("till exempel ")[1].replace(" eller ", ", ")
    for example in examples.split(", "):
        assert "är registrerad" in say(app, ASK.format(fields=f"frist:{example}")), example
    unquoted = say(app, ASK.format(fields="frist:15 decembrr"))
    assert unquoted.startswith("Jag förstår inte datumet ”15 decembrr”. Skriv till exempel ")
    assert rows(app)[0] == before[0] + len(examples.split(", "))
    consent = say(app, ASK.format(fields="samtycke:muntligt samtycke_datum:igårr"))
    examples = consent.removesuffix(".").split("till exempel ")[1].replace(" eller ", ", ")
    for example in examples.split(", "):
        fields = f"samtycke:muntligt samtycke_datum:{example}"
        assert "är registrerad" in say(app, ASK.format(fields=fields)), example


@pytest.mark.parametrize(
    ("now", "phrase", "first", "last"),
    [
        (at(2026, 11, 30), "från 30/11 till 1/10", "30 nov 2026", "1 okt 2026"),
        (at(2027, 1, 4, 9), "från 4/1 till 30/12", "4 jan 2027", "30 dec 2026"),
        (at(2026, 11, 30), "från 1/10 2026 till 1/9 2026", "1 okt 2026", "1 sep 2026"),
    ],
)
def test_a_reversed_statistics_period_is_refused(
    app: Bryggan, clock: Clock, now: datetime, phrase: str, first: str, last: str
) -> None:
    clock.now = now
    refused(
        app,
        f"/statistik {phrase}",
        f"Perioden går baklänges: {first} kommer efter {last}. Skriv den tidigaste dagen "
        "först (med år om den ligger ett annat år).",
    )


@pytest.mark.parametrize(
    ("now", "phrase", "label"),
    [
        (at(2026, 12, 31, 23, 30), "från 1/1 till 31/12", "1 jan–31 dec 2026"),
        (at(2027, 1, 4, 9), "från 1/12 till 3/1", "1 dec 2026–3 jan 2027"),
        (at(2026, 11, 30), "från 1/10 till 30/11", "1 okt–30 nov 2026"),
    ],
)
def test_a_statistics_period_across_new_year(
    app: Bryggan, clock: Clock, now: datetime, phrase: str, label: str
) -> None:
    clock.now = now
    assert label in say(app, f"/statistik {phrase}", user="maria")


@pytest.mark.parametrize(
    ("platform", "user", "line"),
    [
        ("console", "lisa", "/fråga {fields} Hur påverkas SGI?"),
        ("matrix", "@lisa:localhost", "!fråga {fields} Hur påverkas SGI?"),
        ("slack", "ULISA", "{fields} Hur påverkas SGI?"),
    ],
)
def test_field_values_with_spaces_on_every_platform(
    app: Bryggan, clock: Clock, platform: str, user: str, line: str
) -> None:
    """One grammar (the registry's) for the console, Matrix's `!fråga` and Slack's `/fraga`:
    a date as far as it reads, a title with its name, a word:word in the text left alone."""
    clock.now = at(2026, 11, 30)  # a Monday
    fields = "kategori:sgi frist:nästa fredag samtycke:muntligt samtycke_av:Dr Andersson"
    text = line.format(fields=fields).replace("SGI?", "SGI? Se enhet:lund, kl:14.")
    command = "fraga" if platform == "slack" else None
    reply = app.core.handle(Request(platform, user, text, command=command))
    assert reply is not None and "är registrerad" in reply.text, reply
    question = last_question(app)
    assert question.deadline == date(2026, 12, 11)
    assert question.consent_by == "Dr Andersson"
    assert question.text == "Hur påverkas SGI? Se enhet:lund, kl:14."
    assert say(app, ASK.format(fields="frist:15 dec")).startswith("Tack!")
    assert last_question(app).deadline == date(2026, 12, 15)


def test_the_help_for_fraga_explains_the_fields(app: Bryggan) -> None:
    details = say(app, "/hjälp fråga")
    assert "Fälten står först" in details
    assert 'samtycke_av:"Anna Holm"' in details and "frist:nästa fredag" in details
