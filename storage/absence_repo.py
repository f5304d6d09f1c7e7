"""`AbsenceRepository`: contacts' absences as `/frånvaro` lists, adds, changes and cancels
them, and as routing reads them. A mixin of `SqlStore` over the store's open session; never
commits. Absences are read per request and never cached: a cancelled absence must stop
diverting questions at once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from handlers.kernel import Absence
from storage.models import AbsenceRow


def _absence(row: AbsenceRow) -> Absence:
    return Absence(row.id, row.person_id, row.start, row.end, row.substitute_id)


class AbsenceRepository:
    """Absences by day, by person and by number."""

    session: Session

    def absences_on(self, *, day: date) -> list[Absence]:
        """Everyone away on `day`."""
        rows = self.session.scalars(
            select(AbsenceRow)
            .where(AbsenceRow.start <= day, AbsenceRow.end >= day)
            .order_by(AbsenceRow.id)
        )
        return [_absence(r) for r in rows]

    def absences_from(self, *, day: date, person_id: int | None = None) -> list[Absence]:
        """Current and coming absences (ending on or after `day`), of one person or of
        everyone, earliest first."""
        query = select(AbsenceRow).where(AbsenceRow.end >= day)
        if person_id is not None:
            query = query.where(AbsenceRow.person_id == person_id)
        rows = self.session.scalars(query.order_by(AbsenceRow.start, AbsenceRow.id))
        return [_absence(r) for r in rows]

    def absence(self, *, absence_id: int) -> Absence | None:
        row = self.session.get(AbsenceRow, absence_id)
        return _absence(row) if row else None

    def add_absence(
        self, *, person_id: int, start: date, end: date, substitute_id: int | None
    ) -> Absence:
        row = AbsenceRow(person_id=person_id, start=start, end=end, substitute_id=substitute_id)
        self.session.add(row)
        self.session.flush()
        return _absence(row)

    def change_absence(
        self, *, absence_id: int, start: date, end: date, substitute_id: int | None
    ) -> Absence:
        row = self.session.get_one(AbsenceRow, absence_id)
        row.start, row.end, row.substitute_id = start, end, substitute_id
        self.session.flush()
        return _absence(row)

    def remove_absence(self, *, absence_id: int) -> None:
        self.session.execute(delete(AbsenceRow).where(AbsenceRow.id == absence_id))
        self.session.flush()
