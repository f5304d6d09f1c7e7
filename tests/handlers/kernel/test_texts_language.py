"""Texts a Swedish doctor and an FK investigator read without stumbling: counts agree with
their nouns, a contact is not told her own name, and the other fixes of #12."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.kernel import texts
from tests.handlers.meetings.pulse_support import Posts
from tests.support import Clock

_COUNTED_PLURAL = re.compile(
    r"\{\w+\} (frågor|timmar|arbetstimmar|minuter|veckor|dagar|arbetsdagar|poster)\b"
)
_ALLOWED = {"PULSE_AGENDA_WHEN", "PULSE_REMINDER_DAYS", "PULSE_MOVE_TOO_FAR", "ABSENCE_LONG"}
"""Counts that are never 1 where they are used (1 has its own text, a fixed 60, over 60)."""


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(sorted(texts.NOUNS)))
def test_a_count_takes_the_singular_only_for_one(count: int, noun: str) -> None:
    one, many = texts.NOUNS[noun]
    text = texts.plural(count, one, many)
    assert text == f"{count} {one if count == 1 else many}"
    assert text.split(" ", 1)[0] == str(count)


def test_plural_of_hours_and_questions() -> None:
    assert texts.questions(1) == "1 fråga"
    assert texts.questions(0) == "0 frågor"
    assert texts.plural(1.0, *texts.NOUNS["working_hour"]) == "1 arbetstimme"
    assert texts.plural(1.5, *texts.NOUNS["hour"]) == "1,5 timmar"


def test_no_text_puts_a_plural_noun_after_a_bare_count() -> None:
    offenders = [
        name
        for name, value in vars(texts).items()
        if isinstance(value, str) and name not in _ALLOWED and _COUNTED_PLURAL.search(value)
    ]
    assert offenders == []


def test_the_contact_is_told_where_the_question_comes_from_not_her_own_name(
    app: Bryggan, clock: Clock
) -> None:
    reply = app.core.handle(Request("console", "lisa", "/fråga kategori:sgi Hur påverkas SGI?"))
    assert reply is not None and "Till Anna Berg, kontaktperson för" in reply.text
    posts = Posts(app, clock)
    posts.drain()
    assert posts.notices("anna") == [
        "Ny fråga till dig: F-2026-0001 (SGI och övriga förmåner, vård → FK, Vuxenpsykiatri "
        "Kristianstad). Du är kontaktperson för Vuxenpsykiatri Kristianstad."
    ]


def test_the_refusal_names_no_one_as_the_one_who_has_the_question() -> None:
    assert "den som har frågan" not in texts.NOT_ALLOWED_WHO["handle"]
    assert "ligger hos" not in texts.SLA_ESCALATE
    assert "är nu" not in texts.CONSOLE_CARD_UPDATE
