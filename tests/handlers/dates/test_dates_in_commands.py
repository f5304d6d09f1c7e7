"""The date layer where people meet it (#13): deadlines in /fråga and times in /puls, through
the core on a real database. Past phrases are refused with a reply that names the day and
change nothing; a phrase with two readings is a question; a range never falls back to 09:00."""

from __future__ import annotations

from bot.wiring import Bryggan
from tests.handlers.meetings.pulse_support import SERIES, at, say
from tests.support import Clock

ASK = "/fråga kategori:sgi frist:{deadline} Hur påverkas SGI vid deltid?"
# The test clock starts on Monday 23 November 2026 at 09:00 in Stockholm.


def test_a_deadline_in_the_past_is_refused_and_no_question_is_saved(app: Bryggan) -> None:
    for typed, day in [
        ('"förra måndagen"', "16 nov 2026"),
        ('"i fredags"', "20 nov 2026"),
        ('"i förrgår"', "21 nov 2026"),
        ("igår", "22 nov 2026"),
    ]:
        reply = say(app, "lisa", ASK.format(deadline=typed))
        assert reply == f"Fristen {day} har redan passerat. Ange ett datum från och med i dag."
    assert say(app, "lisa", "/frågor") == "Du har inga öppna frågor just nu."
    accepted = say(app, "lisa", ASK.format(deadline="julafton"))
    assert accepted.startswith("Tack! Din fråga F-2026-0001 är registrerad.")
    assert "Frist: 24 dec 2026" in say(app, "lisa", "/visa F-2026-0001")


def test_deadlines_typed_as_named_days_and_ordinals(app: Bryggan) -> None:
    for number, (typed, shown) in enumerate(
        [
            ('"dagen före julafton"', "23 dec 2026"),
            ('"sista december"', "31 dec 2026"),
            ('"onsdag nästa vecka"', "2 dec 2026"),
            ('"första mars"', "1 mars 2027"),
            ("skärtorsdagen", "25 mars 2027"),
        ],
        start=1,
    ):
        reply = say(app, "lisa", ASK.format(deadline=typed))
        assert reply.startswith(f"Tack! Din fråga F-2026-000{number} är registrerad."), reply
        assert f"Frist: {shown}" in say(app, "lisa", f"/visa F-2026-000{number}")
    echoed = say(app, "lisa", ASK.format(deadline='"dagen före julafton"'))
    assert echoed.endswith(" Frist: onsdag 23 december 2026 (”dagen före julafton”).")


def test_a_meeting_is_not_moved_into_the_past(app: Bryggan, clock: Clock) -> None:
    say(app, "maria", SERIES)
    for typed, when in [
        ("igår kl 10", "söndag 22 november 2026 kl 10:00"),
        ("i fredags kl 13", "fredag 20 november 2026 kl 13:00"),
        ("förra måndagen kl 13", "måndag 16 november 2026 kl 13:00"),
        ("idag kl 8", "måndag 23 november 2026 kl 08:00"),
    ]:
        reply = say(app, "maria", f"/puls flytta 10/12 till {typed}")
        assert reply == f"Den nya tiden, {when}, har redan passerat."
    assert "• torsdag 10 december 2026 kl 13:00" in say(app, "maria", "/puls nästa")


def test_a_time_range_moves_a_meeting_to_its_start_never_to_nine(app: Bryggan) -> None:
    say(app, "maria", SERIES)
    reply = say(app, "maria", "/puls flytta 10/12 till i morgon 13.00-14.00")
    assert reply.startswith("Tolkat som tisdag 24 november 2026 kl 13:00.\n")
    assert "är flyttat till tisdag 24 november 2026 kl 13:00" in reply


def test_a_meeting_moved_to_a_named_day_and_time(app: Bryggan) -> None:
    say(app, "maria", SERIES)
    reply = say(app, "maria", "/puls flytta 10/12 till dagen efter nyårsdagen kl 10")
    assert "är flyttat till lördag 2 januari 2027 kl 10:00" in reply


def test_a_week_phrase_with_two_readings_is_answered_with_a_question(app: Bryggan) -> None:
    say(app, "maria", SERIES)
    reply = say(app, "maria", "/puls flytta 10/12 till onsdag veckan efter kl 13")
    assert reply.startswith(
        "Menar du onsdag 2 december kl 13:00 eller onsdag 9 december kl 13:00? Skriv datum och tid"
    )
    assert "• torsdag 10 december 2026 kl 13:00" in say(app, "maria", "/puls nästa")


def test_a_series_starting_in_the_past_is_refused_and_none_is_created(app: Bryggan) -> None:
    reply = say(app, "maria", "/puls ny varje torsdag kl 13 från förra måndagen enheter:lund")
    assert reply == (
        "Starten 16 nov 2026 har redan passerat. Skriv en start från och med i dag, till "
        "exempel varannan torsdag kl 13 från 14 januari."
    )
    created = say(app, "maria", "/puls ny jämna veckor onsdag kl 10 enheter:lund")
    assert created.startswith("Pulsmöte 1 är skapat för Vuxenpsykiatri Lund.")
    assert (
        "Tolkat som varje onsdag i jämna veckor kl 10:00, första gången onsdag 25 november 2026."
        in created
    )
    assert "• onsdag 23 december 2026 kl 10:00\n• onsdag 13 januari 2027 kl 10:00" in created


def test_several_weekdays_every_other_week_through_the_core(app: Bryggan, clock: Clock) -> None:
    clock.now = at(2026, 11, 30, 10)
    created = say(app, "maria", "/puls ny varannan vecka måndag och torsdag kl 9 enheter:lund")
    assert "Tolkat som varannan vecka måndag och torsdag kl 09:00" in created
    assert "• torsdag 3 december 2026 kl 09:00\n• måndag 14 december 2026 kl 09:00" in created
