"""`/frågor` with filters: `otilldelade`, `öppna`, `stängda`, `alla` and `enhet:<enhet>`.

Contacts filter the questions of the units they serve, admins every unit's; someone who
only asks filters her own questions. The lists are the longest-waiting first and paged
like the plain `/frågor`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.kernel import (
    OPEN_STATUSES,
    Context,
    Question,
    Status,
    Unit,
    UserError,
    fold,
    match_choice,
    texts,
)

ALL_LISTED = 10_000
"""Enough to read every question a filter can name in one unit's history."""
_STATUS_WORDS: dict[str, frozenset[Status] | None] = {
    "otilldelade": OPEN_STATUSES,
    "oppna": OPEN_STATUSES,
    "stangda": frozenset({Status.STANGD}),
    "alla": None,
}
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
"""A page number as typed: ASCII digits, no leading zero, at most six of them."""
_SHOWN = {"otilldelade": "otilldelade", "oppna": "öppna", "stangda": "stängda", "alla": "alla"}


@dataclass(frozen=True)
class QueueFilter:
    """What `/frågor <filter>` asks for; `words` are the status words as typed (folded)."""

    words: tuple[str, ...] = ()
    unit: Unit | None = None
    page: int = 1

    @property
    def any(self) -> bool:
        return bool(self.words) or self.unit is not None

    @property
    def statuses(self) -> list[Status] | None:
        """The statuses asked for; None is every status (`alla`)."""
        if not self.words:
            return list(OPEN_STATUSES)
        found: set[Status] = set()
        for word in self.words:
            wanted = _STATUS_WORDS[word]
            if wanted is None:
                return None
            found |= wanted
        return sorted(found)

    def label(self) -> str:
        """The filters as a person would type them: `öppna enhet:lund`."""
        words = [_SHOWN[w] for w in self.words]
        return " ".join(words + ([f"enhet:{self.unit.slug}"] if self.unit else []))


def parse_filter(ctx: Context, typed: str) -> QueueFilter:
    """The filters and page of `/frågor …`; anything else is refused with the choices.

    A page is `sida N` or a bare `N`, digits only: `15/12` is not page 1512."""
    words: list[str] = []
    unit: Unit | None = None
    page: int | None = None
    tokens = iter(typed.split())
    for token in tokens:
        key = fold(token)
        if token.casefold() == "sida":
            number = next(tokens, "")
            page = _page(number, f"{token} {number}".strip(), page)
        elif _PAGE_NUMBER.fullmatch(token):
            page = _page(token, token, page)
        elif key in _STATUS_WORDS:
            words.append(key)
        elif token.lower().startswith("enhet:"):
            unit = _unit(ctx, token.split(":", 1)[1])
        else:
            raise UserError(texts.QUESTIONS_FILTER_USAGE.format(typed=token[:40]))
    return QueueFilter(tuple(dict.fromkeys(words)), unit, page or 1)


def _page(number: str, typed: str, earlier: int | None) -> int:
    """The page `number` names; a second page, or a number that is no page, is refused."""
    if earlier is not None or not _PAGE_NUMBER.fullmatch(number):
        raise UserError(texts.QUESTIONS_FILTER_USAGE.format(typed=typed[:40]))
    return int(number)


def _unit(ctx: Context, typed: str) -> Unit:
    units = ctx.store.units()
    match = match_choice(typed, [(u, (u.slug, u.name)) for u in units])
    if match.value is None:
        valid = texts.choices(u.slug for u in units)
        raise UserError(texts.FIELD_UNKNOWN.format(typed=typed[:40], label="enhet", valid=valid))
    return match.value


def filtered(ctx: Context, wanted: QueueFilter) -> list[Question]:
    """The questions `wanted` names that the actor may list, longest-waiting first."""
    actor = ctx.actor
    served = sorted({c.unit_id for c in ctx.store.unit_contacts() if c.person_id == actor.id})
    if not actor.is_admin and not served:
        if "otilldelade" in wanted.words or wanted.unit is not None:
            word = "enhet" if wanted.unit is not None else "otilldelade"
            raise UserError(texts.QUESTIONS_FILTER_CONTACTS.format(word=word))
        return ctx.store.question_queue(
            statuses=wanted.statuses, asker_id=actor.id, limit=ALL_LISTED
        )
    units: list[int] | None = None if actor.is_admin else served
    if wanted.unit is not None:
        if units is not None and wanted.unit.id not in units:
            raise UserError(texts.QUESTIONS_NOT_YOUR_UNIT.format(unit=wanted.unit.name))
        units = [wanted.unit.id]
    return ctx.store.question_queue(
        unit_ids=units,
        statuses=wanted.statuses,
        unassigned="otilldelade" in wanted.words,
        limit=ALL_LISTED,
    )


def heading(wanted: QueueFilter, count: int) -> str:
    """`Öppna frågor i Vuxenpsykiatri Lund (3):`."""
    first = "alla" if wanted.statuses is None else (wanted.words or ("oppna",))[0]
    what = texts.QUESTIONS_FILTER_WHAT[_SHOWN[first]]
    if wanted.unit is not None:
        what += texts.QUESTIONS_IN_UNIT.format(unit=wanted.unit.name)
    return texts.QUESTIONS_FILTERED.format(what=what, count=count)
