"""`SqlStore`: the core's `Store` protocol over one SQLAlchemy session. Never commits.

The methods live in mixins by area, each working on the store's session: who and where
(`storage.directory_repo`), questions and threads (`storage.question_repo`), queue views
(`storage.question_queue`), delivery
bookkeeping (`storage.delivery_repo`), statistics (`storage.statistics`), pulse meetings
(`storage.meetings`), the knowledge bank (`storage.knowledge_repo`) and retention and
housekeeping (`storage.retention_repo`). Absences (`storage.absence_repo`) are read per
request and never cached.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage.absence_repo import AbsenceRepository
from storage.delivery_repo import DeliveryRepository
from storage.directory_cache import DirectoryCache
from storage.directory_repo import DirectoryRepository
from storage.knowledge_repo import KnowledgeRepository
from storage.meetings import MeetingRepository
from storage.question_queue import QuestionQueueRepository
from storage.question_repo import QuestionRepository, to_question
from storage.retention_repo import RetentionRepository
from storage.statistics import StatisticsMixin

__all__ = ["SqlStore", "to_question"]


class SqlStore(
    AbsenceRepository,
    DirectoryRepository,
    QuestionRepository,
    QuestionQueueRepository,
    DeliveryRepository,
    StatisticsMixin,
    MeetingRepository,
    KnowledgeRepository,
    RetentionRepository,
):
    """Repository methods over one open session; the caller owns the transaction."""

    def __init__(self, session: Session, directory_cache: DirectoryCache | None = None) -> None:
        self.session = session
        self.directory_cache = directory_cache
        """The process's kept directory; None reads it from the database each time."""
