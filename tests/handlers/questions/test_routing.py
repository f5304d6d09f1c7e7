"""Routing: contact, substitute, backup, load balancing and nobody available."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from handlers.kernel.model import Absence, Direction, UnitContact
from handlers.questions.routing import RouteDecision, RouteKind, route_question

VARD = Direction.VARD_TILL_FK
DAY = date(2026, 12, 10)
ANNA, SOFIA, BERIT, RUT = 1, 2, 3, 4


def contacts(*entries: tuple[int, bool]) -> list[UnitContact]:
    return [UnitContact(10, person, VARD, backup) for person, backup in entries]


def away(person: int, substitute: int | None = None) -> Absence:
    return Absence(1, person, date(2026, 12, 1), date(2026, 12, 14), substitute)


def route(
    cs: list[UnitContact], absences: Sequence[Absence] = (), load: Mapping[int, int] | None = None
) -> RouteDecision:
    return route_question(
        unit_id=10, direction=VARD, contacts=cs, absences=absences, open_counts=load or {}, day=DAY
    )


def test_primary_contact_gets_it() -> None:
    decision = route(contacts((ANNA, False), (BERIT, True)))
    assert (decision.kind, decision.assignee_id) == (RouteKind.PRIMARY, ANNA)


def test_named_substitute_replaces_absent_contact() -> None:
    decision = route(contacts((ANNA, False), (BERIT, True)), [away(ANNA, SOFIA)])
    assert (decision.kind, decision.assignee_id) == (RouteKind.SUBSTITUTE, SOFIA)
    assert decision.absent_id == ANNA and decision.absent_until == date(2026, 12, 14)


def test_backup_when_absent_without_substitute() -> None:
    decision = route(contacts((ANNA, False), (BERIT, True)), [away(ANNA)])
    assert (decision.kind, decision.assignee_id, decision.absent_id) == (
        RouteKind.BACKUP,
        BERIT,
        ANNA,
    )


def test_absent_substitute_falls_back_to_backup() -> None:
    decision = route(contacts((ANNA, False), (BERIT, True)), [away(ANNA, SOFIA), away(SOFIA)])
    assert decision.assignee_id == BERIT


def test_fewest_open_questions_wins_among_shared_contacts() -> None:
    shared = contacts((ANNA, False), (SOFIA, False))
    assert route(shared, load={ANNA: 3, SOFIA: 1}).assignee_id == SOFIA
    assert route(shared, load={ANNA: 1, SOFIA: 1}).assignee_id == ANNA  # tie: config order
    assert route(shared, [away(SOFIA)], load={ANNA: 9}).assignee_id == ANNA


def test_nobody_available_is_unassigned() -> None:
    decision = route(contacts((ANNA, False), (BERIT, True)), [away(ANNA), away(BERIT)])
    assert (decision.kind, decision.assignee_id) == (RouteKind.UNASSIGNED, None)
    assert route([]).kind == RouteKind.UNASSIGNED


def test_absence_outside_the_day_is_ignored() -> None:
    later = Absence(1, ANNA, date(2026, 12, 20), date(2026, 12, 24), SOFIA)
    assert route(contacts((ANNA, False)), [later]).assignee_id == ANNA


def test_other_direction_is_not_used() -> None:
    other = [UnitContact(10, RUT, Direction.FK_TILL_VARD, False)]
    assert route(other).kind == RouteKind.UNASSIGNED
