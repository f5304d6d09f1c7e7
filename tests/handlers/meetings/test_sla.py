"""Question reminders and escalation in working hours; deadline reminders."""

from __future__ import annotations

from datetime import datetime

from bot.wiring import Bryggan, build
from tests import support
from tests.handlers.meetings.pulse_support import Posts, at, say
from tests.support import Clock

ASK = "/fråga kategori:sgi Hur påverkas SGI vid deltid?"
REMIND = (
    "⏰ F-2026-0001 (SGI och övriga förmåner, Vuxenpsykiatri Kristianstad) väntar på att tas om "
    "hand; den ställdes {asked}. Ta den med /ta F-2026-0001 eller lämna över den med "
    "/flytta F-2026-0001 @person."
)
ESCALATE = (
    "⚠️ F-2026-0001 (SGI och övriga förmåner, Vuxenpsykiatri Kristianstad) har inte tagits inom "
    "12 arbetstimmar; den ställdes 27 nov 2026 14:00 och väntar hos Anna Berg. Ta den med "
    "/ta F-2026-0001 eller flytta den med /flytta F-2026-0001 @person."
)


def asked(app: Bryggan, clock: Clock, moment: datetime, text: str = ASK) -> Posts:
    clock.now = moment
    posts = Posts(app, clock)
    say(app, "lisa", text)
    posts.drain()
    posts.clear()
    return posts


def quiet(posts: Posts, *moments: datetime) -> bool:
    for moment in moments:
        posts.run(moment)
    return posts.messenger.notices == []


def test_reminder_then_escalation_in_working_hours_across_a_weekend(
    app: Bryggan, clock: Clock
) -> None:
    posts = asked(app, clock, at(2026, 11, 27, 14, 0))  # a Friday afternoon
    assert quiet(posts, at(2026, 11, 27, 17, 0), at(2026, 11, 28, 12), at(2026, 11, 30, 12, 59))
    posts.run(at(2026, 11, 30, 13, 0))  # 3 h on Friday + 5 h on Monday = 8 working hours
    assert posts.messenger.notices == [("anna", REMIND.format(asked="27 nov 2026 14:00"))]
    posts.clear()
    assert quiet(posts, at(2026, 11, 30, 16, 59))
    posts.run(at(2026, 11, 30, 17, 0))  # 4 more working hours: the backup and the admins
    assert sorted(posts.messenger.notices) == [("berit", ESCALATE), ("maria", ESCALATE)]
    posts.clear()
    assert quiet(posts, at(2026, 12, 1, 9, 0), at(2026, 12, 7, 9, 0))


def test_holidays_do_not_count(app: Bryggan, clock: Clock) -> None:
    posts = asked(app, clock, at(2026, 12, 23, 15, 0))
    assert quiet(posts, at(2026, 12, 24, 15), at(2026, 12, 25, 15), at(2026, 12, 28, 13, 59))
    posts.run(at(2026, 12, 28, 14, 0))  # 2 h on 23 December, 6 h on Monday 28th
    assert posts.messenger.notices == [("anna", REMIND.format(asked="23 dec 2026 15:00"))]


def test_a_claimed_question_is_neither_reminded_nor_escalated(app: Bryggan, clock: Clock) -> None:
    posts = asked(app, clock, at(2026, 11, 27, 14, 0))
    clock.now = at(2026, 11, 30, 9, 0)
    say(app, "anna", "/ta F-2026-0001")
    posts.drain()
    posts.clear()
    assert quiet(posts, at(2026, 11, 30, 13, 0), at(2026, 11, 30, 17, 0), at(2026, 12, 2, 9))


def test_an_unassigned_question_reminds_the_admins(app: Bryggan, clock: Clock) -> None:
    posts = asked(app, clock, at(2026, 11, 23, 9, 0), "/fråga enhet:lund kategori:sgi Fråga")
    posts.run(at(2026, 11, 23, 17, 0))
    assert posts.notices("maria") == [
        "⏰ F-2026-0001 (SGI och övriga förmåner, Vuxenpsykiatri Lund) har inte tagits av någon "
        "och har väntat sedan 23 nov 2026 09:00. Ta den med /ta F-2026-0001 eller flytta den med "
        "/flytta F-2026-0001 @person."
    ]


def test_the_sla_is_configured_per_unit(database_url: str, clock: Clock) -> None:
    config = support.test_config(
        database_url, "[sla]\nworking_hours = 8\nunits = { hassleholm = 2 }\n"
    )
    app = build(config, clock)
    try:
        posts = asked(app, clock, at(2026, 11, 23, 9, 0), "/fråga enhet:hassleholm kategori:sgi X")
        posts.run(at(2026, 11, 23, 10, 59))
        assert posts.messenger.notices == []
        posts.run(at(2026, 11, 23, 11, 0))
        assert [key for key, _ in posts.messenger.notices] == ["anna"]
        assert "väntar på att tas om hand" in posts.messenger.notices[0][1]
    finally:
        app.database.engine.dispose()


def test_an_approaching_deadline_reminds_the_assignee(app: Bryggan, clock: Clock) -> None:
    posts = asked(app, clock, at(2026, 11, 23, 9, 0), ASK.replace("sgi", "sgi frist:3/12"))
    say(app, "anna", "/ta F-2026-0001")
    posts.drain()
    posts.clear()
    assert quiet(posts, at(2026, 12, 2, 8, 59))
    posts.run(at(2026, 12, 2, 9, 0))  # the working day before the deadline
    assert posts.messenger.notices == [
        (
            "anna",
            "⏰ F-2026-0001 (SGI och övriga förmåner, Vuxenpsykiatri Kristianstad) har frist "
            "3 dec 2026 och är inte besvarad än. Svara med /svara F-2026-0001 <text>.",
        )
    ]


def test_an_answered_question_needs_no_deadline_reminder(app: Bryggan, clock: Clock) -> None:
    posts = asked(app, clock, at(2026, 11, 23, 9, 0), ASK.replace("sgi", "sgi frist:3/12"))
    say(app, "anna", "/svara F-2026-0001 Ingen påverkan.")
    posts.drain()
    posts.clear()
    assert quiet(posts, at(2026, 12, 2, 9, 0), at(2026, 12, 3, 9, 0))


def test_a_deadline_reminder_already_past_when_asked_is_not_sent(
    app: Bryggan, clock: Clock
) -> None:
    posts = asked(app, clock, at(2026, 12, 2, 11, 0), ASK.replace("sgi", "sgi frist:3/12"))
    say(app, "anna", "/ta F-2026-0001")
    posts.drain()
    posts.clear()
    assert quiet(posts, at(2026, 12, 2, 11, 1), at(2026, 12, 2, 12, 0))
