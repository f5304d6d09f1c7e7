"""The README's follow-up lines in `bryggan console` with lines piped in (#12): an answered
question comes back to the contact with a follow-up, "väntar på svar igen" in her
`/frågor`, and the asker's `/hjälpte ja` closes it."""

from __future__ import annotations

from pathlib import Path

from tests.bot.test_console import run_console
from tests.clock_shift import reference_year

LINES = """\
/fråga kategori:sgi Gäller det också vid 25 %?
@anna: >{ref} Ja, samma sak vid 25 %.
@lisa: >{ref} Och om hon går tillbaka till heltid?
@anna: /frågor
@anna: >{ref} Då är SGI som förut.
@lisa: /hjälpte ja {ref}
"""


def test_a_follow_up_returns_to_the_contact_in_the_console(tmp_path: Path) -> None:
    ref = f"F-{reference_year()}-0001"
    result = run_console(tmp_path, LINES.format(ref=ref))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    expected_in_order = [
        f"[till Lisa Ek] Anna Berg har svarat på din fråga {ref}. Löste svaret din fråga? "
        f"Skriv /hjälpte ja {ref} eller /hjälpte nej {ref}.",
        f"Bryggan: Din följdfråga på {ref} är sparad.",
        f"[#kristianstad] 👀 {ref} · väntar på svar igen · handläggs av Anna Berg",
        f"[till Anna Berg] Lisa Ek har skrivit en följdfråga på {ref}. Frågan är tillbaka hos "
        "dig och väntar på svar.",
        f"Bryggan: Väntar på dig:\n  • {ref} · väntar på svar igen · Vuxenpsykiatri Kristianstad",
        f"Bryggan: Tack! {ref} är stängd, och vi har noterat att svaret löste din fråga.",
        f"[till Anna Berg] Lisa Ek säger att svaret på {ref} löste frågan. Frågan är stängd.",
    ]
    positions = [out.find(text) for text in expected_in_order]
    assert -1 not in positions, out
    assert positions == sorted(positions), out
