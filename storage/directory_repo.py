"""`DirectoryRepository`: who and where, as routing and the commands look them up.

People and their chat identities, units with their contacts and channels, question
categories and absences. A mixin of `SqlStore`: it works on the store's open session and
never commits.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.kernel import Absence, Category, Direction, Person, Role, Unit, UnitContact
from storage.models import (
    AbsenceRow,
    CategoryRow,
    IdentityRow,
    PersonRow,
    UnitChannelRow,
    UnitContactRow,
    UnitRow,
)


def to_person(row: PersonRow) -> Person:
    roles = frozenset(Role(r) for r in row.roles.split(",") if r)
    return Person(row.id, row.key, row.name, roles)


class DirectoryRepository:
    """People, identities, units, contacts, channels, categories and absences."""

    session: Session

    # people -------------------------------------------------------------------------------
    def person_by_identity(self, *, platform: str, identity: str) -> Person | None:
        row = self.session.scalar(
            select(PersonRow)
            .join(IdentityRow, IdentityRow.person_id == PersonRow.id)
            .where(
                IdentityRow.platform == platform, IdentityRow.identity == identity, PersonRow.active
            )
        )
        return to_person(row) if row else None

    def person_by_key(self, *, key: str) -> Person | None:
        row = self.session.scalar(select(PersonRow).where(PersonRow.key == key))
        return to_person(row) if row else None

    def person(self, *, person_id: int) -> Person:
        return to_person(self.session.get_one(PersonRow, person_id))

    def people(self) -> list[Person]:
        rows = self.session.scalars(
            select(PersonRow).where(PersonRow.active).order_by(PersonRow.id)
        )
        return [to_person(r) for r in rows]

    def identity(self, *, person_id: int, platform: str) -> str | None:
        return self.session.scalar(
            select(IdentityRow.identity).where(
                IdentityRow.person_id == person_id, IdentityRow.platform == platform
            )
        )

    def person_defaults(self, *, person_id: int) -> dict[str, str]:
        row = self.session.get_one(PersonRow, person_id)
        defaults = {"enhet": row.default_unit, "riktning": row.default_direction}
        return {k: v for k, v in defaults.items() if v}

    # units ---------------------------------------------------------------------------------
    def units(self) -> list[Unit]:
        rows = self.session.scalars(select(UnitRow).where(UnitRow.active).order_by(UnitRow.id))
        return [Unit(r.id, r.slug, r.name) for r in rows]

    def unit(self, *, unit_id: int) -> Unit:
        row = self.session.get_one(UnitRow, unit_id)
        return Unit(row.id, row.slug, row.name)

    def unit_contacts(self, *, unit_id: int | None = None) -> list[UnitContact]:
        query = select(UnitContactRow).order_by(UnitContactRow.position, UnitContactRow.id)
        if unit_id is not None:
            query = query.where(UnitContactRow.unit_id == unit_id)
        return [
            UnitContact(r.unit_id, r.person_id, Direction(r.direction), r.backup)
            for r in self.session.scalars(query)
        ]

    def unit_channel(self, *, unit_id: int, platform: str) -> str | None:
        return self.session.scalar(
            select(UnitChannelRow.channel).where(
                UnitChannelRow.unit_id == unit_id, UnitChannelRow.platform == platform
            )
        )

    def unit_by_channel(self, *, platform: str, channel: str) -> Unit | None:
        row = self.session.scalar(
            select(UnitRow)
            .join(UnitChannelRow, UnitChannelRow.unit_id == UnitRow.id)
            .where(UnitChannelRow.platform == platform, UnitChannelRow.channel == channel)
        )
        return Unit(row.id, row.slug, row.name) if row else None

    # categories ----------------------------------------------------------------------------
    def categories(self, *, include_inactive: bool = False) -> list[Category]:
        query = select(CategoryRow).order_by(CategoryRow.position, CategoryRow.slug)
        if not include_inactive:
            query = query.where(CategoryRow.active)
        return [Category(r.slug, r.name, r.active) for r in self.session.scalars(query)]

    def save_category(self, *, slug: str, name: str, active: bool = True) -> None:
        row = self.session.get(CategoryRow, slug)
        if row is None:
            position = self.session.scalar(select(func.count()).select_from(CategoryRow)) or 0
            self.session.add(CategoryRow(slug=slug, name=name, active=active, position=position))
        else:
            row.name, row.active = name, active
        self.session.flush()

    # absences ------------------------------------------------------------------------------
    def absences_on(self, *, day: date) -> list[Absence]:
        rows = self.session.scalars(
            select(AbsenceRow)
            .where(AbsenceRow.start <= day, AbsenceRow.end >= day)
            .order_by(AbsenceRow.id)
        )
        return [Absence(r.id, r.person_id, r.start, r.end, r.substitute_id) for r in rows]

    def add_absence(
        self, *, person_id: int, start: date, end: date, substitute_id: int | None
    ) -> Absence:
        row = AbsenceRow(person_id=person_id, start=start, end=end, substitute_id=substitute_id)
        self.session.add(row)
        self.session.flush()
        return Absence(row.id, person_id, start, end, substitute_id)
