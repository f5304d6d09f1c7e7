"""Find Swedish identity numbers in free text, so Bryggan never stores or echoes them.

Cases are discussed de-identified. This module is the guard: it reports personnummer,
samordningsnummer and interim numbers/reservnummer however people type or paste them, and
leaves the look-alikes of everyday case talk (phone numbers, dates, amounts, organisation
numbers, postal codes, diagnosis and case numbers) alone.

People paste from journal systems and documents, so the guard reads through what a reader does
not see and what looks the same (the text itself is never changed; a number is reported exactly
as written, invisible characters inside it included):

- invisible characters anywhere in a number: zero-width space, zero-width (non-)joiner, word
  joiner, soft hyphen, byte order mark, the invisible operators, the Mongolian vowel separator,
  the combining grapheme joiner, direction marks and embeddings, tag characters;
- every space character (no-break, narrow, figure, thin, ideographic, tab ...) as a space, and
  every line break (``\\r``, ``\\n``, line and paragraph separators ...) as one;
- every dash look-alike (hyphen, non-breaking hyphen, figure dash, en and em dash, horizontal
  bar, minus sign, small and full-width hyphen-minus) as ``-``, plus look-alikes as ``+``;
- full-width digits and letters as ASCII ones.

Decision rules for a candidate (all must hold):

1. Shape: an optional century, six date digits YYMMDD, an optional separator and a
   four-character serial. The century is two digits right before the date, or 18, 19 or 20 and
   up to three spaces or line breaks before it ("19 121212-1212"). The separator is one to six
   spaces or line breaks ("121212  1212", a number broken over a line after the date part), or
   one ``-`` or ``+`` with up to three of them on either side. The serial is four digits, or an
   ASCII letter (either case) and three digits: an interim number or reservnummer such as
   ``850101-T123``.
2. Standalone: no digit directly before or after it; a candidate inside a longer run of digits is
   not an identity number. Any Unicode decimal digit counts as a digit.
3. Date: MM is 01-12; DD is a valid day of that month, or that day + 60 (samordningsnummer). With
   a century it must be 18, 19 or 20 and the date must exist in that year. Without one the date
   must exist in 19YY or 20YY, whatever the separator: ``000229+NNNC`` is accepted although
   neither 1800 nor 1900 was a leap year. Organisation numbers fail here: their month digits are
   >= 20. A spaced century that makes the date fail is left out of the number instead.
4. Check digit: a numeric serial must pass the Luhn check over the ten-digit form YYMMDDNNNC.
   A letter serial cannot be checked, so it only needs the valid date.

Ambiguity is settled in favour of catching. A bare ten-digit number like ``070123xxxx`` may be a
mobile number or the personnummer of someone born 23 January 2007; the two cannot be told apart,
so it is reported when the date and the Luhn check hold (one in ten of those with a valid date).
Phone numbers written the usual way (``070-123 45 67``, ``+46 70 123 45 67``) never have six
digits in a row followed by a four-digit serial, so they always pass, as do dates, amounts grouped
in threes, postal codes and case numbers. A time written after a compact date (``20261122 1030``,
also on the next line) is reported when it happens to pass the Luhn check.

The scan is linear: one regular-expression pass over the text as it is (no normalised copy to
build), tried only where a digit starts, possessive so that nothing is tried twice, and a check
per candidate.
"""

import re
from collections.abc import Iterable, Iterator
from datetime import date

__all__ = [
    "REDACTION",
    "find_identity_numbers",
    "identity_number_spans",
    "redact_identity_numbers",
]

REDACTION = "[personnummer borttaget]"

_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x061C, 0x061C),  # Arabic letter mark
    (0x180E, 0x180E),  # Mongolian vowel separator
    (0x200B, 0x200F),  # zero-width space, non-joiner, joiner; left-to-right, right-to-left marks
    (0x202A, 0x202E),  # direction embeddings and overrides
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x2069),  # direction isolates
    (0xFEFF, 0xFEFF),  # byte order mark, zero-width no-break space
    (0xE0000, 0xE007F),  # tag characters
)
_INVISIBLE_SET = frozenset(
    chr(code) for first, last in _INVISIBLE_RANGES for code in range(first, last + 1)
)
_INVISIBLE = "".join(f"{chr(first)}-{chr(last)}" for first, last in _INVISIBLE_RANGES)
_SPACE = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_LINE_BREAK = "\n\r\x0b\x0c\x85\u2028\u2029"
_DASH = "\\-\u02d7\u2010-\u2015\u2043\u2212\u2796\ufe58\ufe63\uff0d"
_PLUS = "+\u2795\ufb29\ufe62\uff0b"
_LETTER = "A-Za-z\uff21-\uff3a\uff41-\uff5a"

# Each piece may be followed by invisible characters (possessively: no piece is tried twice).
_I = f"[{_INVISIBLE}]*+"
_D = rf"(?:\d{_I})"
_W = f"(?:[{_SPACE}{_LINE_BREAK}]{_I})"
_CANDIDATE = re.compile(
    r"(?=\d)(?<!\d)"  # the lookahead first lets the engine skip to digits
    rf"(?:(?P<century>{_D}{_D})|(?P<spaced>(?:[1１]{_I}[89８９]|[2２]{_I}[0０]){_I}){_W}{{1,3}})?"
    rf"(?P<date>{_D}{{6}})"
    rf"(?:{_W}{{1,6}}|{_W}{{0,3}}[{_DASH}{_PLUS}]{_I}{_W}{{0,3}})?"
    rf"(?P<serial>(?:[{_LETTER}]{_I}|{_D}){_D}{{2}}\d)"
    rf"(?!{_I}\d)"
)
_INVISIBLE_CHARACTER = re.compile(f"[{_INVISIBLE}]")
_CENTURIES = (18, 19, 20)
_SAMORDNING_OFFSET = 60


def find_identity_numbers(text: str) -> list[str]:
    """Return every Swedish identity number in ``text``, exactly as written, in order.

    Covers personnummer, samordningsnummer and interim numbers/reservnummer in all the usual
    formats, pasted ones included; see the module docstring for the rules and how look-alikes
    are told apart. An invisible character inside a number is part of what is returned.
    """
    return [text[start:end] for start, end in _identity_spans(text)]


def identity_number_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every identity number in ``text``, in order: for a caller that reads
    a text through an encoding of its own and maps the spans back (the log filter does)."""
    return list(_identity_spans(text))


def redact_identity_numbers(text: str) -> str:
    """Return ``text`` with each identity number replaced by ``REDACTION``."""
    return _redacted(text, _identity_spans(text))


def _redacted(text: str, spans: Iterable[tuple[int, int]]) -> str:
    parts: list[str] = []
    end = 0
    for start, stop in spans:
        parts.append(text[end:start])
        parts.append(REDACTION)
        end = stop
    parts.append(text[end:])
    return "".join(parts)


def _identity_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield the (start, end) of every identity number in ``text``, in order.

    A rejected candidate never hides a real one: anything starting inside it would have to begin
    after its separator or letter, where at most four digits follow, or at the date after a
    spaced century, which is checked on its own.
    """
    for match in _CANDIDATE.finditer(text):
        yymmdd, serial = _visible(match["date"]), _visible(match["serial"])
        century = match["century"] or match["spaced"]
        if _standalone(text, match.start()) and _is_identity_number(
            century and _visible(century), yymmdd, serial
        ):
            yield match.span()
        elif (
            match["spaced"]
            and _standalone(text, match.start("date"))
            and _is_identity_number(None, yymmdd, serial)
        ):
            yield match.start("date"), match.end()


def _visible(piece: str) -> str:
    """The piece without its invisible characters (an ASCII piece has none)."""
    return piece if piece.isascii() else _INVISIBLE_CHARACTER.sub("", piece)


def _standalone(text: str, start: int) -> bool:
    """Whether no digit comes right before ``start``, invisible characters read through (the
    pattern's look-behind sees only the character right before)."""
    before = start - 1
    while before >= 0 and text[before] in _INVISIBLE_SET:
        before -= 1
    return before < 0 or not text[before].isdecimal()


def _is_identity_number(century: str | None, yymmdd: str, serial: str) -> bool:
    if century is not None and int(century) not in _CENTURIES:
        return False
    # Without a century the candidates 18YY, 19YY and 20YY share their leap years except for
    # YY = 00, where only 2000 is one; 20YY therefore accepts a date valid in any of them.
    year = int((century or "20") + yymmdd[:2])
    month, day = int(yymmdd[2:4]), int(yymmdd[4:])
    if day > _SAMORDNING_OFFSET:
        day -= _SAMORDNING_OFFSET
    if not _is_valid_date(year, month, day):
        return False
    return serial[0].isalpha() or _passes_luhn(yymmdd + serial)


def _is_valid_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _passes_luhn(digits: str) -> bool:
    """Luhn over the ten-digit form: weights 2, 1, 2, 1, ... from the left."""
    total = 0
    for index, character in enumerate(digits):
        product = int(character) * (2 - index % 2)
        total += product - 9 if product > 9 else product
    return total % 10 == 0
