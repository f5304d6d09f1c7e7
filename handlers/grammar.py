"""The platform-neutral command grammar: one line of text in, one command value out.

Pure functions: no storage, no clock. The same grammar serves the console (`/fråga …`),
Matrix (`!fråga …`) and Slack (`/fraga …`, `/bryggan ta …`). Command words are matched
forgivingly (case, å/ä/ö typed as a/o) and an unknown word becomes `Unknown`.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from handlers.matching import fold

REF_PATTERN = re.compile(r"\b[Ff]-?(\d{4})-(\d{1,6})\b")
FIELD_KEYS: dict[str, str] = {
    "enhet": "enhet",
    "unit": "enhet",
    "kategori": "kategori",
    "kat": "kategori",
    "riktning": "riktning",
    "samtycke": "samtycke",
    "samtyckeav": "samtycke_av",
    "inhamtatav": "samtycke_av",
    "samtyckedatum": "samtycke_datum",
    "frist": "frist",
    "senast": "frist",
    "deadline": "frist",
    "puls": "puls",
}
_FIELD_TOKEN = re.compile(r"""(?P<key>[^\s:"]+):(?P<value>"[^"]*"|'[^']*'|\S+)""")
_PREFIXES = "/!"


@dataclass(frozen=True)
class Ask:
    fields: dict[str, str]
    text: str
    unknown_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListMine:
    pass


@dataclass(frozen=True)
class RefCommand:
    """A command that acts on one question: visa, ta, besvarad, stäng, återöppna."""

    action: str
    ref: str | None


@dataclass(frozen=True)
class Answer:
    ref: str | None
    text: str


@dataclass(frozen=True)
class Forward:
    ref: str | None
    target: str


@dataclass(frozen=True)
class AbsenceCommand:
    period: str
    substitute: str | None


@dataclass(frozen=True)
class CategoryCommand:
    action: str  # "lista", "ny", "byt", "ta bort"
    slug: str = ""
    name: str = ""


@dataclass(frozen=True)
class Help:
    topic: str = ""


@dataclass(frozen=True)
class Unknown:
    word: str


Command = (
    Ask
    | ListMine
    | RefCommand
    | Answer
    | Forward
    | AbsenceCommand
    | CategoryCommand
    | Help
    | Unknown
)

_WORDS: dict[str, str] = {
    "fraga": "fråga",
    "fragor": "frågor",
    "mina": "frågor",
    "visa": "visa",
    "ta": "ta",
    "svara": "svara",
    "besvarad": "besvarad",
    "stang": "stäng",
    "ateroppna": "återöppna",
    "flytta": "flytta",
    "franvaro": "frånvaro",
    "hjalp": "hjälp",
    "help": "hjälp",
    "kategori": "kategori",
    "kategorier": "kategori",
}


def canonical_ref(text: str) -> str | None:
    """The first question reference in `text`, normalised to `F-2026-0042`."""
    found = REF_PATTERN.search(text)
    if not found:
        return None
    return f"F-{found.group(1)}-{int(found.group(2)):04d}"


def command_word(line: str) -> str:
    """The folded first word of a command line, without its `/` or `!` prefix."""
    stripped = line.strip().lstrip(_PREFIXES)
    return fold(stripped.split(maxsplit=1)[0]) if stripped else ""


def parse(line: str) -> Command:
    """Parse one line of user text into a command."""
    stripped = line.strip().lstrip(_PREFIXES).strip()
    if not stripped:
        return Help()
    head, _, rest = stripped.partition(" ")
    rest = rest.strip()
    word = fold(head)
    name = _WORDS.get(word)
    if name is None:
        return Unknown(head[:40])
    if name == "fråga":
        return parse_ask(rest)
    if name == "frågor":
        return ListMine()
    if name in {"visa", "ta", "besvarad", "stäng", "återöppna"}:
        return RefCommand(name, canonical_ref(rest))
    if name == "svara":
        ref = canonical_ref(rest)
        text = REF_PATTERN.sub("", rest, count=1).strip() if ref else rest
        return Answer(ref, text)
    if name == "flytta":
        ref = canonical_ref(rest)
        target = REF_PATTERN.sub("", rest, count=1).strip() if ref else rest
        return Forward(ref, target)
    if name == "frånvaro":
        return _parse_absence(rest)
    if name == "kategori":
        return _parse_category(rest)
    return Help(rest)


def parse_ask(rest: str) -> Ask:
    """Split `key:value` fields from the free text.

    Fields usually lead the line; a known field later in the text is taken too. An unknown
    key among the leading fields (a typo such as `enhett:lund`) is reported, not swallowed.
    """
    fields: dict[str, str] = {}
    unknown: list[str] = []
    position = 0
    while found := _FIELD_TOKEN.match(rest, position):
        key = FIELD_KEYS.get(fold(found.group("key")))
        if key is None:
            unknown.append(found.group("key"))
        else:
            fields[key] = found.group("value").strip("\"'")
        position = found.end()
        while position < len(rest) and rest[position].isspace():
            position += 1

    def take(found: re.Match[str]) -> str:
        key = FIELD_KEYS.get(fold(found.group("key")))
        if key is None or key in fields:
            return found.group(0)
        fields[key] = found.group("value").strip("\"'")
        return ""

    text = _FIELD_TOKEN.sub(take, rest[position:])
    text = re.sub(r"[ \t]{2,}", " ", text).strip()
    return Ask(fields, text, tuple(unknown))


def _parse_absence(rest: str) -> AbsenceCommand:
    found = re.search(r"\s*\b(?:ersattare|ersättare|vikarie)\b\s*(.*)$", rest, re.IGNORECASE)
    substitute = found.group(1).strip() if found else None
    period = rest[: found.start()] if found else rest
    return AbsenceCommand(period.strip(), substitute or None)


def _parse_category(rest: str) -> CategoryCommand:
    try:
        parts = shlex.split(rest)
    except ValueError:
        parts = rest.split()
    if not parts:
        return CategoryCommand("lista")
    if len(parts) > 1 and fold(parts[0]) == "ta" and fold(parts[1]) == "bort":
        parts = ["tabort", *parts[2:]]
    action = fold(parts[0])
    slug = parts[1] if len(parts) > 1 else ""
    return CategoryCommand(action, slug, " ".join(parts[2:]))
