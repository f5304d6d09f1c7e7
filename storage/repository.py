"""`SqlStore`: the core's `Store` protocol over one SQLAlchemy session. Never commits.

The methods live in mixins by area, each working on the store's session: who and where
(`storage.directory_repo`), questions and threads (`storage.question_repo`), delivery
bookkeeping (`storage.delivery_repo`), statistics (`storage.statistics`), pulse meetings
(`storage.meetings`) and the knowledge bank (`storage.knowledge_repo`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage.delivery_repo import DeliveryRepository
from storage.directory_repo import DirectoryRepository
from storage.knowledge_repo import KnowledgeRepository
from storage.meetings import MeetingRepository
from storage.question_repo import QuestionRepository, to_question
from storage.statistics import StatisticsMixin

__all__ = ["SqlStore", "to_question"]


class SqlStore(
    DirectoryRepository,
    QuestionRepository,
    DeliveryRepository,
    StatisticsMixin,
    MeetingRepository,
    KnowledgeRepository,
):
    """Repository methods over one open session; the caller owns the transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
