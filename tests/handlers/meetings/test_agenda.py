"""The agenda (flagged questions, points, overdue questions), notes, and their privacy."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.kernel.commands import Ask, Extension, Typed
from handlers.kernel.context import Context, UserError
from storage.models import PulseAgendaItemRow, PulseNoteRow, QuestionRow
from tests.handlers.meetings.pulse_support import SERIES, Posts, at, say
from tests.support import Clock

OLD = "/fråga kategori:sgi Hur påverkas SGI vid deltid?"
FLAGGED = "/fråga kategori:sgi puls:ja Hur planerar vi återgång i arbete?"
OTHER = (
    "/fråga enhet:hassleholm kategori:prognos riktning:vård-fk Prognos vid långvarig depression?"
)
AGENDA = """📋 Dagordning för pulsmöte 1 torsdag 26 november 2026 kl 13:00 (Vuxenpsykiatri \
Kristianstad och Vuxenpsykiatri Hässleholm)
Länk: https://meet.example/p
Frågor till mötet:
• F-2026-0002 · SGI och övriga förmåner · Vuxenpsykiatri Kristianstad · ny
• F-2026-0003 · Medicinsk prognos · Vuxenpsykiatri Hässleholm · tagen
Punkter:
• Genomgång av utfärdade läkarutlåtanden (Lisa Ek)
• Rutin för samtycke (Karl Strand)
Obesvarade frågor över tidsgränsen:
• F-2026-0001 · SGI och övriga förmåner · Vuxenpsykiatri Kristianstad · ny · väntat 9 arbetstimmar
Glöm inte att skicka listan över utfärdade läkarutlåtanden före mötet."""


def rows(app: Bryggan, table: type[PulseAgendaItemRow] | type[PulseNoteRow]) -> int:
    with app.database.session() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_the_agenda_gathers_flagged_questions_points_and_overdue_ones(
    app: Bryggan, clock: Clock
) -> None:
    posts = Posts(app, clock)
    say(app, "lisa", OLD)
    say(app, "maria", SERIES)
    flagged = say(app, "lisa", FLAGGED)
    assert flagged.endswith(" Den tas upp på pulsmöte 1 torsdag 26 november 2026 kl 13:00.")
    say(app, "olle", OTHER)
    say(app, "anna", "/ta F-2026-0003")
    assert say(app, "anna", "/puls punkt F-2026-0003") == (
        "F-2026-0003 är med på dagordningen till pulsmöte 1 torsdag 26 november 2026 kl 13:00."
    )
    assert "står redan på dagordningen" in say(app, "anna", "/puls punkt F-2026-0003")
    assert say(app, "lisa", "/puls punkt Genomgång av utfärdade läkarutlåtanden") == (
        "Punkten är med på dagordningen till pulsmöte 1 torsdag 26 november 2026 kl 13:00."
    )
    say(app, "karl", "/puls punkt Rutin för samtycke", channel="kristianstad")
    posts.run(at(2026, 11, 24, 8, 59))
    assert not [p for p in posts.channel("kristianstad") if p.startswith("📋")]
    posts.run(at(2026, 11, 24, 9, 0))
    assert [p for p in posts.channel("kristianstad") if p.startswith("📋")] == [AGENDA]
    assert [p for p in posts.channel("hassleholm") if p.startswith("📋")] == [AGENDA]
    assert "Hur planerar vi" not in AGENDA  # questions by reference, never their text
    posts.clear()
    posts.run(at(2026, 11, 24, 9, 1))
    assert posts.messenger.messages == []


def test_a_point_after_the_agenda_went_out_waits_for_the_next_meeting(
    app: Bryggan, clock: Clock
) -> None:
    posts = Posts(app, clock)
    say(app, "maria", SERIES)
    say(app, "lisa", "/puls punkt Första punkten")
    posts.run(at(2026, 11, 24, 9, 0))
    assert "• Första punkten (Lisa Ek)" in posts.channel("kristianstad")[-1]
    assert say(app, "lisa", "/puls punkt Andra punkten").endswith(
        "torsdag 10 december 2026 kl 13:00."
    )
    preview = say(app, "lisa", "/puls dagordning")
    assert preview.startswith(
        "Till dagordningen för pulsmöte 1 torsdag 10 december 2026 kl 13:00 hittills:\nPunkter:\n"
        "• Andra punkten (Lisa Ek)"
    )
    assert "Första punkten" not in preview


def test_an_empty_agenda_says_how_to_add_points(app: Bryggan, clock: Clock) -> None:
    posts = Posts(app, clock)
    say(app, "maria", SERIES)
    posts.run(at(2026, 11, 24, 9, 0))
    assert posts.channel("kristianstad")[-1].endswith(
        "Inga anmälda punkter ännu. Lägg till med /puls punkt <text>.\n"
        "Glöm inte att skicka listan över utfärdade läkarutlåtanden före mötet."
    )


def test_only_members_add_points(app: Bryggan) -> None:
    say(app, "maria", SERIES)
    assert "Det finns inget pulsmöte för dig ännu." in say(app, "karl", "/puls punkt Hej")
    refused = say(app, "karl", "/puls punkt serie:1 Hej")
    assert refused.startswith("Det kan bara kontaktpersoner och medarbetare på Vuxenpsykiatri")
    assert "Punkten är med" in say(app, "karl", "/puls punkt Hej", channel="hassleholm")
    say(app, "karl", "/fråga enhet:lund kategori:sgi riktning:fk-vård Fråga från FK")
    assert "hör till Vuxenpsykiatri Lund, som inte är med på pulsmöte 1" in say(
        app, "maria", "/puls punkt F-2026-0001"
    )
    assert "Jag hittar ingen fråga med referensen F-2026-0001" in say(
        app, "lisa", "/puls punkt F-2026-0001"
    )
    assert rows(app, PulseAgendaItemRow) == 1


def test_puls_field_on_a_question(app: Bryggan) -> None:
    before = say(app, "lisa", FLAGGED)
    assert before.endswith(
        " Vuxenpsykiatri Kristianstad har inget pulsmöte ännu, så frågan kommer inte på någon "
        "dagordning."
    )
    assert "Ange puls:ja" in say(app, "lisa", "/fråga kategori:sgi puls:kanske Text")
    form = app.core.execute(
        Request("console", "lisa"), Ask("Text", category="sgi", pulse=Typed("kanske"))
    )
    assert form is not None and form.field == "puls"
    with app.database.session() as session:
        assert session.scalar(select(func.count()).select_from(QuestionRow)) == 1
    say(app, "maria", SERIES)
    form = app.core.execute(Request("console", "lisa"), Ask("Text", category="sgi", pulse=True))
    assert form is not None and form.accepted and "Den tas upp på pulsmöte 1" in form.text
    assert "Den tas upp" not in say(app, "lisa", "/fråga kategori:sgi puls:nej Text")
    assert rows(app, PulseAgendaItemRow) == 1


IDENTITY = "innehåller ett personnummer eller samordningsnummer, så inget är sparat."


def test_points_and_notes_with_an_identity_number_are_refused_and_not_stored(
    app: Bryggan, clock: Clock
) -> None:
    say(app, "maria", SERIES)
    assert say(app, "lisa", "/puls punkt Patient 19121212-1212 ska tas upp") == (
        f"Punkten {IDENTITY} Skriv avidentifierat, t.ex. ”kvinna, 45 år”."
    )
    clock.now = at(2026, 11, 26, 14, 0)
    assert say(app, "lisa", "/puls anteckning Gällde 121212-1212, klart").startswith(
        f"Anteckningen {IDENTITY}"
    )
    assert rows(app, PulseAgendaItemRow) == rows(app, PulseNoteRow) == 0


def test_the_extension_guards_privacy_on_its_own_too(app: Bryggan) -> None:
    say(app, "maria", SERIES)
    with app.core.stores() as store:
        lisa = store.person_by_key(key="lisa")
        assert lisa is not None
        ctx = Context(store, lisa, app.core.clock(), "console")
        pulse = app.core.registry.find("puls")
        assert pulse is not None
        with pytest.raises(UserError) as refusal:
            pulse.run(ctx, Extension("puls", "punkt Patient 19121212-1212"))
    assert refusal.value.text.startswith(f"Punkten {IDENTITY}") and refusal.value.field == "text"


def test_notes_belong_to_the_latest_meeting(app: Bryggan, clock: Clock) -> None:
    say(app, "maria", SERIES)
    assert "har inte haft något möte ännu" in say(app, "lisa", "/puls anteckning Tidigt")
    clock.now = at(2026, 11, 26, 13, 40)
    assert say(app, "lisa", "/puls anteckning Vi tar SA-ärendena nästa gång.") == (
        "Anteckningen är sparad för pulsmöte 1 torsdag 26 november 2026 kl 13:00."
    )
    assert say(app, "anna", "/puls anteckningar") == (
        "Anteckningar från Pulsmöte 1 torsdag 26 november 2026 kl 13:00:\n"
        "• Vi tar SA-ärendena nästa gång. (Lisa Ek)"
    )
    assert "Det finns inget pulsmöte för dig" in say(app, "karl", "/puls anteckningar")
    clock.now = at(2026, 12, 10, 14, 0)
    assert "Inga anteckningar från pulsmöte 1 torsdag 10 december 2026" in say(
        app, "anna", "/puls anteckningar"
    )


def test_note_and_point_text_is_purged_after_the_retention_period(
    app: Bryggan, clock: Clock
) -> None:
    posts = Posts(app, clock)
    say(app, "maria", SERIES)
    say(app, "lisa", "/puls punkt Punkt som ska gallras")
    posts.run(at(2026, 11, 24, 9, 0))
    clock.now = at(2026, 11, 26, 14, 0)
    say(app, "lisa", "/puls anteckning Anteckning som ska gallras")
    posts.run(at(2027, 3, 1, 9, 0))
    with app.database.session() as session:
        assert session.scalars(select(PulseNoteRow.text)).all() == [None]
        assert session.scalars(select(PulseAgendaItemRow.text)).all() == [None]
