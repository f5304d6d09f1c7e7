"""The command registry: each command declared once gives parsing, help and suggestions."""

from __future__ import annotations

import pytest

from handlers.commands.builtin import core_commands
from handlers.kernel import texts
from handlers.kernel.commands import Extension, Help, Unknown
from handlers.kernel.context import Context, Reply
from handlers.kernel.registry import extension, prefixed

REGISTRY = core_commands(max_text=2000)


def test_every_command_is_listed_in_help_once() -> None:
    shown = REGISTRY.help()
    assert shown.startswith(texts.HELP_INTRO)
    for spec in REGISTRY:
        if spec.listed:
            assert shown.count(f"\n/{spec.name} ") + shown.count(f"\n/{spec.name} –") >= 1, spec
    assert "/hjälp <kommando>" in shown


def test_help_for_one_command_is_its_full_text() -> None:
    assert REGISTRY.help("fråga").startswith("/fråga enhet:<enhet>")
    assert "samtycke" in REGISTRY.help("fråga")
    assert "I frågekortets tråd" in REGISTRY.help("/TA")
    assert "Menade du /stäng?" in REGISTRY.help("stnäg")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("fråg", "fråga"), ("fraagor", "frågor"), ("stnäg", "stäng"), ("återöpna", "återöppna")],
)
def test_misspelled_commands_get_a_suggestion(typed: str, meant: str) -> None:
    assert REGISTRY.parse(f"/{typed} F-2026-0001") == Unknown(typed)
    assert REGISTRY.unknown(typed) == texts.UNKNOWN_COMMAND_SUGGEST.format(
        word=typed, suggestion=meant
    )


def test_a_word_far_from_every_command_gets_no_guess() -> None:
    assert REGISTRY.unknown("xyzzy") == texts.UNKNOWN_COMMAND.format(word="xyzzy")


def test_ascii_and_aliases_name_the_same_command() -> None:
    for word in ("fråga", "fraga", "FRÅGA", "!fråga", "/Fraga"):
        spec = REGISTRY.find(word)
        assert spec is not None and spec.name == "fråga"
    assert REGISTRY.find("mina") is REGISTRY.find("frågor")
    assert REGISTRY.parse("") == Help()


def test_a_command_word_cannot_be_declared_twice() -> None:
    registry = core_commands(max_text=2000)
    with pytest.raises(ValueError, match="already taken"):
        registry.register(extension("ta", lambda ctx, arguments: Reply(""), summary="x"))


def test_an_added_command_parses_shows_in_help_and_in_every_platforms_hints() -> None:
    def run(ctx: Context, arguments: str) -> Reply:
        return Reply(arguments)

    registry = core_commands(max_text=2000)
    registry.register(extension("provkommando", run, summary="ett prov", usage="<text>"))
    assert registry.parse("!provkommando hej") == Extension("provkommando", "hej")
    assert "/provkommando <text> – ett prov" in registry.help()
    assert registry.render_hints("Skriv /provkommando.", prefixed("!")) == "Skriv !provkommando."
