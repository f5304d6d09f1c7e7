"""Purging free text a set number of days after a question is closed.

The anonymous facts (category, direction, unit, timestamps, status) stay for statistics.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from handlers.kernel import Clock, StoreFactory

logger = logging.getLogger(__name__)


def purge_closed_questions(stores: StoreFactory, clock: Clock, *, days: int) -> int:
    """Remove question and thread text of questions closed more than `days` days ago."""
    now = clock()
    with stores() as store:
        ids = store.closed_before(cutoff=now - timedelta(days=days))
        purged = store.purge_free_text(question_ids=ids, at=now) if ids else 0
        if purged:
            store.audit(actor_id=None, action="purged", at=now, detail=f"count={purged}")
    if purged:
        logger.info("purged free text of %d closed questions", purged)
    return purged
