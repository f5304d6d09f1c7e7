"""What a person typed after a command word, turned into a typed command.

Pure functions: no storage, no clock. Field keys are matched forgivingly (case, å/ä/ö typed
as a/o); field values stay `Typed` until the core reads them while it validates, so the
refusals keep the order a person expects (the unit before the date).
"""

from __future__ import annotations

import re
import shlex

from handlers.kernel import (
    REF_PATTERN,
    Answer,
    Ask,
    ChatUser,
    ConsentGiven,
    Forward,
    ManageCategories,
    ReportAbsence,
    Typed,
    canonical_ref,
    fold,
)

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
_FIELD_TOKEN = re.compile(r"""(?P<key>[^\s:"]{1,40}):(?P<value>"[^"]*"|'[^']*'|\S+)""")
"""`key:value`; the key is short, so a long word without a colon costs linear time (an
unbounded key made every start in the word scan to its end: a 20,000-letter word took 5 s)."""
_SLACK_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_NO_CONSENT = {"nej", "avidentifierad", "avid"}


def ref_and_rest(arguments: str) -> tuple[str | None, str]:
    """The reference and what follows it: `F-2026-1 Ja, det går.` → (`F-2026-0001`, `Ja…`)."""
    ref = canonical_ref(arguments)
    rest = REF_PATTERN.sub("", arguments, count=1).strip() if ref else arguments
    return ref, rest


def ask_fields(rest: str) -> tuple[dict[str, str], str, tuple[str, ...]]:
    """Split `key:value` fields from the free text: (fields, text, unknown keys).

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
    return fields, text, tuple(unknown)


def parse_ask(rest: str) -> Ask:
    """`/fråga [fält:värde …] <frågan>`: every value as typed, read when validated."""
    fields, text, unknown = ask_fields(rest)

    def typed(key: str) -> Typed | None:
        return Typed(fields[key]) if fields.get(key) else None

    consent = fields.get("samtycke")
    given = None
    if consent and fold(consent) not in _NO_CONSENT:
        given = ConsentGiven(
            Typed(consent), fields.get("samtycke_av") or None, typed("samtycke_datum")
        )
    return Ask(
        text=text,
        unit=fields.get("enhet") or None,
        category=fields.get("kategori") or None,
        direction=typed("riktning"),
        deadline=typed("frist"),
        consent=given,
        pulse=typed("puls") or False,
        unknown_fields=unknown,
    )


def parse_answer(arguments: str) -> Answer:
    ref, text = ref_and_rest(arguments)
    return Answer(ref, text)


def parse_forward(arguments: str) -> Forward:
    """`F-… @sofia`, `F-… Sofia Holm` or a Slack mention `F-… <@U123>`."""
    ref, target = ref_and_rest(arguments)
    mention = _SLACK_MENTION.fullmatch(target.strip())
    return Forward(ref, ChatUser(mention.group(1)) if mention else Typed(target))


def parse_absence(rest: str) -> ReportAbsence:
    found = re.search(r"\s*\b(?:ersattare|ersättare|vikarie)\b\s*(.*)$", rest, re.IGNORECASE)
    substitute = found.group(1).strip() if found else None
    period = rest[: found.start()] if found else rest
    return ReportAbsence(period.strip(), substitute or None)


def parse_categories(rest: str) -> ManageCategories:
    try:
        parts = shlex.split(rest)
    except ValueError:
        parts = rest.split()
    if not parts:
        return ManageCategories("lista")
    if len(parts) > 1 and fold(parts[0]) == "ta" and fold(parts[1]) == "bort":
        parts = ["tabort", *parts[2:]]
    action = fold(parts[0])
    slug = parts[1] if len(parts) > 1 else ""
    return ManageCategories(action, slug, " ".join(parts[2:]))
