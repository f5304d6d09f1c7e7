"""Tests for the identity-number guard: real numbers are caught, look-alikes pass."""

import re
import string
import unicodedata
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from handlers.kernel.privacy import REDACTION, find_identity_numbers, redact_identity_numbers

# Separators the guard documents: spaces, line breaks, hyphen/dash variants and "+". Invisible
# characters are read through. Everything else that is not a digit ends a run of digits.
SEPARATOR_CHARS = " \u00a0\u202f\t\n\r\u2028-\u2010\u2011\u2012\u2013\u2014\u2212\uff0d+"
INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\u00ad\ufeff\u200e\u034f"
SEPARATORS = ["", "-", "+", " ", "–", "—", "−", "\u00a0", " - ", " – ", "- ", " +"]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def check_digit(nine: str) -> str:
    """The Luhn check digit for YYMMDDNNN, computed independently of the module."""
    total = 0
    for index, character in enumerate(nine):
        product = int(character) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def ten(yymmdd: str, serial: str = "123") -> str:
    """A ten-digit identity number YYMMDDNNNC with a correct check digit."""
    return yymmdd + serial + check_digit(yymmdd + serial)


def spoil(number: str) -> str:
    """The same number with a wrong check digit."""
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def visible(text: str) -> str:
    """The text as a reader sees it: format characters gone, full-width digits plain."""
    kept = (c for c in text if unicodedata.category(c) != "Cf" and c != "\u034f")
    return "".join(kept).translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def joins_a_number_before(text: str) -> bool:
    """Whether ``text`` would run into a number written after it: a digit, or a century and
    spaces ("19 ", read as part of the number)."""
    return bool(re.search(r"(?:\d|(?:18|19|20)\s{1,3})$", visible(text)))


def written(number: str, separator: str = "-", century: str = "") -> str:
    """A ten-digit number as a person would type it."""
    return f"{century}{number[:6]}{separator}{number[6:]}"


A = ten("850101")
B = ten("761224", "502")
C = ten("050505", "234")
SAMORDNING = ten("850161", "381")

HITS: list[tuple[str, list[str]]] = [
    (A, [A]),
    (written(A), [written(A)]),
    (written(A, "+"), [written(A, "+")]),
    (written(A, " "), [written(A, " ")]),
    (written(A, "–"), [written(A, "–")]),
    (written(A, "—"), [written(A, "—")]),
    (written(A, "\u00a0"), [written(A, "\u00a0")]),
    (written(A, " - "), [written(A, " - ")]),
    (written(A, "", "19"), [written(A, "", "19")]),
    (written(A, "-", "19"), [written(A, "-", "19")]),
    (written(A, " ", "19"), [written(A, " ", "19")]),
    (written(A, "–", "19"), [written(A, "–", "19")]),
    (written(C, "-", "20"), [written(C, "-", "20")]),
    (written(ten("990101"), "+"), [written(ten("990101"), "+")]),
    (written(ten("991231"), "-", "18"), [written(ten("991231"), "-", "18")]),
    # Samordningsnummer: day + 60.
    (written(SAMORDNING), [written(SAMORDNING)]),
    (ten("850191"), [ten("850191")]),
    (written(ten("000289"), "-", "20"), [written(ten("000289"), "-", "20")]),
    # Leap years: 29 February 2000 exists (1900 does not), so 000229 is accepted.
    (written(ten("000229")), [written(ten("000229"))]),
    (written(ten("040229")), [written(ten("040229"))]),
    (written(ten("960229"), "", "19"), [written(ten("960229"), "", "19")]),
    (written(ten("000229"), "-", "20"), [written(ten("000229"), "-", "20")]),
    # Without a century the date need only exist in 19YY or 20YY, whatever the separator.
    (written(ten("000229"), "+"), [written(ten("000229"), "+")]),
    # Interim numbers and reservnummer: a letter first in the serial, no check digit.
    ("19850101-T123", ["19850101-T123"]),
    ("850101-P234", ["850101-P234"]),
    ("850101T123", ["850101T123"]),
    ("850101 R345", ["850101 R345"]),
    ("850101-t123", ["850101-t123"]),
    ("850161-X999", ["850161-X999"]),
    # Full-width digits are still digits.
    (written(A).translate(FULLWIDTH), [written(A).translate(FULLWIDTH)]),
    # A bare 07x number that has a valid date and passes Luhn may be someone born in 2007.
    (ten("070123", "456"), [ten("070123", "456")]),
    # In Swedish sentences.
    (
        f"Patienten med personnummer {written(A)} är sjukskriven till fredag.",
        [written(A)],
    ),
    (f"pnr:{A}.", [A]),
    (f"Pnr{A}", [A]),
    (f"Gäller ({written(B, ' ')}), se bifogat.", [written(B, " ")]),
    (f"Hon heter Anna, {written(B, '', '19')}, och bor i Malmö.", [written(B, "", "19")]),
    (
        f"Barnen {written(A)} och {written(C, '–', '20')} samt {SAMORDNING}; "
        "reservnummer 850101-T123.",
        [written(A), written(C, "–", "20"), SAMORDNING, "850101-T123"],
    ),
    (f"{A},{B}", [A, B]),
    (f"Ring 070-123 45 67 om {written(A)}", [written(A)]),
]

LOOKALIKES: list[str] = [
    # Phone numbers.
    "070-123 45 67",
    "070 123 45 67",
    "08-123 456 78",
    "+46 70 123 45 67",
    "0701234567",
    "+46701234567",
    "0046701234567",
    "031-12 34 56",
    "Ring mig på 070-123 45 67 eller 08-123 456 78.",
    # Dates and times.
    "2026-11-22",
    "20261122",
    "22/11",
    "22/11-2026",
    "den 22 november 2026",
    "2026-11-22 14:30",
    "kl. 14:30",
    "14.30–15.00",
    "kl 09.00-16.30",
    # Amounts.
    "12 500 kr",
    "1 000 000",
    "1 250 000 kr",
    "SEK 1 234 567,50",
    # Organisation numbers (month digits >= 20), also with the "16" prefix.
    "556016-0680",
    "212000-0142",
    "5560160680",
    "16556016-0680",
    "165560160680",
    # Postal codes, diagnosis codes, case numbers, Bryggan references.
    "211 45 Malmö",
    "SE-211 45",
    "F32.1",
    "F32.1 och F43.2",
    "ärende 2026-123456",
    "Dnr 1.2.3-4567/2026",
    "Se ärende 2026-123456 och Dnr 1.2.3-4567/2026.",
    "F-2026-0042",
    # Part of longer digit runs.
    f"1{A}",
    f"{A}1",
    f"00{A}",
    f"{written(A)}5",
    f"9{written(A, '-', '19')}",
    f"{A}{B}",
    # Wrong check digit.
    spoil(A),
    written(spoil(A)),
    written(spoil(A), "+"),
    written(spoil(A), "-", "19"),
    written(spoil(SAMORDNING)),
    # Impossible dates, with a correct check digit.
    ten("850230"),
    ten("851301"),
    ten("850001"),
    ten("850100"),
    ten("850132"),
    ten("850160"),
    ten("850192"),
    ten("030229"),
    written(ten("000229"), "-", "19"),
    written(ten("850101"), "-", "21"),
    written(ten("850101"), "-", "17"),
    written(ten("850101"), "", "16"),
    # Letter serials need a valid date and the letter first.
    "851301-T123",
    "850132-T123",
    "850101-1T23",
    "850101-TT12",
    "850101-T1234",
    # Separators outside the documented set.
    f"{A[:6]}.{A[6:]}",
    f"{A[:6]}/{A[6:]}",
]


@pytest.mark.parametrize(("text", "expected"), HITS)
def test_finds_identity_numbers(text: str, expected: list[str]) -> None:
    assert find_identity_numbers(text) == expected


@pytest.mark.parametrize("text", LOOKALIKES)
def test_leaves_lookalikes_alone(text: str) -> None:
    assert find_identity_numbers(text) == []


@pytest.mark.parametrize("text", LOOKALIKES)
def test_redaction_leaves_lookalikes_unchanged(text: str) -> None:
    assert redact_identity_numbers(text) == text


def test_redaction_replaces_every_identity_number() -> None:
    text = f"Anna {written(A)} och Bo {B} ringer på 070-123 45 67; interim 850101-T123."
    assert redact_identity_numbers(text) == (
        f"Anna {REDACTION} och Bo {REDACTION} ringer på 070-123 45 67; interim {REDACTION}."
    )


@st.composite
def identity_numbers(draw: st.DrawFn) -> str:
    """Any valid personnummer, samordningsnummer or interim number in any accepted format."""
    born = draw(st.dates(min_value=date(1850, 1, 1), max_value=date(2099, 12, 31)))
    day = born.day + (60 if draw(st.booleans()) else 0)
    yymmdd = f"{born.year % 100:02d}{born.month:02d}{day:02d}"
    serial = f"{draw(st.integers(0, 999)):03d}"
    letter = draw(st.none() | st.sampled_from(string.ascii_letters))
    number = yymmdd + letter + serial if letter else ten(yymmdd, serial)
    century = draw(st.sampled_from(["", str(born.year // 100)]))
    return written(number, draw(st.sampled_from(SEPARATORS)), century)


@given(
    number=identity_numbers(),
    before=st.text(max_size=30).filter(lambda s: not joins_a_number_before(s)),
    after=st.text(max_size=30).filter(lambda s: not visible(s)[:1].isdecimal()),
)
def test_any_identity_number_in_any_text_is_found(number: str, before: str, after: str) -> None:
    text = before + number + after
    assert number in find_identity_numbers(text)
    assert number not in redact_identity_numbers(text)


@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    serial=st.integers(0, 9999),
)
def test_ten_digits_with_valid_date_are_found_exactly_when_luhn_passes(
    born: date, serial: int
) -> None:
    number = f"{born:%y%m%d}{serial:04d}"
    is_valid = check_digit(number[:9]) == number[9]
    assert (find_identity_numbers(number) == [number]) is is_valid


# Not a digit, not a separator or one of its look-alikes (spaces, line breaks, dashes, pluses),
# not invisible, not a full-width letter that could start a serial.
DIGIT_RUN_BREAKERS = st.characters(
    exclude_categories=("Nd", "Cs", "Cf", "Cc", "Zs", "Zl", "Zp", "Pd"),
    exclude_characters=SEPARATOR_CHARS
    + INVISIBLE_CHARS
    + "+\u02d7\u2043\u2212\u2795\u2796\ufb29\ufe62\uff0b",
).filter(lambda c: not "\uff21" <= c <= "\uff5a")


@st.composite
def texts_without_long_digit_runs(draw: st.DrawFn) -> str:
    """Text whose runs of digits and separators never hold ten digits or more."""
    parts: list[str] = []
    digits_in_run = 0
    for kind in draw(st.lists(st.sampled_from(["digits", "separator", "text"]), max_size=20)):
        if kind == "digits":
            digits = draw(st.text(alphabet=string.digits, min_size=1, max_size=9))
            if digits_in_run + len(digits) >= 10:
                parts.append(draw(DIGIT_RUN_BREAKERS.filter(lambda c: not c.isalpha())))
                digits_in_run = 0
            parts.append(digits)
            digits_in_run += len(digits)
        elif kind == "separator":
            alphabet = SEPARATOR_CHARS + INVISIBLE_CHARS
            parts.append(draw(st.text(alphabet=alphabet, min_size=1, max_size=3)))
        else:
            parts.append(draw(st.text(alphabet=DIGIT_RUN_BREAKERS, min_size=1, max_size=8)))
            digits_in_run = 0
    text = "".join(parts)
    assume(not re.search(r"\d{6}\D{0,13}[A-Za-z]\d{3}", visible(text)))  # letter-serial forms
    return text


@given(texts_without_long_digit_runs())
def test_text_without_long_digit_runs_never_matches(text: str) -> None:
    assert find_identity_numbers(text) == []
    assert redact_identity_numbers(text) == text


@given(st.text() | st.text(alphabet="0123456789 -+–T/x", max_size=60))
def test_never_raises_and_reports_substrings_in_order(text: str) -> None:
    hits = find_identity_numbers(text)
    position = 0
    for hit in hits:
        position = text.index(hit, position) + len(hit)
    redacted = redact_identity_numbers(text)
    assert find_identity_numbers(redacted) == []
    assert (redacted == text) is (not hits)
