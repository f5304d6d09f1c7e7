"""The README's knowledge-bank conversation in the console: saving an answer, searching,
and a suggestion at intake, then "det löste min fråga"."""

from __future__ import annotations

import io

from bot.console import Console
from bot.wiring import Bryggan

CONVERSATION = """\
/fråga kategori:sgi Hur påverkas SGI om patienten går ner till 50 %?
@anna: >F-2026-0001 SGI:n sänks om arbetstiden minskar, men inte vid sjukskrivning på deltid.
@anna: /kunskap spara F-2026-0001
@anna: /kunskap spara F-2026-0001 SGI vid sjukskrivning på deltid | Den som är sjukskriven på deltid behåller sin SGI; den som själv går ner i arbetstid får i regel en lägre SGI. | bekräftat
@olle: /sök deltidssjukskrivning
@olle: /fråga enhet:kristianstad kategori:sgi riktning:vård-fk Sänks SGI:n vid sjukskrivning på halvtid?
@olle: /kunskap löste F-2026-0002 K-1
"""  # noqa: E501


def test_saving_searching_and_a_suggestion_at_intake(app: Bryggan) -> None:
    out = io.StringIO()
    Console(app, out).run(CONVERSATION.splitlines())
    printed = out.getvalue()
    print(printed)
    assert "Bryggan: Utkast från F-2026-0001" in printed
    assert "Bryggan: Sparat i kunskapsbanken som K-1: SGI vid sjukskrivning på deltid." in printed
    search = printed.split("olle> /sök deltidssjukskrivning\n")[1]
    assert search.startswith("Bryggan: Kunskapsbanken om ”deltidssjukskrivning”:\n  K-1 SGI vid")
    asked = printed.split("olle> /fråga")[1]
    registered = asked.index("Bryggan: Tack! Din fråga F-2026-0002 är registrerad.")
    suggested = asked.index("Bryggan: Kanske finns svaret redan i kunskapsbanken:\n  K-1 SGI vid")
    assert registered < suggested
    assert "Skönt att K-1 hjälpte! F-2026-0002 är stängd som besvarad ur kunskapsbanken." in asked
