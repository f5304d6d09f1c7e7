"""The knowledge bank's values and the repository methods it needs from storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, cast

from handlers.kernel import Direction, Store

TITLE_MAX = 200
BODY_MAX = 4000
REVIEW_MONTHS = 12


@dataclass(frozen=True)
class KnowledgeEntry:
    """General knowledge, never case data: a title, a text, its category and direction,
    who wrote it and when, and when it must be read through again."""

    id: int
    title: str
    body: str
    category: str
    direction: Direction | None
    author_id: int
    created_at: datetime
    updated_at: datetime
    review_on: date
    source_question_id: int | None = None
    retired_at: datetime | None = None
    merged_into_id: int | None = None

    @property
    def label(self) -> str:
        """How people name an entry: `K-12`."""
        return f"K-{self.id}"


@dataclass(frozen=True)
class Hit:
    """One search result with its combined score (higher is better)."""

    entry: KnowledgeEntry
    score: float


@dataclass(frozen=True)
class EntryUse:
    """How often an entry closed a question, for the statistics."""

    entry_id: int
    title: str
    uses: int


@dataclass(frozen=True)
class KnowledgeUsage:
    """Questions closed from the bank in a period, by entry and by category."""

    resolved: int
    by_category: dict[str, int]
    top_entries: list[EntryUse]


class KnowledgeStore(Store, Protocol):
    """The repository methods of the knowledge bank (storage/knowledge_repo.py)."""

    def add_entry(self, *, entry: KnowledgeEntry) -> KnowledgeEntry: ...
    def entry(self, *, entry_id: int) -> KnowledgeEntry | None: ...
    def update_entry(self, *, entry_id: int, **changes: object) -> KnowledgeEntry: ...
    def search_entries(
        self,
        *,
        query: str,
        category: str | None = None,
        limit: int = 3,
        offset: int = 0,
        budget_ms: int | None = None,
    ) -> list[Hit]:
        """The best entries for `query`, searched in the database; [] when the budget
        ran out."""
        ...

    def entries_due(self, *, on: date, limit: int = 200) -> list[KnowledgeEntry]: ...
    def entries_in_use(self) -> list[KnowledgeEntry]: ...
    def record_use(
        self, *, entry_id: int, question_id: int, unit_id: int, category: str, at: datetime
    ) -> None: ...
    def knowledge_usage(
        self, *, start: datetime, end: datetime, unit_ids: Sequence[int] | None, top: int = 5
    ) -> KnowledgeUsage: ...


def knowledge_store(store: Store) -> KnowledgeStore:
    """The open store seen with its knowledge-bank methods (SqlStore implements both)."""
    return cast(KnowledgeStore, store)
