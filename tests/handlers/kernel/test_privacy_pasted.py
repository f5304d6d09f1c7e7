"""The guard on numbers as people paste them from journal systems and documents: invisible
characters, odd spaces and dashes, full-width digits, line breaks and spaced groups. Found
exactly as written; the look-alikes still pass, however they are pasted."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.kernel import texts
from handlers.kernel.privacy import REDACTION, find_identity_numbers, redact_identity_numbers
from tests.handlers.kernel.test_privacy import LOOKALIKES, spoil, ten, visible

ZWSP, ZWNJ, ZWJ, WJ, SHY, BOM = "\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff"
INVISIBLES = [ZWSP, ZWNJ, ZWJ, WJ, SHY, BOM, "\u200e", "\u200f", "\u2066", "\u034f"]
NBSP, NARROW, FIGURE_SPACE, THIN, IDEOGRAPHIC = "\u00a0", "\u202f", "\u2007", "\u2009", "\u3000"
SPACES = [" ", NBSP, NARROW, FIGURE_SPACE, THIN, IDEOGRAPHIC, "\t"]
DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\uff0d"]
LINE_BREAKS = ["\n", "\r\n", "\r", "\u2028"]
FULL_WIDTH = str.maketrans("0123456789-+", "０１２３４５６７８９－＋")

PNR = "19121212-1212"  # Skatteverket's well-known test number
A = ten("850101")
SAMORDNING = ten("850161", "381")


def between(number: str, character: str, *positions: int) -> str:
    """``number`` with ``character`` inserted before each of ``positions``."""
    for position in sorted(positions, reverse=True):
        number = number[:position] + character + number[position:]
    return number


PASTED: list[str] = [
    # Invisible characters between digits, one kind at a time and mixed.
    *(between(PNR, invisible, 3, 7) for invisible in INVISIBLES),
    between(A, ZWSP, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    between(f"{A[:6]}-{A[6:]}", SHY, 6, 7),
    between(A[:6] + "-" + A[6:], ZWJ + WJ + BOM, 2, 9),
    between(SAMORDNING, ZWNJ, 6),
    between("850101-T123", ZWSP, 3, 8),
    # Odd spaces as the separator, and dash look-alikes.
    *(f"{A[:6]}{space}{A[6:]}" for space in SPACES),
    *(f"{A[:6]}{dash}{A[6:]}" for dash in DASHES),
    *(f"19{A[:6]}{dash}{A[6:]}" for dash in DASHES[1:]),
    f"{A[:6]}{NBSP}\u2013{NBSP}{A[6:]}",
    f"{A[:6]}{NARROW}\u2212{A[6:]}",
    # Full-width digits, in whole and in part, with a full-width dash.
    PNR.translate(FULL_WIDTH),
    "19１２１２１２-1212",
    f"{A[:6]}＋{A[6:]}".translate(FULL_WIDTH),
    "850101-Ｔ123",
    # Broken over a line after the date part.
    *(f"{A[:6]}{line_break}{A[6:]}" for line_break in LINE_BREAKS),
    f"{A[:6]}-\n{A[6:]}",
    f"{A[:6]} -\r\n{A[6:]}",
    "19121212\n1212",
    # Two or more spaces as the separator.
    f"{A[:6]}  {A[6:]}",
    f"{A[:6]}      {A[6:]}",
    f"{A[:6]}   -   {A[6:]}",
    f"19121212{NBSP}{NBSP}1212",
    # Spaced groups: the century apart from the date.
    "19 121212-1212",
    "19  121212 1212",
    "19\n121212-1212",
    f"20 {ten('050505', '234')[:6]}-{ten('050505', '234')[6:]}",
    f"19{NBSP}{A[:6]}{NBSP}{A[6:]}",
    # All at once, as a journal system might paste it.
    f"19{NARROW}{between('121212', ZWSP, 2, 4)}{SHY}\u2011{WJ}1212".translate(FULL_WIDTH),
]


@pytest.mark.parametrize("number", PASTED)
def test_pasted_numbers_are_found_exactly_as_written(number: str) -> None:
    text = f"Pat.{NBSP}{number}{ZWSP}, remiss {ZWSP}F32.1 skickad."
    assert find_identity_numbers(text) == [number]
    assert (
        redact_identity_numbers(text) == f"Pat.{NBSP}{REDACTION}{ZWSP}, remiss {ZWSP}F32.1 skickad."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A spaced century that would make the date impossible is not part of the number.
        (f"19 {ten('000229')[:6]}-{ten('000229')[6:]}", f"{ten('000229')[:6]}-{ten('000229')[6:]}"),
        # Not a century at all: the number starts after it.
        (f"17 {A[:6]}-{A[6:]}", f"{A[:6]}-{A[6:]}"),
        (f"kl 10 {A[:6]}-{A[6:]}", f"{A[:6]}-{A[6:]}"),
        # Invisible characters around a number stay outside it.
        (f"{ZWSP}{BOM}{A}{ZWSP}{ZWSP}", A),
    ],
)
def test_the_span_is_the_number_itself(text: str, expected: str) -> None:
    assert find_identity_numbers(text) == [expected]
    start = text.index(expected)
    assert redact_identity_numbers(text) == (
        text[:start] + REDACTION + text[start + len(expected) :]
    )


def test_several_pasted_numbers_map_back_to_their_own_places() -> None:
    first, second = between(PNR, ZWSP, 2, 4, 9), f"{A[:6]}\n{A[6:]}"
    text = f"{BOM}Mor {first} ({ZWJ}ring 070{NBSP}123{NBSP}45{NBSP}67) och barn{WJ}:\r\n{second}."
    assert find_identity_numbers(text) == [first, second]
    assert redact_identity_numbers(text) == (
        f"{BOM}Mor {REDACTION} ({ZWJ}ring 070{NBSP}123{NBSP}45{NBSP}67) och barn{WJ}:\r\n"
        f"{REDACTION}."
    )


PASTED_LOOKALIKES: list[str] = [
    # Phones, dates, times and amounts with the characters documents use.
    f"070\u2011123{NBSP}45{NBSP}67",
    f"08\u2013123{NARROW}456{NARROW}78",
    f"+46{NBSP}70{NBSP}123{NBSP}45{NBSP}67",
    "070-123 45 67\n070-765 43 21",
    "０７０－１２３ ４５ ６７",
    "2026\u201111\u201122",
    f"2026{ZWSP}11{ZWSP}22",
    "2026-11-22\n14:30",
    "14.30\u201315.00",
    f"kl{NBSP}09.00\u221216.30",
    f"12{NBSP}500{NBSP}kr",
    f"1{NARROW}250{NARROW}000{NBSP}kr",
    # Organisation numbers, however they are written.
    "556016\u20110680",
    "５５６０１６－０６８０",
    "556016\n0680",
    "16 556016-0680",
    "556016  0680",
    # Postal codes, diagnosis codes, case numbers.
    f"211{NBSP}45{NBSP}Malmö",
    f"F32.1{ZWSP}",
    "ärende 2026\u2013123456",
    "Dnr 1.2.3\u20114567/2026",
    # Invisible characters make no digit run shorter: these are eleven and twelve digits.
    f"1{ZWSP}{A}",
    f"{A}{WJ}1",
    f"{A[:6]}-{A[6:]}{SHY}5",
    # Not a century: too many digits before the date.
    f"1919{A[:6]}-{A[6:]}",
    # Wrong check digits and impossible dates, pasted.
    between(spoil(A), ZWSP, 6),
    f"{spoil(A)[:6]}\n{spoil(A)[6:]}",
    f"19 {spoil(A)[:6]}-{spoil(A)[6:]}",
    between(ten("851301"), SHY, 6),
    # Separators outside the documented set stay outside it, invisible characters or not.
    f"{A[:6]}.{ZWSP}{A[6:]}",
    f"{A[:6]}/{A[6:]}",
    f"{A[:6]}--{A[6:]}",
    f"{A[:6]}       {A[6:]}",
]


@pytest.mark.parametrize("text", PASTED_LOOKALIKES)
def test_pasted_lookalikes_pass(text: str) -> None:
    assert find_identity_numbers(text) == []
    assert redact_identity_numbers(text) == text


# Properties: random invisible characters, spaces, dashes and full-width digits.


@st.composite
def pasted(draw: st.DrawFn, plain: str) -> str:
    """``plain`` as a document might carry it: invisible characters between any two characters,
    each space one of the space characters, each dash a look-alike, some digits full-width."""
    out: list[str] = []
    for index, character in enumerate(plain):
        if character == " ":
            character = draw(st.sampled_from(SPACES))
        elif character == "-":
            character = draw(st.sampled_from(DASHES))
        elif character.isdigit() and draw(st.booleans()):
            character = character.translate(FULL_WIDTH)
        invisible = draw(st.text(st.sampled_from(INVISIBLES), max_size=2)) if index else ""
        out.append(invisible + character)
    return "".join(out)


@st.composite
def plain_identity_numbers(draw: st.DrawFn) -> str:
    """A valid number with any separator people paste: none, spaces, a line break, a dash or
    plus with spaces around it, and a century that is attached, spaced or left out."""
    born = draw(st.dates(min_value=date(1850, 1, 1), max_value=date(2099, 12, 31)))
    day = born.day + (60 if draw(st.booleans()) else 0)
    yymmdd = f"{born.year % 100:02d}{born.month:02d}{day:02d}"
    serial = f"{draw(st.integers(0, 999)):03d}"
    letter = draw(st.none() | st.sampled_from("TPRXtx"))
    number = yymmdd + letter + serial if letter else ten(yymmdd, serial)
    separator = draw(
        st.sampled_from(["", "+", "-", "\n", "\r\n", "-\n", " -\n"])
        | st.integers(1, 6).map(lambda n: " " * n)
        | st.tuples(st.integers(0, 3), st.sampled_from("-+"), st.integers(0, 3)).map(
            lambda t: " " * t[0] + t[1] + " " * t[2]
        )
    )
    century = draw(st.sampled_from(["", str(born.year // 100), f"{born.year // 100} "]))
    return f"{century}{number[:6]}{separator}{number[6:]}"


@given(st.data())
def test_any_pasted_number_is_found_as_written(data: st.DataObject) -> None:
    number = data.draw(pasted(data.draw(plain_identity_numbers())))
    before = data.draw(st.sampled_from(["", "Pnr: ", f"Pat{NBSP}", "(", "\n", "kl 10 "]))
    text = f"{before}{number}, se journal."
    assert find_identity_numbers(text) == [number]
    assert redact_identity_numbers(text) == f"{before}{REDACTION}, se journal."


@st.composite
def plain_lookalikes(draw: st.DrawFn) -> str:
    """Phone numbers, organisation numbers, dates, times and amounts as people type them."""
    digits = st.integers(0, 9).map(str)
    kind = draw(st.sampled_from(["mobile", "landline", "org", "date", "amount", "postal"]))
    if kind == "mobile":
        n = "".join(draw(st.lists(digits, min_size=7, max_size=7)))
        return f"07{draw(digits)}-{n[:3]} {n[3:5]} {n[5:]}"
    if kind == "landline":
        n = "".join(draw(st.lists(digits, min_size=8, max_size=8)))
        return f"0{draw(st.integers(10, 99))}-{n[:3]} {n[3:5]} {n[5:]}"
    if kind == "org":
        n = "".join(draw(st.lists(digits, min_size=8, max_size=8)))
        month = draw(st.integers(20, 99))
        separator = draw(st.sampled_from(["-", "", " ", "  ", "\n"]))
        return f"{draw(st.sampled_from(['', '16']))}{n[:2]}{month}{n[2:4]}{separator}{n[4:]}"
    if kind == "date":
        moment = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
        return f"{moment:%Y-%m-%d} {draw(st.integers(0, 23)):02d}.{draw(st.integers(0, 59)):02d}"
    if kind == "amount":
        return f"{draw(st.integers(1, 999))} {draw(st.integers(0, 999)):03d} 000 kr"
    return f"{draw(st.integers(100, 999))} {draw(st.integers(10, 99))}"


@given(st.data())
def test_pasted_lookalikes_never_match(data: st.DataObject) -> None:
    plain = data.draw(st.sampled_from(LOOKALIKES) | plain_lookalikes())
    assume(not find_identity_numbers(plain))  # a look-alike typed plainly passes already
    text = data.draw(pasted(plain))
    assert find_identity_numbers(text) == []
    assert redact_identity_numbers(text) == text


@given(st.text(alphabet=st.sampled_from([*"0123456789 -+\nT", *INVISIBLES, *DASHES, NBSP])))
def test_scanning_reports_original_substrings(text: str) -> None:
    """Whatever the mix, every hit is a piece of the original text, in order, and redacting
    leaves nothing the guard would find."""
    position = 0
    for hit in find_identity_numbers(text):
        position = text.index(hit, position) + len(hit)
        assert visible(hit)[0].isdigit() and visible(hit)[-1].isdigit()
    assert find_identity_numbers(redact_identity_numbers(text)) == []


# What a person notices: the refusal, and that look-alikes pasted the same way are accepted.


@pytest.mark.parametrize(
    "text",
    [
        f"Gäller 19{ZWSP}121212{SHY}\u20111212, se journal",
        "Pat 19 121212-1212 har frågor om SGI",
        "Pat 121212\n1212 har frågor om SGI",
        "Pnr １２１２１２－１２１２",
    ],
)
def test_a_pasted_number_is_refused_and_nothing_is_stored(app: Bryggan, text: str) -> None:
    reply = app.core.handle(Request("console", "lisa", f"/fråga kategori:sgi {text}"))
    assert reply is not None and reply.text == texts.IDENTITY_NUMBER.format(
        place=texts.IDENTITY_PLACES["question"]
    )
    listing = app.core.handle(Request("console", "lisa", "/frågor"))
    assert listing is not None and "F-" not in listing.text


def test_pasted_text_without_a_number_is_stored_as_written(app: Bryggan) -> None:
    text = f"Ring{NBSP}070\u2011123{NBSP}45{NBSP}67{ZWSP} om F32.1,\nbeslut 2026\u201111\u201120."
    reply = app.core.handle(Request("console", "lisa", f"/fråga kategori:sgi {text}"))
    assert reply is not None and "är registrerad" in reply.text
    ref = re.search(r"F-\d{4}-\d{4}", reply.text)
    assert ref is not None
    card = app.core.handle(Request("console", "lisa", f"/visa {ref.group()}"))
    assert card is not None and text in card.text
