"""`DirectoryRepository`: who and where, as routing and the commands look them up.

People and their chat identities, units with their contacts and channels, question
categories (absences live in `storage.absence_repo`). A mixin of `SqlStore`: it works on
the store's open session and never commits.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session

from handlers.kernel import Category, Person, Unit, UnitContact
from storage.directory_cache import (
    CHANGED,
    Directory,
    DirectoryCache,
    load_directory,
    to_person,
)
from storage.models import CategoryRow

__all__ = ["DirectoryRepository", "to_person"]


class DirectoryRepository:
    """People, identities, units, contacts, channels and categories.

    Read from the process's kept `Directory` (`storage.directory_cache`), so that a
    question reads none of them; a transaction that has written one of these tables reads
    them from the database instead, to see its own change."""

    session: Session
    directory_cache: DirectoryCache | None

    def directory(self) -> Directory:
        """The directory as this transaction should see it."""
        cache = self.directory_cache
        if cache is None or self.session.info.get(CHANGED):
            return load_directory(self.session, None)
        return cache.get(self.session)

    # people -------------------------------------------------------------------------------
    def person_by_identity(self, *, platform: str, identity: str) -> Person | None:
        known = self.directory()
        person_id = known.by_identity.get((platform, identity))
        return known.people[person_id] if person_id is not None else None

    def person_by_key(self, *, key: str) -> Person | None:
        known = self.directory()
        person_id = known.person_keys.get(key)
        return known.people[person_id] if person_id is not None else None

    def person(self, *, person_id: int) -> Person:
        person = self.directory().people.get(person_id)
        if person is None:
            raise NoResultFound(f"no person {person_id}")
        return person

    def people(self) -> list[Person]:
        known = self.directory()
        return [known.people[p] for p in known.active_people]

    def identity(self, *, person_id: int, platform: str) -> str | None:
        return self.directory().identities.get((person_id, platform))

    def person_defaults(self, *, person_id: int) -> dict[str, str]:
        defaults = self.directory().defaults.get(person_id)
        if defaults is None:
            raise NoResultFound(f"no person {person_id}")
        return dict(defaults)

    # units ---------------------------------------------------------------------------------
    def units(self) -> list[Unit]:
        known = self.directory()
        return [known.units[u] for u in known.active_units]

    def unit(self, *, unit_id: int) -> Unit:
        unit = self.directory().units.get(unit_id)
        if unit is None:
            raise NoResultFound(f"no unit {unit_id}")
        return unit

    def unit_contacts(self, *, unit_id: int | None = None) -> list[UnitContact]:
        contacts = self.directory().contacts
        return [c for c in contacts if unit_id is None or c.unit_id == unit_id]

    def unit_channel(self, *, unit_id: int, platform: str) -> str | None:
        return self.directory().channels.get((unit_id, platform))

    def unit_by_channel(self, *, platform: str, channel: str) -> Unit | None:
        known = self.directory()
        unit_id = known.by_channel.get((platform, channel))
        return known.units[unit_id] if unit_id is not None else None

    # categories ----------------------------------------------------------------------------
    def categories(self, *, include_inactive: bool = False) -> list[Category]:
        return [c for c in self.directory().categories if include_inactive or c.active]

    def save_category(self, *, slug: str, name: str, active: bool = True) -> None:
        row = self.session.get(CategoryRow, slug)
        if row is None:
            position = self.session.scalar(select(func.count()).select_from(CategoryRow)) or 0
            self.session.add(CategoryRow(slug=slug, name=name, active=active, position=position))
        else:
            row.name, row.active = name, active
        self.session.flush()
