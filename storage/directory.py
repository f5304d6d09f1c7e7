"""Bringing the configured people, units and contacts into the database at start."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from handlers.questions import START_SET
from storage.models import (
    CategoryRow,
    IdentityRow,
    PersonRow,
    UnitChannelRow,
    UnitContactRow,
    UnitRow,
)


@dataclass(frozen=True)
class PersonSpec:
    key: str
    name: str
    roles: tuple[str, ...]
    identities: dict[str, str]
    default_unit: str | None = None
    default_direction: str | None = None


@dataclass(frozen=True)
class UnitSpec:
    slug: str
    name: str
    channels: dict[str, str] = field(default_factory=dict)
    contacts: dict[tuple[str, bool], tuple[str, ...]] = field(default_factory=dict)
    """(direction, backup) → person keys, in order of preference."""


def sync_directory(session: Session, people: list[PersonSpec], units: list[UnitSpec]) -> None:
    """Make the database's people, identities, units, contacts and channels match the config.

    People and units missing from the config are deactivated, never deleted, so old
    questions keep their asker and unit. Categories get the start set once.
    """
    person_ids = _sync_people(session, people)
    existing_units = {u.slug: u for u in session.scalars(select(UnitRow))}
    for unit in existing_units.values():
        unit.active = False
    session.execute(delete(UnitContactRow))
    session.execute(delete(UnitChannelRow))
    session.flush()
    for spec in units:
        row = existing_units.get(spec.slug) or UnitRow(slug=spec.slug)
        row.name, row.active = spec.name, True
        session.add(row)
        session.flush()
        for platform, channel in spec.channels.items():
            session.add(UnitChannelRow(unit_id=row.id, platform=platform, channel=channel))
        for (direction, backup), keys in spec.contacts.items():
            for position, key in enumerate(keys):
                session.add(
                    UnitContactRow(
                        unit_id=row.id,
                        person_id=person_ids[key],
                        direction=direction,
                        backup=backup,
                        position=position,
                    )
                )
    if not session.scalar(select(func.count()).select_from(CategoryRow)):
        for position, (slug, name) in enumerate(START_SET):
            session.add(CategoryRow(slug=slug, name=name, active=True, position=position))
    session.flush()


def _sync_people(session: Session, people: list[PersonSpec]) -> dict[str, int]:
    existing = {p.key: p for p in session.scalars(select(PersonRow))}
    for person in existing.values():
        person.active = False
    session.execute(delete(IdentityRow))
    session.flush()
    ids: dict[str, int] = {}
    for spec in people:
        row = existing.get(spec.key) or PersonRow(key=spec.key)
        row.name, row.roles, row.active = spec.name, ",".join(spec.roles), True
        row.default_unit, row.default_direction = spec.default_unit, spec.default_direction
        session.add(row)
        session.flush()
        ids[spec.key] = row.id
        for platform, identity in spec.identities.items():
            session.add(IdentityRow(person_id=row.id, platform=platform, identity=identity))
    session.flush()
    return ids
