"""Generated user input for the fuzz test: command lines over every grammar, thread replies
and question forms, built from a seeded `random.Random` (deterministic, and fast enough to
produce 100,000 inputs in a few seconds).

The pieces are what users and attackers actually type: every command word and alias with
`/`, `!` or nothing in front, fields with good, half-good and bad values, references
well-formed and not, dates in every shape, people, identity-number-like strings (which
must be refused, never stored), very long text, and hostile Unicode: bidi overrides,
zero-width and combining characters, lone surrogates, NUL and other control characters.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

CORE_WORDS = [
    "fråga", "fraga", "FRÅGA", "frågor", "fragor", "mina", "visa", "ta", "svara", "besvarad",
    "stäng", "stang", "återöppna", "ateroppna", "flytta", "frånvaro", "franvaro", "hjälp",
    "hjalp", "help", "kategori", "kategorier", "okänt", "", "f", "fr",
]  # fmt: skip
EXTENSION_WORDS = {
    "puls": [
        "ny", "skapa", "lista", "nästa", "kommande", "flytta", "ställ in", "stall in", "avsluta",
        "punkt", "anteckning", "anteckningar", "dagordning", "agenda", "hjälp", "okänd", "",
    ],
    "statistik": [
        "förra veckan", "denna vecka", "vecka 47", "v47", "november", "förra månaden", "Q3",
        "kvartal 4 2026", "2026", "i år", "i fjol", "senaste 30 dagarna", "igår", "",
    ],
}  # fmt: skip
FIELD_KEYS = [
    "enhet", "unit", "kategori", "kat", "riktning", "frist", "senast", "deadline",
    "samtycke", "samtycke_av", "samtyckeav", "samtycke_datum", "puls", "okänt", "ENHET",
]  # fmt: skip
VALUES = [
    "kristianstad", "kristian", "hassl", "hässleholm", "Vuxenpsykiatri Lund", "lund", "ystad",
    "sgi", "sgi_formaner", "rehab", "sjukpenning", "vård-fk", "fk-vård", "vard-fk", "till fk",
    "muntligt", "skriftligt", "nej", "ja", "avidentifierad", "Anna Berg", '"två ord"', "'",
    '"', "15/12", "2026-12-15", "31/2", "99/99/9999", "igår", "i morgon", "nästa tisdag",
    "om två veckor", "kl 13", "0", "-1", "1e9", "∞", "",
]  # fmt: skip
REFS = [
    "F-2026-0001", "F-2026-0002", "F-2026-0003", "F-2026-9999", "f-2026-0001", "F2026-0001",
    "F-2026-1", "F-20-1", "F-2026-00000001", "F-0000-0000", "F--", "F-2026-",
]  # fmt: skip
PEOPLE = ["@anna", "@sofia", "@berit", "anna", "@nobody", "@", "@@", "@lisa:localhost", "<@UANNA>"]
WHEN = [
    "varannan torsdag kl 13", "första tisdagen i månaden kl 10", "var tredje månad från 15 januari",
    "måndagar 9", "24/12", "24/12 kl 10", "till 25/12 kl 10", "till halv tio", "den 30 februari",
    "kl 25:61", "enheter:kristianstad,hassleholm", "länk:https://möte.example/puls",
    "länk:javascript:alert(1)", "helgdag:flytta", "helgdag:hoppa", 'namn:"Puls syd"', "1", "2",
    "serie:1", "serie:99", "F-2026-0001",
]  # fmt: skip
WORDS = [
    "Hur", "påverkas", "SGI", "om", "patienten", "går", "ner", "till", "50", "%", "?", "deltid",
    "sjukskrivning", "läkarutlåtande", "kvinna, 45 år", "tel 070-123 45 67", "2026-11-22",
    "org.nr 556677-8899", "F43.2", "12 000 kr", "ärende 1234567", "postnr 291 31", "och", "—",
]  # fmt: skip
IDENTITY_LIKE = [
    "19121212-1212", "121212-1212", "1212121212", "201212121212", "19121272-1219",
    "121272+1219", "19 121212-1212", "pnr 121212–1212",
]  # fmt: skip
HOSTILE = [
    "\u202e", "\u200b", "\u200d", "\ufeff", "\u0301", "e\u0301\u0301\u0301", "\ud800", "\udfff",
    "\x00", "\x07", "\x1b[31m", "\r\n", "\t", "\u2028", "🧠", "👩‍⚕️", "ﷺ", "𝔉", "Ω", "ǅ",
    "<script>", "&amp;", "*fet*", "`kod`", "<!channel>", "<@U0>", "%s", "{ref}", "{}", "\\",
    "'; DROP TABLE questions; --", "ﬃ", "İ", "ß", "ǰ",
]  # fmt: skip
LONG = [200, 1999, 2000, 2001, 5000, 20000]


class Inputs:
    """One generator; every method returns a fresh random input."""

    def __init__(self, seed: int, extensions: Iterable[str]) -> None:
        self.random = random.Random(seed)
        self.extensions = sorted(extensions)

    def pick(self, pool: list[str]) -> str:
        return self.random.choice(pool)

    def piece(self) -> str:
        """One token of free text: mostly words, sometimes something nasty."""
        roll = self.random.random()
        if roll < 0.55:
            return self.pick(WORDS)
        if roll < 0.65:
            return self.pick(REFS)
        if roll < 0.72:
            return self.pick(IDENTITY_LIKE)
        if roll < 0.90:
            return self.pick(HOSTILE)
        if roll < 0.95:
            return self.pick(PEOPLE)
        return "".join(chr(self.random.randrange(1, 0x30000)) for _ in range(3))

    def text(self) -> str:
        """Free text: empty, a few pieces, or very long."""
        roll = self.random.random()
        if roll < 0.05:
            return ""
        if roll < 0.10:
            length = self.pick([str(n) for n in LONG])
            return (self.pick(WORDS) + " ") * (int(length) // 4)
        sep = self.pick([" ", " ", "  ", "\n", ""])
        return sep.join(self.piece() for _ in range(self.random.randint(1, 8)))

    def field(self) -> str:
        value = self.pick(VALUES) if self.random.random() < 0.85 else self.piece()
        return f"{self.pick(FIELD_KEYS)}:{value}"

    def command(self) -> str:
        """A command line in any grammar (console `/`, Matrix `!`, Slack's bare text)."""
        prefix = self.pick(["/", "/", "!", "", " /", "//"])
        if self.extensions and self.random.random() < 0.3:
            word = self.pick(self.extensions)
            sub = self.pick(EXTENSION_WORDS.get(word, [""]))
            args = [self.pick(WHEN) if self.random.random() < 0.7 else self.piece()]
            args += [self.text()] if self.random.random() < 0.3 else []
            return " ".join([f"{prefix}{self._case(word)}", sub, *args])
        word = self._case(self.pick(CORE_WORDS))
        parts: list[str] = []
        for _ in range(self.random.randint(0, 4)):
            kind = self.random.random()
            if kind < 0.35:
                parts.append(self.field())
            elif kind < 0.6:
                parts.append(self.pick(REFS))
            elif kind < 0.7:
                parts.append(self.pick(PEOPLE))
            elif kind < 0.8:
                parts.append(self.pick(WHEN))
            else:
                parts.append(self.text())
        return " ".join([f"{prefix}{word}", *parts])

    def form(self) -> dict[str, str]:
        """Fields of a question form: any subset, any values."""
        keys = ["enhet", "kategori", "riktning", "frist", "samtycke", "samtycke_av"]
        keys += ["samtycke_datum", "puls"]
        return {
            key: self.pick(VALUES) if self.random.random() < 0.8 else self.piece()
            for key in keys
            if self.random.random() < 0.7
        }

    def _case(self, word: str) -> str:
        roll = self.random.random()
        if roll < 0.1:
            return word.upper()
        if roll < 0.2:
            return word.capitalize()
        return word
