"""The core's own commands, each declared once: words, arguments, help, parsing, action."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TypeVar

from handlers.commands.grammar import (
    parse_absence,
    parse_answer,
    parse_ask,
    parse_categories,
    parse_forward,
)
from handlers.kernel import (
    Answer,
    Ask,
    Audience,
    Claim,
    Close,
    CommandSpec,
    Context,
    Forward,
    Help,
    Helped,
    ListQuestions,
    ManageCategories,
    MarkAnswered,
    Registry,
    Release,
    Reopen,
    Reply,
    ReportAbsence,
    Show,
    canonical_ref,
    fold,
    texts,
)
from handlers.meetings import flag_asked_question
from handlers.questions import (
    MoveAll,
    absence_command,
    answer,
    answered_helped,
    ask,
    claim,
    close,
    forward,
    list_mine,
    manage_categories,
    mark_answered,
    move_all,
    parse_move_all,
    release,
    reopen,
    show,
)

R = TypeVar("R", Show, Claim, MarkAnswered, Close, Reopen, Release)


def _ref_spec(
    name: str, kind: type[R], summary: str, run: Callable[[Context, str | None], Reply]
) -> CommandSpec[R]:
    return CommandSpec(
        name=name,
        kind=kind,
        parse=lambda arguments: kind(canonical_ref(arguments)),
        run=lambda ctx, command: run(ctx, command.ref),
        summary=summary,
        usage="F-…",
        details=texts.REF_DETAILS.format(summary=summary.capitalize(), name=name),
        audience=Audience.ANYONE if kind is Show else Audience.CONTACTS,
    )


_YES = frozenset({"ja", "j", "yes"})
_NO = frozenset({"nej", "n", "no"})


def parse_helped(arguments: str) -> Helped:
    """`ja F-…`, `nej F-…` (or the reference first); the verdict None when neither."""
    words = {fold(word) for word in arguments.split()}
    yes, no = bool(words & _YES), bool(words & _NO)
    return Helped(canonical_ref(arguments), yes if yes != no else None)


def core_commands(*, max_text: int) -> Registry:
    """A registry with the core's commands; extensions (`puls`, `statistik`) add theirs."""
    registry = Registry()
    registry.register(
        CommandSpec(
            name="fråga",
            kind=Ask,
            parse=parse_ask,
            run=partial(ask, max_text=max_text, flagged=flag_asked_question),
            summary="ställ en fråga",
            usage="enhet:<enhet> kategori:<kategori> riktning:vård-fk|fk-vård <frågan>",
            details=texts.ASK_DETAILS,
        )
    )
    registry.register(
        CommandSpec(
            name="frågor",
            kind=ListQuestions,
            parse=lambda arguments: ListQuestions(arguments.strip()),
            run=lambda ctx, command: list_mine(ctx, command.page),
            summary="dina frågor (för kontaktpersoner: de som väntar på dig)",
            usage="[otilldelade|öppna|stängda|alla] [enhet:<enhet>] [sida N]",
            details=texts.QUESTIONS_DETAILS,
            aliases=("mina",),
        )
    )
    registry.register(_ref_spec("visa", Show, "visa en fråga med tråden", show))
    registry.register(_ref_spec("ta", Claim, "ta en fråga", claim))
    registry.register(_ref_spec("besvarad", MarkAnswered, "markera som besvarad", mark_answered))
    registry.register(_ref_spec("stäng", Close, "stäng en fråga", close))
    registry.register(_ref_spec("återöppna", Reopen, "öppna en fråga igen", reopen))
    registry.register(
        replace(
            _ref_spec("släpp", Release, "lämna tillbaka en fråga du har tagit", release),
            details=texts.RELEASE_DETAILS,
        )
    )
    registry.register(
        CommandSpec(
            name="hjälpte",
            kind=Helped,
            parse=parse_helped,
            run=lambda ctx, command: answered_helped(ctx, command.ref, command.helped),
            summary="säg om svaret på din fråga hjälpte (ja stänger den)",
            usage="ja|nej F-…",
            details=texts.HELPED_DETAILS,
        )
    )
    registry.register(
        CommandSpec(
            name="svara",
            kind=Answer,
            parse=parse_answer,
            run=lambda ctx, command: answer(ctx, command.ref, command.text, max_text=max_text),
            summary="svara eller skriv en följdfråga (eller svara i frågans tråd)",
            usage="F-… <text>",
            details=texts.ANSWER_DETAILS,
        )
    )
    registry.register(
        CommandSpec(
            name="flytta",
            kind=Forward,
            parse=lambda arguments: parse_move_all(arguments) or parse_forward(arguments),
            run=lambda ctx, command: forward(ctx, command.ref, command.target),
            summary="lämna över frågan till en annan kontaktperson",
            usage="F-… @person | alla <från-person> <till-person>",
            details=texts.FORWARD_DETAILS,
            audience=Audience.CONTACTS,
        )
    )
    registry.register(
        CommandSpec(
            name="frånvaro",
            kind=ReportAbsence,
            parse=parse_absence,
            run=absence_command,
            summary="anmäl, visa, ändra eller ta bort frånvaro (med en ersättare)",
            usage="[<från> <till> [ersättare @person] | ändra <nr> … | ta-bort <nr>]",
            details=texts.ABSENCE_DETAILS,
            audience=Audience.CONTACTS,
        )
    )
    registry.register(
        CommandSpec(
            name="flytta-alla",
            kind=MoveAll,
            parse=MoveAll,
            run=move_all,
            summary="flytta alla öppna frågor från en person till en annan",
            usage="<från-person> <till-person>",
            details=texts.FORWARD_DETAILS,
            audience=Audience.CONTACTS,
            listed=False,
        )
    )
    registry.register(
        CommandSpec(
            name="kategori",
            kind=ManageCategories,
            parse=parse_categories,
            run=manage_categories,
            summary="lista kategorierna (administratörer kan lägga till och byta namn)",
            details=texts.CATEGORY_USAGE,
            aliases=("kategorier",),
        )
    )
    registry.register(
        CommandSpec(
            name="hjälp",
            kind=Help,
            parse=lambda arguments: Help(arguments),
            run=lambda ctx, command: Reply(registry.help(command.topic)),
            summary="visa vad Bryggan kan; /hjälp <kommando> visar ett kommando",
            usage="[kommando]",
            aliases=("help",),
            listed=False,
        )
    )
    return registry
