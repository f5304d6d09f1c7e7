"""The command grammar: forgiving words and fields, and properties over random text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.commands.builtin import core_commands
from handlers.commands.grammar import ask_fields
from handlers.kernel.commands import (
    Answer,
    Ask,
    ChatUser,
    Claim,
    Close,
    Forward,
    Help,
    ListQuestions,
    MarkAnswered,
    Reopen,
    ReportAbsence,
    Typed,
    Unknown,
    canonical_ref,
)
from handlers.kernel.matching import fold, match_choice

parse = core_commands(max_text=2000).parse


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/frågor", ListQuestions()),
        ("/FRAGOR", ListQuestions()),
        ("!fragor", ListQuestions()),
        ("/mina", ListQuestions()),
        ("/ta F-2026-0042", Claim("F-2026-0042")),
        ("ta f-2026-42", Claim("F-2026-0042")),
        ("/stang F-2026-0001", Close("F-2026-0001")),
        ("/Återöppna F-2026-0001", Reopen("F-2026-0001")),
        ("/besvarad", MarkAnswered(None)),
        ("/svara F-2026-0001 Ja, det går.", Answer("F-2026-0001", "Ja, det går.")),
        ("/flytta F-2026-0001 @sofia", Forward("F-2026-0001", Typed("@sofia"))),
        ("/flytta F-2026-0001 <@U123>", Forward("F-2026-0001", ChatUser("U123"))),
        ("/franvaro 1/12 5/12 ersättare @sofia", ReportAbsence("1/12 5/12", "@sofia")),
        ("/hjalp", Help("")),
        ("/nonsens", Unknown("nonsens")),
        ("", Help()),
    ],
)
def test_commands(line: str, expected: object) -> None:
    assert parse(line) == expected


def test_fields_may_also_end_the_line() -> None:
    parsed = parse('/fråga enhet:kristianstad kategori:sgi Hur blir det? frist:"15 dec"')
    assert parsed == Ask(
        "Hur blir det?", unit="kristianstad", category="sgi", deadline=Typed("15 dec")
    )


@pytest.mark.parametrize(
    ("line", "fields", "text"),
    [
        ("frist:15 dec Hur blir det?", {"frist": "15 dec"}, "Hur blir det?"),
        ("frist:nästa fredag Hur blir det?", {"frist": "nästa fredag"}, "Hur blir det?"),
        ("frist:fredag i veckan Hur?", {"frist": "fredag i veckan"}, "Hur?"),
        ("frist:fredag i Lund?", {"frist": "fredag"}, "i Lund?"),
        ("frist:15 dec kategori:sgi Hur?", {"frist": "15 dec", "kategori": "sgi"}, "Hur?"),
        ("frist: 15 dec Hur?", {"frist": "15 dec"}, "Hur?"),
        ("Obs: viktigt", {}, "Obs: viktigt"),
        ("frist:15 decembrr i Lund?", {"frist": "15 decembrr"}, "i Lund?"),
        (
            "samtycke_av:Dr Andersson samtycke:muntligt Hur?",
            {"samtycke_av": "Dr Andersson", "samtycke": "muntligt"},
            "Hur?",
        ),
        ("samtycke_av:Dr Andersson Hur går det?", {"samtycke_av": "Dr Andersson"}, "Hur går det?"),
        ('samtycke_av:"Anna Maria Holm" Hur?', {"samtycke_av": "Anna Maria Holm"}, "Hur?"),
        ("samtycke_av:”Anna Holm” Hur?", {"samtycke_av": "Anna Holm"}, "Hur?"),
        (
            "kategori:sgi Gäller kl:14 och OBS:viktigt?",
            {"kategori": "sgi"},
            "Gäller kl:14 och OBS:viktigt?",
        ),
        ("kategori:sgi Se https://fk.se/sgi", {"kategori": "sgi"}, "Se https://fk.se/sgi"),
        ("kategori:sgi 10:30 passar?", {"kategori": "sgi"}, "10:30 passar?"),
        (
            "kategori:sgi Gäller enhet:lund även Malmö?",
            {"kategori": "sgi"},
            "Gäller enhet:lund även Malmö?",
        ),
        (
            "Hur går det? enhet:lund kategori:sgi",
            {"enhet": "lund", "kategori": "sgi"},
            "Hur går det?",
        ),
        ("kategori:sgi Hur? frist:15 dec kl:14", {"kategori": "sgi"}, "Hur? frist:15 dec kl:14"),
    ],
)
def test_values_with_spaces(line: str, fields: dict[str, str], text: str) -> None:
    """Quoted, up to the next known field, a date as far as it reads, a title and a name;
    `word:word` in the text stays text."""
    assert ask_fields(line) == (fields, text, ())


def test_an_unknown_key_before_the_text_is_reported() -> None:
    assert ask_fields("enhett:lund kategori:sgi Hej") == ({"kategori": "sgi"}, "Hej", ("enhett",))


def test_ask_keeps_colons_in_text() -> None:
    parsed = parse("/fråga kategori:regler Notera: kl 10:30 gäller, se punkt 3:2")
    assert isinstance(parsed, Ask)
    assert parsed.text == "Notera: kl 10:30 gäller, se punkt 3:2"


def test_matching_is_forgiving() -> None:
    choices = [("hassleholm", ("hassleholm", "Vuxenpsykiatri Hässleholm")), ("lund", ("lund",))]
    assert match_choice("Hässl", choices).value == "hassleholm"
    assert match_choice("HASSLEHOLM", choices).value == "hassleholm"
    assert match_choice("lu", choices).value == "lund"
    assert match_choice("vuxen", choices).value == "hassleholm"
    assert match_choice("x", choices).value is None
    assert fold("Återöppna!") == "ateroppna"


@given(st.text(max_size=300))
def test_parse_never_raises(text: str) -> None:
    parse(text)
    parse("/fråga " + text)
    parse("/svara F-2026-0001 " + text)


@given(st.integers(min_value=1, max_value=999_999), st.integers(min_value=2000, max_value=2099))
def test_references_are_normalised(number: int, year: int) -> None:
    assert canonical_ref(f"se f-{year}-{number} tack") == f"F-{year}-{number:04d}"


@given(
    st.dictionaries(
        st.sampled_from(["enhet", "kategori", "riktning", "frist", "samtycke"]),
        st.text(
            alphabet="abcdefghijklmnopqrstuvwxyzåäö-/0123456789", min_size=1, max_size=12
        ).filter(lambda value: not value.startswith("/")),
    ),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö ?.,%", max_size=80),
)
def test_ask_fields_round_trip(fields: dict[str, str], text: str) -> None:
    text = "Hur " + text  # a first word that no date reading could take
    rest = " ".join(f"{k}:{v}" for k, v in fields.items()) + " " + text
    parsed_fields, parsed_text, unknown = ask_fields(rest)
    assert parsed_fields == fields
    assert parsed_text == " ".join(text.split())
    assert unknown == ()
    assert isinstance(parse("/fråga " + rest), Ask)


@pytest.mark.timeout(30)
def test_a_very_long_word_is_read_in_linear_time() -> None:
    """One 200,000-letter word (a Matrix event holds 64 KiB; Slack's text fields more). With an
    unbounded field key every start in the word scanned to its end: 20,000 letters took 5 s,
    200,000 would take minutes and hit the deadline."""
    fields, text, unknown = ask_fields("kategori:sgi " + "a" * 200_000)
    assert fields == {"kategori": "sgi"} and len(text) == 200_000 and unknown == ()
    parsed = parse("/fråga enhet:lund " + "b" * 200_000)
    assert isinstance(parsed, Ask) and parsed.unit == "lund" and len(parsed.text) == 200_000
