"""Find Swedish identity numbers in free text, so Bryggan never stores or echoes them.

Cases are discussed de-identified. This module is the guard: it reports personnummer,
samordningsnummer and interim numbers/reservnummer however people type or paste them, and
leaves the look-alikes of everyday case talk (phone numbers, dates, amounts, organisation
numbers, postal codes, diagnosis and case numbers) alone.

People paste from journal systems and documents, so the guard scans a normalised copy of the
text and reports spans of the original (the text itself is never changed):

- invisible characters are dropped wherever they are: zero-width space, zero-width (non-)joiner,
  word joiner, soft hyphen, byte order mark, the invisible operators, the Mongolian vowel
  separator, the combining grapheme joiner, direction marks and embeddings, tag characters;
- every space character (no-break, narrow, figure, thin, ideographic, tab ...) reads as a space
  and every line break (``\\r``, ``\\n``, line and paragraph separators ...) as ``\\n``;
- every dash look-alike (hyphen, non-breaking hyphen, figure dash, en and em dash, horizontal
  bar, minus sign, small and full-width hyphen-minus) reads as ``-``, plus look-alikes as ``+``;
- full-width digits and letters read as ASCII ones.

Decision rules for a candidate in the normalised copy (all must hold):

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

The scan is linear: one translation of the text (skipped when nothing needs normalising), one
regular-expression pass whose every attempt is bounded, and a check per candidate.
"""

import re
from collections.abc import Iterator
from datetime import date

__all__ = ["REDACTION", "find_identity_numbers", "redact_identity_numbers"]

REDACTION = "[personnummer borttaget]"

_INVISIBLE = (
    "\u00ad\u034f\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
    + "".join(map(chr, range(0xE0000, 0xE0080)))
)
_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_SPACES += "\u202f\u205f\u3000"
_LINE_BREAKS = "\r\x0b\x0c\x85\u2028\u2029"
_DASHES = "\u02d7\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2796\ufe58\ufe63\uff0d"
_PLUSES = "\u2795\ufb29\ufe62\uff0b"
_FULL_WIDTH = "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
_FULL_WIDTH += "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"

_NORMALISED: dict[int, str | None] = {
    **dict.fromkeys(map(ord, _INVISIBLE)),
    **dict.fromkeys(map(ord, _SPACES), " "),
    **dict.fromkeys(map(ord, _LINE_BREAKS), "\n"),
    **dict.fromkeys(map(ord, _DASHES), "-"),
    **dict.fromkeys(map(ord, _PLUSES), "+"),
    **{ord(wide): chr(ord(wide) - 0xFEE0) for wide in _FULL_WIDTH},
}
_NEEDS_NORMALISING = re.compile("[" + re.escape("".join(map(chr, _NORMALISED))) + "]")
_INVISIBLE_CHARACTER = re.compile("[" + re.escape(_INVISIBLE) + "]")

_CANDIDATE = re.compile(
    r"(?<!\d)"
    r"(?:(?P<century>\d{2})|(?P<spaced>1[89]|20)[ \n]{1,3})?"
    r"(?P<date>\d{6})"
    r"(?:[ \n]{1,6}|[ \n]{0,3}[-+][ \n]{0,3})?"
    r"(?P<serial>[A-Za-z]\d{3}|\d{4})"
    r"(?!\d)"
)
_CENTURIES = (18, 19, 20)
_SAMORDNING_OFFSET = 60


def find_identity_numbers(text: str) -> list[str]:
    """Return every Swedish identity number in ``text``, exactly as written, in order.

    Covers personnummer, samordningsnummer and interim numbers/reservnummer in all the usual
    formats, pasted ones included; see the module docstring for the rules and how look-alikes
    are told apart. An invisible character inside a number is part of what is returned.
    """
    return [text[start:end] for start, end in _identity_spans(text)]


def redact_identity_numbers(text: str) -> str:
    """Return ``text`` with each identity number replaced by ``REDACTION``, e.g. for logs."""
    parts: list[str] = []
    end = 0
    for start, stop in _identity_spans(text):
        parts.append(text[end:start])
        parts.append(REDACTION)
        end = stop
    parts.append(text[end:])
    return "".join(parts)


def _identity_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield the (start, end) of every identity number in ``text``, in order."""
    if _NEEDS_NORMALISING.search(text) is None:
        yield from _checked_spans(text)
        return
    scanned = text.translate(_NORMALISED)
    if len(scanned) == len(text):
        yield from _checked_spans(scanned)
        return
    original = _OriginalPositions([match.start() for match in _INVISIBLE_CHARACTER.finditer(text)])
    for start, end in _checked_spans(scanned):
        yield original.of(start), original.of(end - 1) + 1


def _checked_spans(scanned: str) -> Iterator[tuple[int, int]]:
    """Yield the spans of the candidates in the normalised text that pass the checks.

    A rejected candidate never hides a real one: anything starting inside it would have to begin
    after its separator or letter, where at most four digits follow, or at the date after a
    spaced century, which is checked on its own.
    """
    for match in _CANDIDATE.finditer(scanned):
        century = match["century"] or match["spaced"]
        if _is_identity_number(century, match["date"], match["serial"]):
            yield match.span()
        elif match["spaced"] and _is_identity_number(None, match["date"], match["serial"]):
            yield match.start("date"), match.end()


class _OriginalPositions:
    """Maps positions in the normalised text to the original, which also held the invisible
    characters at ``removed`` (ascending). Asked in ascending order, so the walk is linear."""

    def __init__(self, removed: list[int]) -> None:
        self._removed = removed
        self._passed = 0

    def of(self, position: int) -> int:
        removed, passed = self._removed, self._passed
        while passed < len(removed) and removed[passed] <= position + passed:
            passed += 1
        self._passed = passed
        return position + passed


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
