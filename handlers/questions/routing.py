"""Who gets a new question: a pure function over contacts, absences and open load."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from handlers.kernel import Absence, Direction, UnitContact


class RouteKind(StrEnum):
    PRIMARY = "primary"
    SUBSTITUTE = "substitute"
    BACKUP = "backup"
    UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class RouteDecision:
    """The chosen assignee and why; `absent_id`/`absent_until` name who was replaced."""

    kind: RouteKind
    assignee_id: int | None
    absent_id: int | None = None
    absent_until: date | None = None
    shared_with: int = 0


def route_question(
    *,
    unit_id: int,
    direction: Direction,
    contacts: Sequence[UnitContact],
    absences: Sequence[Absence],
    open_counts: Mapping[int, int] | Callable[[list[int]], Mapping[int, int]],
    day: date,
) -> RouteDecision:
    """Route to the unit's contact for the direction, else a named substitute, else a backup.

    Among several available people the one with the fewest open questions wins (ties go to
    the order of the configuration). Nobody available gives an unassigned decision.
    `open_counts` may be a function of the candidates: it is then asked only when there is
    a choice to make (most units have one contact per direction, so most questions need no
    count).
    """
    relevant = [c for c in contacts if c.unit_id == unit_id and c.direction == direction]
    primaries = _unique(c.person_id for c in relevant if not c.backup)
    backups = _unique(c.person_id for c in relevant if c.backup)
    away = {a.person_id: a for a in absences if a.start <= day <= a.end}

    def least_loaded(candidates: list[int]) -> int:
        if len(candidates) == 1:
            return candidates[0]
        counts = open_counts(candidates) if callable(open_counts) else open_counts
        return min(candidates, key=lambda p: (counts.get(p, 0), candidates.index(p)))

    present = [p for p in primaries if p not in away]
    if present:
        return RouteDecision(RouteKind.PRIMARY, least_loaded(present), shared_with=len(present))

    substitutes = {
        a.substitute_id: a
        for p in primaries
        if (a := away[p]).substitute_id is not None and a.substitute_id not in away
    }
    if substitutes:
        chosen = least_loaded([s for s in substitutes if s is not None])
        absence = substitutes[chosen]
        return RouteDecision(RouteKind.SUBSTITUTE, chosen, absence.person_id, absence.end)

    first_away = away.get(primaries[0]) if primaries else None
    absent_id = first_away.person_id if first_away else None
    absent_until = first_away.end if first_away else None
    present_backups = [p for p in backups if p not in away]
    if present_backups:
        return RouteDecision(
            RouteKind.BACKUP, least_loaded(present_backups), absent_id, absent_until
        )
    return RouteDecision(RouteKind.UNASSIGNED, None, absent_id, absent_until)


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))
