"""A series number is written as the lists write it ("pulsmöte 2") and every /puls command
takes it that way (and in the short forms); FK case officers see the agendas and notes of the
meetings they take part in."""

from __future__ import annotations

import pytest

from bot.wiring import Bryggan
from tests.handlers.meetings.pulse_support import SERIES, at, say
from tests.support import Clock

TRAINING = '/puls ny var tredje månad kl 10 enheter:lund namn:"Utbildning"'
LUND = "/puls ny varannan torsdag kl 10 enheter:lund"


@pytest.fixture
def two(app: Bryggan) -> Bryggan:
    say(app, "maria", SERIES)
    say(app, "maria", LUND)
    return app


@pytest.mark.parametrize("written", ["pulsmöte 2", "Pulsmöte 2", "2", "nr 2", "#2", "serie:2"])
def test_every_form_of_the_number_picks_the_series(two: Bryggan, written: str) -> None:
    listing = say(two, "maria", "/puls lista")
    assert "• pulsmöte 2: varannan torsdag kl 10:00 · Vuxenpsykiatri Lund" in listing
    assert say(two, "maria", f"/puls nästa {written}").startswith("Pulsmöte 2: varannan")
    assert say(two, "maria", f"/puls dagordning {written}").startswith(
        "Till dagordningen för pulsmöte 2 "
    )
    assert say(two, "maria", f"/puls ställ in {written} 10/12") == (
        "Pulsmöte 2 torsdag 10 december 2026 kl 10:00 är inställt. Enheterna får besked."
    )


@pytest.mark.parametrize("written", ["pulsmöte 2", "nr 2", "#2", "serie:2"])
def test_text_commands_take_the_number_and_keep_the_text(two: Bryggan, written: str) -> None:
    reply = say(two, "maria", f"/puls punkt {written} 3 intyg att gå igenom")
    assert reply.startswith("Punkten är med på dagordningen till pulsmöte 2 ")
    preview = say(two, "maria", "/puls dagordning pulsmöte 2")
    assert "• 3 intyg att gå igenom (Maria Lund)" in preview


def test_a_number_copied_from_the_list_with_its_name_works(app: Bryggan) -> None:
    say(app, "maria", SERIES)
    say(app, "maria", TRAINING)
    reply = say(app, "maria", "/puls punkt pulsmöte 2 (Utbildning) Genomgång av SA")
    assert reply.startswith("Punkten är med på dagordningen till pulsmöte 2 (Utbildning) ")


def test_every_refusal_writes_the_number_as_the_list_does(two: Bryggan) -> None:
    assert say(two, "maria", "/puls avsluta pulsmöte 7") == (
        "Jag hittar inget pulsmöte 7. Skriv /puls lista."
    )
    which = say(two, "maria", "/puls punkt Genomgång")
    assert which == (
        "Vilket pulsmöte menar du? Skriv till exempel /puls punkt pulsmöte 1 <text>. Finns: "
        "pulsmöte 1 (Vuxenpsykiatri Kristianstad och Vuxenpsykiatri Hässleholm), "
        "pulsmöte 2 (Vuxenpsykiatri Lund)."
    )
    assert "/puls dagordning pulsmöte 1." in say(two, "maria", "/puls dagordning")
    assert "/puls avsluta pulsmöte 1." in say(two, "maria", "/puls avsluta")


def test_an_fk_case_officer_sees_the_meetings_of_the_units_she_asks(
    app: Bryggan, clock: Clock
) -> None:
    say(app, "maria", SERIES)
    say(app, "maria", LUND)
    assert say(app, "karl", "/puls dagordning") == (
        "Det finns inget pulsmöte för dig ännu. Skriv /puls lista för att se alla."
    )
    asked = say(app, "karl", "/fråga enhet:lund kategori:sgi riktning:fk-vård Planeringen?")
    assert asked.startswith("Tack!")
    say(app, "maria", "/puls punkt pulsmöte 2 Nya SA-ärenden")
    agenda = say(app, "karl", "/puls dagordning")
    assert agenda.startswith("Till dagordningen för pulsmöte 2 torsdag 26 november 2026")
    assert "• Nya SA-ärenden (Maria Lund)" in agenda
    clock.now = at(2026, 11, 26, 11, 0)
    say(app, "maria", "/puls anteckning pulsmöte 2 SA-ärendena följs upp")
    notes = say(app, "karl", "/puls anteckningar")
    assert notes.startswith("Anteckningar från Pulsmöte 2 torsdag 26 november 2026 kl 10:00:")
    assert "• SA-ärendena följs upp (Maria Lund)" in notes
    refused = say(app, "karl", "/puls anteckningar pulsmöte 1")
    assert refused.startswith("Det kan bara kontaktpersoner och medarbetare på Vuxenpsykiatri")
