"""A seeded set of questions with hand-counted answers, around the October DST switch
(2026-10-25 03:00 CEST → 02:00 CET), the quarter and month boundaries, and ISO week 53
(2026-12-28 .. 2027-01-03). Times are written with their Stockholm offset.

Weeks: W42 = 12–18 Oct, W43 = 19–25 Oct (the DST week), W44 = 26 Oct–1 Nov,
W52 = 21–27 Dec, W53 = 28 Dec 2026–3 Jan 2027, 2027-W01 = 4–10 Jan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.wiring import Bryggan
from storage.models import PersonRow, QuestionRow, UnitRow

SECRET = "HEMLIG FRITEXT"
CONSENT_BY = "Doktor Hemligsson"
NOW = datetime.fromisoformat("2027-01-11T09:00+01:00").astimezone(UTC)
"""Monday of 2027-W02: #5 and #10 are past their deadline, #19 is not."""


@dataclass(frozen=True)
class Seed:
    number: int
    unit: str
    direction: str
    category: str
    status: str
    created: str
    claim_h: float | None = None
    answer_h: float | None = None
    deadline: date | None = None
    closed_h: float | None = None


V, F = "vard_till_fk", "fk_till_vard"
K, H, L = "kristianstad", "hassleholm", "lund"
SEEDS = [
    Seed(1, K, V, "sgi_formaner", "stangd", "2026-10-25T01:30+02:00", 3, 5, None, 30),
    Seed(2, K, V, "komplettering", "besvarad", "2026-10-25T23:30+01:00", 1, 2),
    Seed(3, H, F, "planering", "stangd", "2026-10-26T00:30+01:00", 4, 10, None, 11),
    Seed(4, H, V, "sgi_formaner", "stangd", "2026-10-20T10:00+02:00", 2, 24, None, 25),
    Seed(5, L, F, "prognos", "ny", "2026-10-22T14:00+02:00", deadline=date(2026, 11, 1)),
    Seed(6, K, V, "sgi_formaner", "stangd", "2026-12-28T08:00+01:00", 1, 3, None, 4),
    Seed(7, K, F, "regler", "besvarad", "2026-12-31T23:30+01:00", 2, 4),
    Seed(8, H, V, "komplettering", "stangd", "2027-01-01T00:30+01:00", 3, 6, None, 7),
    Seed(9, H, V, "sgi_formaner", "besvarad", "2027-01-03T23:30+01:00", 10, 30),
    Seed(10, K, V, "intyg", "ny", "2027-01-04T00:15+01:00", None, None, date(2027, 1, 8)),
    Seed(11, L, V, "ovrigt", "stangd", "2026-09-30T23:30+02:00", 1, 1, None, 2),
    Seed(12, L, V, "ovrigt", "besvarad", "2026-10-01T00:30+02:00", 2, 2),
    Seed(13, K, V, "arbetsformaga", "tagen", "2026-10-19T00:30+02:00", 1),
    Seed(14, K, V, "arbetsformaga", "stangd", "2026-10-18T23:30+02:00", 0.5, None, None, 1),
    Seed(15, K, V, "sgi_formaner", "stangd", "2026-12-23T10:00+01:00", 1, 2, None, 3),
    Seed(16, K, F, "behandlingsresultat", "stangd", "2026-08-10T09:00+02:00", 4, 8, None, 9),
    Seed(17, H, V, "sgi_formaner", "stangd", "2026-07-01T09:00+02:00", 1, 1, None, 2),
    Seed(18, H, F, "planering", "stangd", "2026-11-01T00:30+01:00", 1, 2, None, 3),
    Seed(19, L, F, "prognos", "ny", "2027-01-05T10:00+01:00", deadline=date(2027, 1, 20)),
]

_ASSIGNEE = {("kristianstad", V): "anna", ("hassleholm", V): "sofia", ("lund", V): "maria"}


def _later(start: datetime, hours: float | None) -> datetime | None:
    return None if hours is None else start + timedelta(hours=hours)


def seed_questions(app: Bryggan) -> None:
    """Insert the seeds as stored questions (free text and a consent name included, so the
    tests can prove that exports and reports leave them out)."""
    with app.database.session() as session:
        people = {p.key: p.id for p in session.scalars(select(PersonRow))}
        units = {u.slug: u.id for u in session.scalars(select(UnitRow))}
        for seed in SEEDS:
            created = datetime.fromisoformat(seed.created).astimezone(UTC)
            handled = seed.status in {"besvarad", "stangd"}
            assignee = _ASSIGNEE.get((seed.unit, seed.direction), "rut")
            session.add(
                QuestionRow(
                    ref=f"F-{created.year}-{seed.number:04d}",
                    unit_id=units[seed.unit],
                    direction=seed.direction,
                    category=seed.category,
                    consent_mode="samtycke" if seed.number % 3 == 0 else "avidentifierad",
                    consent_by=CONSENT_BY if seed.number % 3 == 0 else None,
                    consent_on=date(2026, 10, 1) if seed.number % 3 == 0 else None,
                    consent_form="muntligt" if seed.number % 3 == 0 else None,
                    deadline=seed.deadline,
                    text=f"{SECRET} {seed.number}",
                    asker_id=people["lisa" if seed.direction == V else "karl"],
                    assignee_id=people[assignee] if seed.claim_h is not None else None,
                    status=seed.status,
                    origin_platform="console",
                    created_at=created,
                    claimed_at=_later(created, seed.claim_h),
                    first_response_at=_later(created, seed.answer_h),
                    answered_at=_later(created, seed.answer_h) if handled else None,
                    closed_at=_later(created, seed.closed_h),
                )
            )


def hours(value: float | None) -> float | None:
    """Seconds to hours, rounded away from float noise."""
    return None if value is None else round(value / 3600, 6)
