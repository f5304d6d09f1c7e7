"""`/frånvaro` as editable state, through the core and the database (SQLite and, when set,
PostgreSQL). Today is Monday 23 November 2026 (tests.support.Clock)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.delivery.outbox import OutboxSender
from storage.models import AbsenceRow, OutboxRow, QuestionRow
from tests.support import Clock, RecordingMessenger

ASK = "/fråga enhet:kristianstad kategori:planering riktning:vård-fk Hur planerar vi?"


def say(app: Bryggan, user: str, text: str) -> str:
    reply = app.core.handle(Request("console", user, text))
    assert reply is not None
    return reply.text


def absences(app: Bryggan) -> list[tuple[int, date, date, int | None]]:
    """The absences table as (person id, start, end, substitute id)."""
    with app.database.session() as session:
        rows = session.scalars(select(AbsenceRow).order_by(AbsenceRow.id))
        return [(r.person_id, r.start, r.end, r.substitute_id) for r in rows]


def assignees(app: Bryggan) -> dict[str, int | None]:
    with app.database.session() as session:
        return {q.ref: q.assignee_id for q in session.scalars(select(QuestionRow))}


def person_id(app: Bryggan, key: str) -> int:
    with app.core.stores() as store:
        found = store.person_by_key(key=key)
        assert found is not None
        return found.id


def notices(app: Bryggan, clock: Clock) -> list[tuple[str, str]]:
    messenger = RecordingMessenger()
    OutboxSender(app.core.stores, messenger, clock).drain()
    return messenger.notices


@pytest.mark.parametrize(
    ("user", "line", "expected"),
    [
        ("anna", "/frånvaro 11/12 7/12", "Slutdatumet 7 dec ligger före startdatumet 11 dec"),
        ("anna", "/frånvaro 1/12 20/11", "Slutdatumet 20 nov ligger före startdatumet 1 dec"),
        ("anna", "/frånvaro 2026-12-11 2026-12-07", "ligger före startdatumet"),
        ("anna", "/frånvaro 1/12 28/2", "blir 90 dagar lång. Stämmer det?"),
        ("anna", "/frånvaro 7/12 11/12 ersättare @anna", "Du kan inte ersätta dig själv"),
        ("anna", "/frånvaro 7/12 11/12 ersättare @rut", "Rut Nilsson kan inte ta emot"),
        ("anna", "/frånvaro 7/12 11/12 ersättare @lisa", "Lisa Ek är inte kontaktperson"),
        ("olle", "/frånvaro 7/12 11/12 ersättare @karl", "Karl Strand är inte kontaktperson"),
        ("anna", "/frånvaro 7/12 11/12 ersättare @sofia", "Vuxenpsykiatri Kristianstads frågor"),
        ("anna", "/frånvaro 7/12 11/12 ersättare @okänd", "ingen användare som heter ”@okänd”"),
        ("anna", "/frånvaro ta-bort 99", "Jag hittar ingen frånvaro nr 99"),
        ("anna", "/frånvaro ta-bort 99999999999999", "Jag hittar ingen frånvaro nr 999999"),
        ("anna", "/frånvaro ändra", "Ange vilken frånvaro du menar"),
        ("anna", "/frånvaro avbryt", "Ange vilken frånvaro du menar"),
        ("anna", "/frånvaro 2026-01-01 2026-01-05", "har redan passerat"),
    ],
)
def test_refusals_answer_in_swedish_and_save_nothing(
    app: Bryggan, user: str, line: str, expected: str
) -> None:
    assert expected in say(app, user, line)
    assert absences(app) == []


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("måndag fredag", "30 nov 2026–4 dec 2026"),
        ("mån–fre", "30 nov 2026–4 dec 2026"),
        ("mån-fre", "30 nov 2026–4 dec 2026"),
        ("7/12-11/12", "7 dec 2026–11 dec 2026"),
        ("från 7/12 till 11/12", "7 dec 2026–11 dec 2026"),
        ("v. 51", "14 dec 2026–20 dec 2026"),
        ("vecka 51–52", "14 dec 2026–27 dec 2026"),
        ("20/12 5/1", "20 dec 2026–5 jan 2027"),
        ("20/11 25/11", "20 nov 2026–25 nov 2026"),
        ("nästa vecka", "30 nov 2026–6 dec 2026"),
        ("fr.o.m. 7/12 t.o.m. 11/12", "7 dec 2026–11 dec 2026"),
    ],
)
def test_weekdays_weeks_and_dates_mean_the_coming_period(
    app: Bryggan, typed: str, period: str
) -> None:
    assert f"Frånvaro registrerad {period} (nr 1)." in say(app, "anna", f"/frånvaro {typed}")
    ((_, start, end, _),) = absences(app)
    assert (end - start).days < 60


def test_a_long_absence_is_saved_only_when_confirmed(app: Bryggan) -> None:
    asked = say(app, "anna", "/frånvaro 1/12 28/2")
    assert "/frånvaro 1/12 28/2 bekräfta" in asked and "Inget är sparat" in asked
    assert absences(app) == []
    saved = say(app, "anna", "/frånvaro 1/12 28/2 bekräfta")
    assert saved.startswith("Frånvaro registrerad 1 dec 2026–28 feb 2027 (nr 1).")
    assert absences(app) == [(person_id(app, "anna"), date(2026, 12, 1), date(2027, 2, 28), None)]


def test_list_change_and_cancel_ones_own(app: Bryggan) -> None:
    assert "nr 1" in say(app, "anna", "/frånvaro 7/12 11/12")
    assert "nr 2" in say(app, "anna", "/frånvaro v. 52 ersättare @maria")
    listed = say(app, "anna", "/frånvaro")
    assert listed.splitlines()[:3] == [
        "Din frånvaro:",
        "• nr 1 · 7 dec–11 dec 2026",
        "• nr 2 · 21 dec–27 dec 2026 · ersättare Maria Lund",
    ]
    changed = say(app, "anna", "/frånvaro ändra nr 1 8/12 10/12")
    assert changed == "Frånvaro nr 1 gäller nu 8 dec 2026–10 dec 2026."
    assert "Jag hittar ingen frånvaro nr 1" in say(app, "berit", "/frånvaro ta-bort 1")
    removed = say(app, "anna", "/frånvaro ta-bort 2")
    assert removed == "Frånvaro nr 2 (Anna Berg, 21 dec–27 dec 2026) är borttagen."
    anna = person_id(app, "anna")
    assert absences(app) == [(anna, date(2026, 12, 8), date(2026, 12, 10), None)]
    assert say(app, "berit", "/frånvaro").startswith("Du har ingen frånvaro registrerad")


def test_cancelling_an_absence_routes_to_her_again(app: Bryggan) -> None:
    say(app, "anna", "/frånvaro 23/11 27/11")
    assert "Till Berit Ås, reserv för Anna Berg" in say(app, "lisa", ASK)
    assert "är borttagen" in say(app, "anna", "/frånvaro avbryt 1")
    assert "Till Anna Berg, kontaktperson" in say(app, "lisa", ASK)


def test_an_admin_sees_everyones_per_unit_and_may_cancel_them(app: Bryggan) -> None:
    say(app, "anna", "/frånvaro 7/12 11/12")
    say(app, "rut", "/frånvaro 14/12 18/12")
    listed = say(app, "maria", "/frånvaro").splitlines()
    assert listed[:4] == [
        "Frånvaro nu och framöver:",
        "Vuxenpsykiatri Kristianstad:",
        "• nr 1 · Anna Berg · 7 dec–11 dec 2026",
        "• nr 2 · Rut Nilsson · 14 dec–18 dec 2026",
    ]
    assert "Vuxenpsykiatri Hässleholm:" in listed
    assert "är borttagen" in say(app, "maria", "/frånvaro ta-bort 2")
    assert [a[0] for a in absences(app)] == [person_id(app, "anna")]


def test_overlaps_are_refused_naming_the_other(app: Bryggan) -> None:
    say(app, "anna", "/frånvaro 7/12 11/12")
    say(app, "anna", "/frånvaro 14/12 18/12")
    before = absences(app)
    refused = say(app, "anna", "/frånvaro 10/12 15/12")
    assert refused.startswith("Du har redan frånvaro nr 1 7 dec–11 dec, som överlappar.")
    assert "/frånvaro ändra 1" in refused
    assert "nr 2 14 dec–18 dec" in say(app, "anna", "/frånvaro ändra 1 7/12 14/12")
    assert "Anna Berg har redan frånvaro nr 1" in say(app, "maria", "/frånvaro ändra 2 v. 50")
    assert absences(app) == before
    assert "gäller nu 7 dec 2026–13 dec 2026" in say(app, "anna", "/frånvaro ändra 1 7/12 13/12")


def test_a_substitute_away_too_is_reported_with_who_gets_the_questions(app: Bryggan) -> None:
    say(app, "maria", "/frånvaro 23/11 25/11")
    saved = say(app, "anna", "/frånvaro 23/11 27/11 ersättare @maria")
    assert "Maria Lund tar dina nya frågor under tiden." in saved
    assert "Obs: Maria Lund är också frånvarande 23 nov–25 nov." in saved
    assert "för Vuxenpsykiatri Kristianstad till Berit Ås" in saved
    assert "för Vuxenpsykiatri Hässleholm till Sofia Holm" in saved
    assert "Till Berit Ås" in say(app, "lisa", ASK)


def test_assigned_questions_are_listed_to_the_stand_in_and_admins_and_moved_at_once(
    app: Bryggan, clock: Clock
) -> None:
    say(app, "lisa", ASK)
    say(app, "lisa", ASK)
    notices(app, clock)  # the new-question notices to Anna
    saved = say(app, "anna", "/frånvaro idag fredag")
    assert "Du har 2 frågor kvar; Berit Ås och administratörerna har fått en lista" in saved
    told = dict(notices(app, clock))
    assert set(told) == {"berit", "maria"}
    assert told["berit"] == (
        "Anna Berg är frånvarande 23 nov–27 nov och har 2 frågor som väntar: "
        "F-2026-0001, F-2026-0002. Flytta alla med /flytta alla anna berit."
    )
    assert told["maria"].endswith("/flytta alla anna berit.")
    moved = say(app, "berit", "/flytta alla anna berit")
    assert moved == "2 frågor flyttade från Anna Berg till Berit Ås: F-2026-0001, F-2026-0002."
    berit = person_id(app, "berit")
    assert assignees(app) == {"F-2026-0001": berit, "F-2026-0002": berit}
    assert "F-2026-0001" in say(app, "berit", "/frågor")


def test_moving_all_is_refused_whole_and_changes_nothing(app: Bryggan, clock: Clock) -> None:
    say(app, "lisa", ASK)
    before = assignees(app)
    assert "Bara administratörer, Anna Berg själv" in say(app, "lisa", "/flytta alla anna berit")
    assert "Rut Nilsson kan inte ta emot F-2026-0001" in say(app, "maria", "/flytta alla anna rut")
    assert "Berit Ås har inga öppna frågor" in say(app, "maria", "/flytta alla berit anna")
    assert "Skriv /flytta alla <från-person> <till-person>" in say(app, "anna", "/flytta alla")
    many = "/flytta alla " + "anna " * 40
    assert "Skriv /flytta alla <från-person> <till-person>" in say(app, "anna", many)
    assert assignees(app) == before


def test_an_absence_still_ahead_tells_nobody_yet(app: Bryggan, clock: Clock) -> None:
    say(app, "lisa", ASK)
    notices(app, clock)
    saved = say(app, "anna", "/frånvaro 7/12 11/12")
    assert saved == "Frånvaro registrerad 7 dec 2026–11 dec 2026 (nr 1)."
    with app.database.session() as session:
        assert session.scalars(select(OutboxRow).where(OutboxRow.sent_at.is_(None))).all() == []


def test_a_substitute_changed_and_removed_by_an_admin(app: Bryggan) -> None:
    say(app, "anna", "/frånvaro 7/12 11/12")
    changed = say(app, "maria", "/frånvaro ändra 1 ersättare @maria")
    assert changed == (
        "Frånvaro nr 1 gäller nu 7 dec 2026–11 dec 2026. "
        "Maria Lund tar Anna Bergs nya frågor under tiden."
    )
    maria = person_id(app, "maria")
    assert absences(app)[0][3] == maria
    assert say(app, "anna", "/frånvaro ändra 1 ersättare ingen").endswith("11 dec 2026.")
    assert absences(app)[0][3] is None


def test_help_tells_how_to_list_change_cancel_and_move(app: Bryggan) -> None:
    shown = say(app, "anna", "/hjälp frånvaro")
    assert shown.startswith("/frånvaro [<från> <till> [ersättare @person] | ändra <nr> …")
    for part in ("mån–fre", "v. 51", "bekräfta", "/frånvaro ändra 3", "/frånvaro ta-bort 3"):
        assert part in shown
    assert "/flytta alla <från-person> <till-person>" in say(app, "anna", "/hjälp flytta")


def test_a_long_list_of_assigned_questions_is_cut_and_all_are_moved(
    app: Bryggan, clock: Clock
) -> None:
    for _ in range(17):
        say(app, "lisa", ASK)
    notices(app, clock)
    assert "Du har 17 frågor kvar" in say(app, "anna", "/frånvaro idag fredag")
    told = dict(notices(app, clock))
    assert "F-2026-0015 och 2 till. Flytta alla med /flytta alla anna berit." in told["berit"]
    assert say(app, "maria", "/flytta alla anna berit").startswith("17 frågor flyttade")
    assert set(assignees(app).values()) == {person_id(app, "berit")}


def test_a_substitute_going_away_is_told_and_so_is_the_one_she_covers(
    app: Bryggan, clock: Clock
) -> None:
    say(app, "anna", "/frånvaro 30/11 4/12 ersättare @maria")
    saved = say(app, "maria", "/frånvaro 1/12 2/12")
    assert saved == (
        "Frånvaro registrerad 1 dec 2026–2 dec 2026 (nr 2). Obs: du är ersättare för Anna Berg "
        "30 nov–4 dec. Medan båda är borta går frågorna för Vuxenpsykiatri Kristianstad till "
        "Berit Ås, för Vuxenpsykiatri Hässleholm till Sofia Holm."
    )
    assert notices(app, clock) == [
        (
            "anna",
            "Din ersättare Maria Lund är själv frånvarande 1 dec–2 dec. Medan båda är borta går "
            "frågorna för Vuxenpsykiatri Kristianstad till Berit Ås, för Vuxenpsykiatri "
            "Hässleholm till Sofia Holm. Byt ersättare med /frånvaro ändra 1 ersättare @namn.",
        )
    ]
    clock.advance(days=8)  # Tuesday 1 December: both away
    assert "Till Berit Ås" in say(app, "lisa", ASK)


def test_assigned_questions_go_to_the_backup_when_the_substitute_is_away_too(
    app: Bryggan, clock: Clock
) -> None:
    say(app, "lisa", ASK)
    say(app, "maria", "/frånvaro 23/11 24/11")
    notices(app, clock)
    saved = say(app, "anna", "/frånvaro idag fredag ersättare @maria")
    assert "Obs: Maria Lund är också frånvarande 23 nov–24 nov." in saved
    assert saved.endswith(
        "Du har 1 fråga kvar; Berit Ås och administratörerna har fått en lista och kan flytta dem."
    )
    told = dict(notices(app, clock))
    assert told["berit"].endswith("Flytta alla med /flytta alla anna berit.")
    assert told["maria"].endswith("Flytta alla med /flytta alla anna berit.")
