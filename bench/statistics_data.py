"""Seeding a benchmark database with many questions, fast (executemany / COPY).

The questions are spread evenly over 2022-01-01 .. 2026-11-20 (about 200,000 a year at one
million), inserted in time order like real ones, with realistic statuses, response times,
deadlines and purged free text. Deterministic: the same seed gives the same rows.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from handlers.questions import START_SET
from storage.directory import PersonSpec, UnitSpec, sync_directory
from storage.models import PersonRow, QuestionRow, UnitRow

FIRST = datetime(2022, 1, 1, tzinfo=UTC)
LAST = datetime(2026, 11, 20, tzinfo=UTC)
UNITS = ["kristianstad", "hassleholm", "lund", "malmo", "helsingborg", "ystad"]
COLUMNS = [
    "ref",
    "unit_id",
    "direction",
    "category",
    "consent_mode",
    "deadline",
    "asker_id",
    "assignee_id",
    "status",
    "route_reason",
    "origin_platform",
    "created_at",
    "claimed_at",
    "first_response_at",
    "answered_at",
    "closed_at",
    "purged_at",
]


def directory() -> tuple[list[PersonSpec], list[UnitSpec]]:
    people = [PersonSpec(f"contact{i}", f"Kontakt {i}", ("contact",), {}) for i in range(8)]
    people += [PersonSpec(f"asker{i}", f"Frågare {i}", ("asker",), {}) for i in range(40)]
    people.append(PersonSpec("admin", "Admin", ("admin",), {}))
    units = [
        UnitSpec(
            slug,
            f"Vuxenpsykiatri {slug.capitalize()}",
            {"slack": f"C{i:04d}"},
            {("vard_till_fk", False): (f"contact{i % 8}",)},
        )
        for i, slug in enumerate(UNITS)
    ]
    return people, units


def _row(rng: random.Random, number: int, created: datetime, ids: dict[str, Any]) -> list[Any]:
    age = (LAST - created).days
    claim = created + timedelta(minutes=rng.lognormvariate(4.5, 1.2))
    answer = claim + timedelta(minutes=rng.lognormvariate(6.0, 1.3))
    roll = rng.random()
    claim_at: datetime | None
    answer_at: datetime | None
    if age < 14 and roll < 0.3:
        status = ["ny", "tagen", "ateroppnad"][int(roll * 10)]
        claim_at, answer_at = (None, None) if status == "ny" else (claim, None)
    else:
        status = "stangd" if roll < 0.95 else "besvarad"
        claim_at, answer_at = claim, answer
    closed = answer + timedelta(days=1) if status == "stangd" else None
    deadline = (created + timedelta(days=14)).date() if rng.random() < 0.2 else None
    return [
        f"B-{number:08d}",
        rng.choice(ids["units"]),
        "vard_till_fk" if rng.random() < 0.8 else "fk_till_vard",
        rng.choice(ids["categories"]),
        "avidentifierad" if rng.random() < 0.9 else "samtycke",
        deadline,
        rng.choice(ids["askers"]),
        rng.choice(ids["contacts"]) if claim_at else None,
        status,
        "",
        "slack",
        created,
        claim_at,
        answer_at,
        answer_at,
        closed,
        closed + timedelta(days=90) if closed and closed < LAST - timedelta(days=90) else None,
    ]


def rows(count: int, ids: dict[str, Any], seed: int = 7) -> Iterator[list[Any]]:
    rng = random.Random(seed)
    step = (LAST - FIRST) / count
    for number in range(count):
        created = FIRST + step * number + timedelta(seconds=rng.random() * 60)
        yield _row(rng, number, created, ids)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _identifiers(engine: Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        people = connection.execute(select(PersonRow.id, PersonRow.roles)).all()
        units = connection.execute(select(UnitRow.id)).scalars().all()
    return {
        "units": list(units),
        "categories": [slug for slug, _ in START_SET],
        "askers": [pid for pid, roles in people if roles == "asker"],
        "contacts": [pid for pid, roles in people if roles == "contact"],
    }


def question_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(QuestionRow)) or 0)


def seed(engine: Engine, count: int) -> None:
    """Fill an upgraded, empty database: directory, then `count` questions in bulk."""
    people, units = directory()
    with engine.begin() as connection:
        sync_directory(Session(bind=connection), people, units)
    ids = _identifiers(engine)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            with cursor.copy(f"COPY questions ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows(count, ids):
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in COLUMNS)
            statement = f"INSERT INTO questions ({', '.join(COLUMNS)}) VALUES ({marks})"
            batch: list[list[Any]] = []
            for row in rows(count, ids):
                batch.append([_sqlite_value(v) for v in row])
                if len(batch) == 20_000:
                    cursor.executemany(statement, batch)
                    batch.clear()
            cursor.executemany(statement, batch)
        raw.commit()
    finally:
        raw.close()
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE questions"))
