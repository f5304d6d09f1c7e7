"""The core's own commands, each declared once: words, arguments, help, parsing, action."""

from __future__ import annotations

from collections.abc import Callable
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
    ListQuestions,
    ManageCategories,
    MarkAnswered,
    Registry,
    Reopen,
    Reply,
    ReportAbsence,
    Show,
    canonical_ref,
    texts,
)
from handlers.meetings import flag_asked_question
from handlers.questions import (
    answer,
    ask,
    claim,
    close,
    forward,
    list_mine,
    manage_categories,
    mark_answered,
    register_absence,
    reopen,
    show,
)

R = TypeVar("R", Show, Claim, MarkAnswered, Close, Reopen)


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
            usage="[sida N]",
            aliases=("mina",),
        )
    )
    registry.register(_ref_spec("visa", Show, "visa en fråga med tråden", show))
    registry.register(_ref_spec("ta", Claim, "ta en fråga", claim))
    registry.register(_ref_spec("besvarad", MarkAnswered, "markera som besvarad", mark_answered))
    registry.register(_ref_spec("stäng", Close, "stäng en fråga", close))
    registry.register(_ref_spec("återöppna", Reopen, "öppna en fråga igen", reopen))
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
            parse=parse_forward,
            run=lambda ctx, command: forward(ctx, command.ref, command.target),
            summary="lämna över frågan till en annan kontaktperson",
            usage="F-… @person",
            audience=Audience.CONTACTS,
        )
    )
    registry.register(
        CommandSpec(
            name="frånvaro",
            kind=ReportAbsence,
            parse=parse_absence,
            run=register_absence,
            summary="anmäl frånvaro, med en ersättare som tar dina nya frågor",
            usage="<från> <till> [ersättare @person]",
            details=texts.ABSENCE_DETAILS,
            audience=Audience.CONTACTS,
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
