"""`KnowledgeRepository`: the knowledge bank's entries, their search and their use.

Search runs in the database and never loads all entries (`storage.knowledge_search`).
A mixin of `SqlStore`: it works on the store's open session and never commits.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import exc, func, select, text, update
from sqlalchemy.orm import Session

from handlers.kernel import Direction
from handlers.knowledge.model import EntryUse, Hit, KnowledgeEntry, KnowledgeUsage
from storage.knowledge_search import index_entry, search_sql, unindex_entry
from storage.knowledge_text import search_terms
from storage.models import KnowledgeEntryRow, KnowledgeUseRow

logger = logging.getLogger(__name__)

SEARCH_PREFIX = "knowledge_search"
"""Every dialect-specific search structure (SQLite's FTS5 tables and their shadow tables,
PostgreSQL's indexes) is named with this prefix, and the tsvector column is `search_vector`:
made by migration 0005, not by the models, so autogenerate comparisons leave them out."""
_ENTRY_FIELDS = {"title", "body", "category", "direction", "review_on", "retired_at"}
_ENTRY_FIELDS |= {"merged_into_id", "updated_at"}


def is_search_structure(name: str | None, kind: str, parents: dict[str, str | None]) -> bool:
    """For Alembic's `include_name`: True for the search structures the models leave out."""
    if kind == "column":
        return name == "search_vector"
    return bool(name and name.startswith(SEARCH_PREFIX))


def to_entry(row: KnowledgeEntryRow) -> KnowledgeEntry:
    return KnowledgeEntry(
        id=row.id,
        title=row.title,
        body=row.body,
        category=row.category,
        direction=Direction(row.direction) if row.direction else None,
        author_id=row.author_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        review_on=row.review_on,
        source_question_id=row.source_question_id,
        retired_at=row.retired_at,
        merged_into_id=row.merged_into_id,
    )


class KnowledgeRepository:
    """Entries, their Swedish search, review dates and uses."""

    session: Session

    @property
    def _sqlite(self) -> bool:
        return self.session.get_bind().dialect.name == "sqlite"

    # entries -------------------------------------------------------------------------------

    def add_entry(self, *, entry: KnowledgeEntry) -> KnowledgeEntry:
        row = KnowledgeEntryRow(
            title=entry.title,
            body=entry.body,
            category=entry.category,
            direction=entry.direction.value if entry.direction else None,
            author_id=entry.author_id,
            source_question_id=entry.source_question_id,
            created_at=entry.created_at,
            updated_at=entry.updated_at,
            review_on=entry.review_on,
        )
        self.session.add(row)
        self.session.flush()
        self._index(row)
        return to_entry(row)

    def entry(self, *, entry_id: int) -> KnowledgeEntry | None:
        row = self.session.get(KnowledgeEntryRow, entry_id)
        return to_entry(row) if row else None

    def update_entry(self, *, entry_id: int, **changes: object) -> KnowledgeEntry:
        unknown = set(changes) - _ENTRY_FIELDS
        if unknown:
            raise ValueError(f"not an entry field: {sorted(unknown)}")
        if isinstance(changes.get("direction"), Direction):
            changes["direction"] = str(changes["direction"])
        self.session.execute(
            update(KnowledgeEntryRow).where(KnowledgeEntryRow.id == entry_id).values(**changes)
        )
        row = self.session.get_one(KnowledgeEntryRow, entry_id)
        self.session.refresh(row)
        if {"title", "body", "retired_at"} & set(changes):
            self._unindex(entry_id)
            if row.retired_at is None:
                self._index(row)
        return to_entry(row)

    def entries_due(self, *, on: date, limit: int = 200) -> list[KnowledgeEntry]:
        """Entries in use whose review date is `on` or earlier, the oldest first."""
        rows = self.session.scalars(
            select(KnowledgeEntryRow)
            .where(KnowledgeEntryRow.retired_at.is_(None), KnowledgeEntryRow.review_on <= on)
            .order_by(KnowledgeEntryRow.review_on, KnowledgeEntryRow.id)
            .limit(limit)
        )
        return [to_entry(row) for row in rows]

    def entries_in_use(self) -> list[KnowledgeEntry]:
        """Every entry not retired, by category and title (for an export, not a search)."""
        rows = self.session.scalars(
            select(KnowledgeEntryRow)
            .where(KnowledgeEntryRow.retired_at.is_(None))
            .order_by(KnowledgeEntryRow.category, KnowledgeEntryRow.title, KnowledgeEntryRow.id)
        )
        return [to_entry(row) for row in rows]

    def _index(self, row: KnowledgeEntryRow) -> None:
        index_entry(self.session, row.id, row.title, row.body)

    def _unindex(self, entry_id: int) -> None:
        unindex_entry(self.session, entry_id)

    # search --------------------------------------------------------------------------------

    def search_entries(
        self,
        *,
        query: str,
        category: str | None = None,
        limit: int = 3,
        offset: int = 0,
        budget_ms: int | None = None,
    ) -> list[Hit]:
        terms = search_terms(query)
        if terms.empty:
            return []
        if not self._sqlite:  # compiling a plan costs more than this query ever takes
            self.session.execute(text("SELECT set_config('jit', 'off', true)"))
        try:
            with self._budget(budget_ms):
                sql, params = search_sql(self.session, terms)
                params |= {"category": category or "", "limit": limit, "offset": offset}
                found = self.session.execute(text(sql), params).all()
        except exc.OperationalError as error:
            if budget_ms is None:
                raise
            logger.info("knowledge search stopped at its %d ms budget (%s)", budget_ms, error)
            return []
        if not found:
            return []
        rows = {
            row.id: row
            for row in self.session.scalars(
                select(KnowledgeEntryRow).where(KnowledgeEntryRow.id.in_([f.id for f in found]))
            )
        }
        return [Hit(to_entry(rows[f.id]), float(f.score)) for f in found]

    @contextmanager
    def _budget(self, budget_ms: int | None) -> Iterator[None]:
        """Stop the statement after `budget_ms` (an OperationalError), in a savepoint so
        the caller's transaction goes on."""
        if budget_ms is None:
            yield
            return
        with self.session.begin_nested():
            if self._sqlite:
                raw: Any = self.session.connection().connection.driver_connection
                deadline = time.monotonic() + budget_ms / 1000
                raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
                try:
                    yield
                finally:
                    raw.set_progress_handler(None, 0)
            else:
                self.session.execute(
                    text("SELECT set_config('statement_timeout', :ms, true)"),
                    {"ms": str(max(budget_ms, 1))},
                )
                yield
                self.session.execute(text("SELECT set_config('statement_timeout', '0', true)"))

    # uses ----------------------------------------------------------------------------------

    def record_use(
        self, *, entry_id: int, question_id: int, unit_id: int, category: str, at: datetime
    ) -> None:
        self.session.add(
            KnowledgeUseRow(
                entry_id=entry_id,
                question_id=question_id,
                unit_id=unit_id,
                category=category,
                at=at,
            )
        )
        self.session.flush()

    def knowledge_usage(
        self, *, start: datetime, end: datetime, unit_ids: Sequence[int] | None, top: int = 5
    ) -> KnowledgeUsage:
        use = KnowledgeUseRow
        where = [use.at >= start, use.at < end]
        if unit_ids is not None:
            where.append(use.unit_id.in_(unit_ids))
        counted = self.session.execute(
            select(use.category, func.count()).where(*where).group_by(use.category)
        )
        by_category = {str(slug): int(count) for slug, count in counted}
        top_rows = self.session.execute(
            select(use.entry_id, KnowledgeEntryRow.title, func.count().label("uses"))
            .join(KnowledgeEntryRow, KnowledgeEntryRow.id == use.entry_id)
            .where(*where)
            .group_by(use.entry_id, KnowledgeEntryRow.title)
            .order_by(func.count().desc(), use.entry_id)
            .limit(top)
        ).all()
        return KnowledgeUsage(
            resolved=sum(by_category.values()),
            by_category=by_category,
            top_entries=[EntryUse(r.entry_id, r.title, r.uses) for r in top_rows],
        )
