"""What a person typed after a command word, turned into a typed command.

Pure functions: no storage, no clock. Field keys are matched forgivingly (case, å/ä/ö typed
as a/o); field values stay `Typed` until the core reads them while it validates, so the
refusals keep the order a person expects (the unit before the date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.dates import is_date_phrase
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
_KEY = re.compile(r"""(?P<key>[^\W\d_][^\s:"'”“„’‘]{0,39}):(?=[^\s/])""")
"""`key:` at a word's start: the key begins with a letter and is short, so reading a long
word costs linear time; a value does not begin with `/` (`https://…` is no field)."""
_SPACED_KEY = re.compile(r"""(?P<key>[^\W\d_][^\s:"'”“„’‘]{0,39}):[ \t]+(?=[^\s/])""")
"""`frist: 15 dec`: a space after the colon, taken only for a known key (`Obs: …` is text)."""
_NEXT_WORD = re.compile(r"\s*(\S+)")
_WORD_KEY = re.compile(r"""(?<!\S)[^\W\d_][^\s:"'”“„’‘]{0,39}:""")
_MAX_TRAILING = 8
"""Known keys near the end of a line that may begin the trailing fields."""
_QUOTES = {'"': '"”“', "”": '"”“', "“": '"”“', "„": '"”“', "'": "'’‘", "’": "'’‘", "‘": "'’‘"}
"""An opening quote and the quotes that close it (phones type curly ones)."""
_MAX_QUOTED = 200
"""A quoted value is looked for this far, so an unclosed quote costs no more than that."""
_MORE_WORDS = 2
"""An unquoted value runs over at most this many more words, up to the next known field."""
_SPACED_VALUES = {"samtycke_av", "riktning", "frist", "samtycke_datum"}
"""The fields whose unquoted value may run to the next field (a name, `vård till fk`, a
date); a unit or category is one word (its slug) unless quoted."""
_DATE_WORDS = 5
_DATE_KEYS = {"frist", "samtycke_datum"}
_TITLES = {"dr", "doktor", "leg", "ssk", "usk", "prof", "docent"}
"""Titles that `samtycke_av:` takes together with the name after them: `Dr Andersson`."""
_FILLERS = {"i", "på", "den", "vid", "och", "-", "–"}
_DATE_LIKE = re.compile(
    r"[\d./:\-–]+|(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec|mån|man|tis|ons|tor|fre"
    r"|lör|lor|sön|son)\w*\.?|nästa|nasta|förra|forra|veck\w*|dag\w*|kl|den|om|i|v\.?",
    re.IGNORECASE,
)
"""A word that looks like part of a date, read or not (`decembrr`): a date that does not
read is quoted in the refusal as far as its words look like one."""


_TOKEN = re.compile(r"""["”“]([^"”“]*)["”“]|'([^']*)'|(\S+)""")
"""A word, or words in quotes (`/kategori ny sjukpenning "Sjukpenning och SGI"`); linear,
unlike `shlex`, whose time grew with the square of a long word."""
_SUBSTITUTE = re.compile(r"\b(?:ersattare|ersättare|vikarie)\b\s*(.*)$", re.IGNORECASE)
"""No leading whitespace in the pattern: searched from every position, a run of spaces
made it quadratic."""
_SLACK_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_NO_CONSENT = {"nej", "avidentifierad", "avid"}


def ref_and_rest(arguments: str) -> tuple[str | None, str]:
    """The reference and what follows it: `F-2026-1 Ja, det går.` → (`F-2026-0001`, `Ja…`)."""
    ref = canonical_ref(arguments)
    rest = REF_PATTERN.sub("", arguments, count=1).strip() if ref else arguments
    return ref, rest


@dataclass(frozen=True)
class _Field:
    key: str
    """As typed."""
    value: str
    start: int
    """Where the value starts in the line."""
    end: int
    """Where the field ends."""
    quoted: bool


def _key_at(rest: str, position: int) -> re.Match[str] | None:
    """`key:` at `position` (`key: ` with a space only for a known key)."""
    found = _KEY.match(rest, position)
    if found is None:
        found = _SPACED_KEY.match(rest, position)
        if found is not None and fold(found["key"]) not in FIELD_KEYS:
            return None
    return found


def _field_at(rest: str, position: int) -> _Field | None:
    """The `key:value` field starting at `position`, its value one word or quoted."""
    found = _key_at(rest, position)
    if found is None:
        return None
    start = found.end()
    closers = _QUOTES.get(rest[start])
    if closers:
        limit = min(len(rest), start + 1 + _MAX_QUOTED)
        ends = [i for c in closers if (i := rest.find(c, start + 1, limit)) >= 0]
        if ends:
            close = min(ends)
            return _Field(found["key"], rest[start + 1 : close], start, close + 1, True)
    word = _NEXT_WORD.match(rest, start)
    assert word is not None  # the key pattern looks ahead for a character that is no space
    return _Field(found["key"], word[1].strip("\"'”“„’‘"), start, word.end(), False)


def _known(rest: str, position: int) -> bool:
    """Whether a known field (not just any `word:word`) starts at `position`."""
    found = _key_at(rest, position)
    return found is not None and fold(found["key"]) in FIELD_KEYS


def _longer(rest: str, field: _Field, key: str) -> _Field:
    """An unquoted value with spaces: words up to the next known field (`samtycke_av:Dr
    Andersson frist:…`), a date as far as the words still read as one (`frist:nästa fredag
    Hur…`), or a title and the name after it (`samtycke_av:Dr Andersson Hur…`)."""
    words: list[re.Match[str]] = []
    position = field.end
    while len(words) < _DATE_WORDS - 1 and (word := _NEXT_WORD.match(rest, position)):
        words.append(word)
        position = word.end()
    for count, word in enumerate(words[: _MORE_WORDS + 1] if key in _SPACED_VALUES else []):
        if _known(rest, word.start(1)):
            return _stretched(rest, field, words[count - 1]) if count else field
        if _KEY.match(rest, word.start(1)):
            break
    if key in _DATE_KEYS:
        for count in range(len(words), 0, -1):
            last = words[count - 1]
            phrase = rest[field.start : last.end()]
            if fold(last[1]) not in _FILLERS and is_date_phrase(phrase):
                return _stretched(rest, field, last)
        if not is_date_phrase(field.value):
            return _date_like(rest, field, words)
    if key == "samtycke_av" and fold(field.value) in _TITLES and words:
        return _stretched(rest, field, words[0])
    return field


def _date_like(rest: str, field: _Field, words: list[re.Match[str]]) -> _Field:
    """A date that does not read, as far as its words look like a date (`15 decembrr`), so
    that the refusal quotes what was typed and the text starts after it."""
    count = 0
    while count < min(len(words), _MORE_WORDS + 1) and _DATE_LIKE.fullmatch(words[count][1]):
        count += 1
    while count and fold(words[count - 1][1]) in _FILLERS | {"om"}:
        count -= 1
    return _stretched(rest, field, words[count - 1]) if count else field


def _stretched(rest: str, field: _Field, last: re.Match[str]) -> _Field:
    return _Field(field.key, rest[field.start : last.end()], field.start, last.end(), False)


def ask_fields(rest: str) -> tuple[dict[str, str], str, tuple[str, ...]]:
    """Split the `key:value` fields from the question text: (fields, text, unknown keys).
    Linear in `rest`.

    Fields stand first, or last (known fields that end the line: `Hur blir det? frist:"15
    dec"`); a `word:word` in the middle of the text stays text. A value with spaces is
    quoted, or runs to the next known field (see `_longer`). An unknown key among the
    leading fields (a typo such as `enhett:lund`) is reported, not swallowed.
    """
    fields: dict[str, str] = {}
    unknown: list[str] = []
    position = _skip_space(rest, 0)
    while (field := _field_at(rest, position)) is not None:
        key = FIELD_KEYS.get(fold(field.key))
        if key is None:
            unknown.append(field.key)
        else:
            field = field if field.quoted else _longer(rest, field, key)
            fields[key] = field.value.strip()
        position = _skip_space(rest, field.end)
    end, trailing = _trailing(rest, position)
    fields = trailing | fields
    text = re.sub(r"[ \t]{2,}", " ", rest[position:end]).strip()
    return fields, text, tuple(unknown)


def _skip_space(rest: str, position: int) -> int:
    while position < len(rest) and rest[position].isspace():
        position += 1
    return position


def _trailing(rest: str, start: int) -> tuple[int, dict[str, str]]:
    """The known fields that end the line: where they begin and their values, or (end of
    line, {}) when the line ends otherwise. Only the last few known keys are tried, each
    from its place to the end of the line, so the work stays linear."""
    starts = [m.start() for m in _WORD_KEY.finditer(rest, start) if _known(rest, m.start())]
    for begin in starts[-_MAX_TRAILING:]:
        fields: dict[str, str] = {}
        position = begin
        while (field := _field_at(rest, position)) is not None:
            key = FIELD_KEYS.get(fold(field.key))
            if key is None:
                break
            field = field if field.quoted else _longer(rest, field, key)
            fields[key] = field.value.strip().rstrip("?!,;")
            position = _skip_space(rest, field.end)
        if position >= len(rest) and fields:
            return begin, fields
    return len(rest), {}


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
    found = _SUBSTITUTE.search(rest)
    substitute = found.group(1).strip() if found else None
    period = rest[: found.start()] if found else rest
    return ReportAbsence(period.strip(), substitute or None)


def parse_categories(rest: str) -> ManageCategories:
    parts = [next(g for g in found.groups() if g is not None) for found in _TOKEN.finditer(rest)]
    if not parts:
        return ManageCategories("lista")
    if len(parts) > 1 and fold(parts[0]) == "ta" and fold(parts[1]) == "bort":
        parts = ["tabort", *parts[2:]]
    action = fold(parts[0])
    slug = parts[1] if len(parts) > 1 else ""
    return ManageCategories(action, slug, " ".join(parts[2:]))
