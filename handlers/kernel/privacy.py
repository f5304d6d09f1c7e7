"""Find Swedish identity numbers in free text, so Bryggan never stores or echoes them.

Cases are discussed de-identified. This module is the guard: it reports personnummer,
samordningsnummer and interim numbers/reservnummer however people type them, and leaves the
look-alikes of everyday case talk (phone numbers, dates, amounts, organisation numbers, postal
codes, diagnosis and case numbers) alone.

Decision rules for a candidate (all must hold):

1. Shape: an optional two-digit century, six date digits YYMMDD, an optional separator and a
   four-character serial. The separator is one space, or one of ``-``, ``+`` or a dash variant
   (en/em dash, minus sign, Unicode hyphens) with at most one space on either side; spaces may be
   ordinary, no-break or narrow no-break. The serial is four digits, or an ASCII letter (either
   case) and three digits: an interim number or reservnummer such as ``850101-T123``.
2. Standalone: no digit directly before or after it; a candidate inside a longer run of digits is
   not an identity number. Any Unicode decimal digit counts as a digit (so full-width digits are
   caught too).
3. Date: MM is 01-12; DD is a valid day of that month, or that day + 60 (samordningsnummer). With
   a century it must be 18, 19 or 20 and the date must exist in that year. Without one the date
   must exist in 19YY or 20YY, whatever the separator: ``000229+NNNC`` is accepted although
   neither 1800 nor 1900 was a leap year. Organisation numbers fail here: their month digits are
   >= 20.
4. Check digit: a numeric serial must pass the Luhn check over the ten-digit form YYMMDDNNNC.
   A letter serial cannot be checked, so it only needs the valid date.

Ambiguity is settled in favour of catching. A bare ten-digit number like ``070123xxxx`` may be a
mobile number or the personnummer of someone born 23 January 2007; the two cannot be told apart,
so it is reported when the date and the Luhn check hold (one in ten of those with a valid date).
Phone numbers written the usual way (``070-123 45 67``, ``+46 70 123 45 67``) never have six
digits in a row followed by a four-digit serial, so they always pass, as do dates, amounts grouped
in threes, postal codes and case numbers. A time written right after a compact date
(``20261122 1030``) is reported when it happens to pass the Luhn check.
"""

import re
from collections.abc import Iterator
from datetime import date

__all__ = ["REDACTION", "find_identity_numbers", "redact_identity_numbers"]

REDACTION = "[personnummer borttaget]"

_SPACES = " \u00a0\u202f"
_SEPARATOR_MARKS = "-\u2010\u2011\u2012\u2013\u2014\u2212+"
_SEPARATOR = f"[{_SPACES}]?[{_SEPARATOR_MARKS}][{_SPACES}]?|[{_SPACES}]"
_CANDIDATE = re.compile(
    r"(?<!\d)"
    r"(?P<century>\d{2})?"
    r"(?P<date>\d{6})"
    f"(?:{_SEPARATOR})?"
    r"(?P<serial>[A-Za-z]\d{3}|\d{4})"
    r"(?!\d)"
)
_CENTURIES = (18, 19, 20)
_SAMORDNING_OFFSET = 60


def find_identity_numbers(text: str) -> list[str]:
    """Return every Swedish identity number in ``text``, exactly as written, in order.

    Covers personnummer, samordningsnummer and interim numbers/reservnummer in all the usual
    formats; see the module docstring for the rules and how look-alikes are told apart.
    """
    return [match.group() for match in _identity_matches(text)]


def redact_identity_numbers(text: str) -> str:
    """Return ``text`` with each identity number replaced by ``REDACTION``, e.g. for logs."""
    parts: list[str] = []
    end = 0
    for match in _identity_matches(text):
        parts.append(text[end : match.start()])
        parts.append(REDACTION)
        end = match.end()
    parts.append(text[end:])
    return "".join(parts)


def _identity_matches(text: str) -> Iterator[re.Match[str]]:
    """Yield the candidates that pass the checks.

    A rejected candidate never hides a real one: anything starting inside it would have to begin
    after its separator or letter, where at most four digits follow.
    """
    for match in _CANDIDATE.finditer(text):
        if _is_identity_number(match["century"], match["date"], match["serial"]):
            yield match


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
