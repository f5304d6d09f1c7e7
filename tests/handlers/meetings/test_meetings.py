"""/puls through the core: create, list, next dates, move, call off, end; who may do what."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.wiring import Bryggan, build
from storage.models import PulseOverrideRow, PulseSeriesRow
from tests import support
from tests.handlers.meetings.pulse_support import SERIES, Posts, at, say
from tests.support import Clock

ARLOV = """
[[units]]
slug = "arlov"
name = "Vuxenpsykiatri Arlöv"
"""


def count(app: Bryggan, table: type[PulseSeriesRow] | type[PulseOverrideRow]) -> int:
    with app.database.session() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_admin_creates_a_series_and_the_units_hear_of_it(app: Bryggan, clock: Clock) -> None:
    posts = Posts(app, clock)
    reply = say(app, "maria", SERIES)
    assert reply.startswith(
        "Pulsmöte 1 är skapat för Vuxenpsykiatri Kristianstad och Vuxenpsykiatri Hässleholm."
    )
    assert "Tolkat som varannan torsdag kl 13:00, första gången torsdag 26 november 2026." in reply
    assert "Påminnelser: dagen före kl 15:00 och 15 min före" in reply
    assert "dagordningen 2 arbetsdagar före kl 09:00" in reply
    assert "• torsdag 10 december 2026 kl 13:00" in reply
    assert "• torsdag 24 december 2026: blir inte av (julafton)" in reply
    posts.drain()
    for channel in ("kristianstad", "hassleholm"):
        (post,) = posts.channel(channel)
        assert post.startswith("📅 Nytt pulsmöte för Vuxenpsykiatri Kristianstad")
        assert "Länk: https://meet.example/p" in post
    assert posts.channel("lund") == []


def test_the_issue_example_with_lund_and_arlov(database_url: str, clock: Clock) -> None:
    app = build(support.test_config(database_url, ARLOV), clock)
    try:
        posts = Posts(app, clock)
        reply = say(
            app, "maria", "/puls ny varannan torsdag kl 13 enheter:lund,arlöv länk:https://m.se/x"
        )
        assert "skapat för Vuxenpsykiatri Lund och Vuxenpsykiatri Arlöv" in reply
        posts.drain()
        assert len(posts.channel("lund")) == len(posts.channel("arlov")) == 1
    finally:
        app.database.engine.dispose()


@pytest.mark.parametrize(
    "command",
    [SERIES, "/puls flytta 10/12 till 11/12 kl 10", "/puls ställ in 10/12", "/puls avsluta 1"],
)
def test_only_admins_change_meetings(app: Bryggan, command: str) -> None:
    say(app, "maria", SERIES)
    for person in ("lisa", "anna", "karl"):
        assert say(app, person, command) == "Det kan bara en administratör göra."
    assert count(app, PulseSeriesRow) == 1
    assert count(app, PulseOverrideRow) == 0
    assert "nästa torsdag 26 november 2026 kl 13:00" in say(app, "lisa", "/puls lista")


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/puls ny när det passar enheter:lund", "Jag förstår inte ”när det passar” som ett"),
        ("/puls ny varje torsdag kl 13 enheter:umeå", "”umeå” är ingen enhet jag känner till"),
        ("/puls ny varje torsdag kl 13", "Ange enheterna med enheter:<enhet>,<enhet>."),
        ("/puls ny varje torsdag kl 13 enheter:lund länk:meet", "Länken ska vara en webbadress"),
        ("/puls ny varje torsdag kl 13 enheter:lund helgdag:kanske", "Ange helgdag:hoppa"),
        ("/puls ny varje torsdag kl 13 enheter:lund plats:rum3", "Fältet ”plats” känner jag"),
        ("/puls ny varje torsdag kl 13 enheter:vux", "”vux” kan vara flera enheter"),
        ("/puls gör något", "”gör” känner jag inte till för pulsmöten."),
    ],
)
def test_bad_input_is_explained_and_nothing_stored(
    app: Bryggan, command: str, expected: str
) -> None:
    assert expected in say(app, "maria", command)
    assert count(app, PulseSeriesRow) == 0


def test_a_series_made_in_a_unit_channel_defaults_to_that_unit(app: Bryggan) -> None:
    reply = say(app, "maria", "/puls ny första tisdagen i månaden kl 10", channel="lund")
    assert "skapat för Vuxenpsykiatri Lund." in reply
    assert "första gången tisdag 1 december 2026" in reply


def test_list_and_next_dates(app: Bryggan) -> None:
    assert "Det finns inga pulsmöten ännu." in say(app, "lisa", "/puls lista")
    say(app, "maria", SERIES)
    say(app, "maria", '/puls ny var tredje månad kl 10 enheter:lund namn:"Utbildning"')
    listing = say(app, "lisa", "/puls lista")
    assert "• pulsmöte 1: varannan torsdag kl 13:00 · Vuxenpsykiatri Kristianstad" in listing
    assert "https://meet.example/p" in listing
    assert "• pulsmöte 2 (Utbildning): den 23:e var tredje månad kl 10:00" in listing
    only = say(app, "lisa", "/puls nästa 2")
    assert only.startswith("Pulsmöte 2 (Utbildning)")
    assert "• måndag 23 november 2026 kl 10:00\n• tisdag 23 februari 2027 kl 10:00" in only
    both = say(app, "karl", "/puls nästa")
    assert "Pulsmöte 1:" in both and "Pulsmöte 2 (Utbildning):" in both


def test_move_and_call_off_one_date(app: Bryggan, clock: Clock) -> None:
    posts = Posts(app, clock)
    say(app, "maria", SERIES)
    posts.drain()
    posts.clear()
    moved = say(app, "maria", "/puls flytta 10/12 till 11/12 kl 10")
    assert moved.startswith("Tolkat som fredag 11 december 2026 kl 10:00.\n")
    assert "torsdag 10 december 2026 kl 13:00 är flyttat till fredag 11 december 2026" in moved
    off = say(app, "maria", "/puls ställ in 7/1")
    assert off == "Pulsmöte 1 torsdag 7 januari 2027 kl 13:00 är inställt. Enheterna får besked."
    dates = say(app, "lisa", "/puls nästa")
    assert "• fredag 11 december 2026 kl 10:00 (flyttat från torsdag 10 december 2026)" in dates
    assert "• torsdag 7 januari 2027: inställt" in dates
    posts.drain()
    announced = posts.channel("kristianstad")
    assert announced[0].startswith("📅 Pulsmöte 1 torsdag 10 december 2026 kl 13:00 är flyttat")
    assert announced[1] == (
        "📅 Pulsmöte 1 torsdag 7 januari 2027 kl 13:00 är inställt. "
        "Nästa möte: torsdag 21 januari 2027 kl 13:00."
    )
    assert len(posts.channel("hassleholm")) == 2


def test_a_time_alone_keeps_the_day_and_a_day_alone_keeps_the_time(app: Bryggan) -> None:
    say(app, "maria", SERIES)
    assert "är flyttat till torsdag 10 december 2026 kl 09:30" in say(
        app, "maria", "/puls flytta 10/12 till halv tio"
    )
    assert "är flyttat till onsdag 20 januari 2027 kl 13:00" in say(
        app, "maria", "/puls flytta 21/1 till 20/1"
    )


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/puls flytta 10/12 till 15.12", "Menar du tisdag 15 december eller"),
        ("/puls flytta 10/12 till 2026-11-20 kl 10", "har redan passerat"),
        ("/puls flytta 10/12 till 20/11 kl 10", "Ett möte kan flyttas högst 60 dagar"),
        ("/puls flytta 11/12 till 12/12", "Pulsmöte 1 har inget möte 11 dec 2026. Kommande datum:"),
        ("/puls flytta 10/12", "Skriv /puls flytta <datum> till <ny tid>"),
        ("/puls ställ in 24/12", "Pulsmöte 1 torsdag 24 december 2026 är redan inställt."),
        ("/puls ställ in", "Ange vilket datum du menar, till exempel /puls ställ in 24/12."),
        ("/puls ställ in 9/12", "Pulsmöte 1 har inget möte 9 dec 2026."),
        ("/puls ställ in 9", "Jag förstår inte datumet ”9”."),
        ("/puls avsluta 7", "Jag hittar inget pulsmöte 7."),
    ],
)
def test_date_changes_that_cannot_be_done(app: Bryggan, command: str, expected: str) -> None:
    say(app, "maria", SERIES)
    assert expected in say(app, "maria", command)
    assert count(app, PulseOverrideRow) == 0


def test_a_meeting_under_way_cannot_be_moved(app: Bryggan, clock: Clock) -> None:
    say(app, "maria", SERIES)
    clock.now = at(2026, 11, 26, 13, 10)
    assert "har redan börjat eller varit" in say(app, "maria", "/puls ställ in 26/11")


def test_with_several_series_the_number_is_asked_for(app: Bryggan) -> None:
    say(app, "maria", SERIES)
    say(app, "maria", "/puls ny varannan torsdag kl 10 enheter:lund")
    which = say(app, "maria", "/puls ställ in 10/12")
    assert which.startswith("Vilket pulsmöte menar du?")
    assert which == (
        "Vilket pulsmöte menar du? Skriv till exempel /puls ställ in pulsmöte 1 24/12. Finns: "
        "pulsmöte 1 (Vuxenpsykiatri Kristianstad och Vuxenpsykiatri Hässleholm), "
        "pulsmöte 2 (Vuxenpsykiatri Lund)."
    )
    assert "Pulsmöte 2 torsdag 10 december 2026 kl 10:00 är inställt." in say(
        app, "maria", "/puls ställ in 2 10/12"
    )
    assert "Pulsmöte 1 torsdag 10 december 2026 kl 13:00 är inställt." in say(
        app, "maria", "/puls ställ in serie:1 10/12"
    )


def test_end_a_series(app: Bryggan, clock: Clock) -> None:
    posts = Posts(app, clock)
    say(app, "maria", SERIES)
    assert say(app, "maria", "/puls avsluta 1") == (
        "Pulsmöte 1 är avslutat. Inga fler påminnelser skickas."
    )
    assert "Det finns inga pulsmöten ännu." in say(app, "lisa", "/puls lista")
    assert "Pulsmöte 1 är redan avslutat." in say(app, "maria", "/puls avsluta 1")
    posts.drain()
    assert posts.channel("kristianstad")[-1].startswith("📅 Pulsmöte 1 (varannan torsdag kl 13:00)")


def test_holiday_rule_move_puts_julafton_on_the_next_working_day(app: Bryggan) -> None:
    reply = say(app, "maria", SERIES + " helgdag:flytta")
    assert "flyttas till nästa vardag" in reply
    assert (
        "• måndag 28 december 2026 kl 13:00 (flyttat från torsdag 24 december 2026, julafton)"
        in (reply)
    )


@pytest.fixture
def spring(clock: Clock) -> Iterator[Clock]:
    clock.now = at(2027, 4, 26, 9, 0)
    yield clock


def test_kristi_himmelsfardsdag_skipped_or_moved(app: Bryggan, spring: Clock) -> None:
    skipped = say(app, "maria", "/puls ny varje torsdag kl 13 enheter:lund")
    assert "• torsdag 6 maj 2027: blir inte av (Kristi himmelsfärdsdag)" in skipped
    moved = say(app, "maria", "/puls ny varje torsdag kl 13 enheter:lund helgdag:flytta")
    assert (
        "• fredag 7 maj 2027 kl 13:00 (flyttat från torsdag 6 maj 2027, Kristi himmelsfärdsdag)"
        in moved
    )


def test_help(app: Bryggan) -> None:
    assert say(app, "lisa", "/puls").startswith("Pulsmöten:\n/puls ny <när>")
    assert "/puls anteckning [pulsmöte 2] <text>" in say(app, "lisa", "!puls hjälp")


@pytest.mark.parametrize(
    ("phrase", "echo"),
    [
        ("varannan torsdag kl 13", "varannan torsdag kl 13:00, första gången torsdag 26 november"),
        ("varannan måndag kl 10", "varannan måndag kl 10:00, första gången måndag 23 november"),
        ("första tisdagen i månaden kl 10", "första tisdagen i månaden kl 10:00, första gången"),
        ("var tredje månad", "den 24:e var tredje månad kl 09:00, första gången tisdag 24"),
        ("varje torsdag kl 14.30", "varje torsdag kl 14:30, första gången torsdag 26 november"),
        ("sista fredagen i månaden kl 9", "sista fredagen i månaden kl 09:00, första gången"),
        ("var tredje vecka på måndag kl 9", "var tredje måndag kl 09:00, första gången"),
        ("varannan torsdag kl 13 från 10/12", "första gången torsdag 10 december 2026"),
        ("var tredje månad från 15 januari kl 10", "den 15:e var tredje månad kl 10:00"),
    ],
)
def test_recurring_phrases_are_echoed(app: Bryggan, phrase: str, echo: str) -> None:
    reply = say(app, "maria", f"/puls ny {phrase} enheter:lund")
    assert echo in reply.split("\n")[1], reply


@pytest.mark.parametrize(
    ("typed", "moved_to"),
    [
        ("i övermorgon kl 10", "onsdag 25 november 2026 kl 10:00"),
        ("fredag", "fredag 27 november 2026 kl 13:00"),
        ("halv tio", "torsdag 26 november 2026 kl 09:30"),
        ("27/11 kl 14.30", "fredag 27 november 2026 kl 14:30"),
        ("kvart över två", "torsdag 26 november 2026 kl 14:15"),
    ],
)
def test_moves_read_swedish_times(app: Bryggan, typed: str, moved_to: str) -> None:
    say(app, "maria", SERIES)
    reply = say(app, "maria", f"/puls flytta 26/11 till {typed}")
    assert reply.startswith(f"Tolkat som {moved_to}.\n"), reply


def test_an_ambiguous_new_time_is_asked_about(app: Bryggan) -> None:
    say(app, "maria", SERIES)
    reply = say(app, "maria", "/puls flytta 26/11 till nästa fredag")
    assert reply == (
        "Menar du fredag 4 december eller fredag 27 november? Skriv datum och tid, till exempel "
        "/puls flytta 24/12 till 23/12 kl 13."
    )
    assert count(app, PulseOverrideRow) == 0
