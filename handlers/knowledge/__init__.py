"""The knowledge bank: answered questions rewritten as general knowledge, searched in
Swedish in the database, shown before a question is asked, and kept true by review dates.

`KNOWLEDGE_COMMAND` (`/kunskap`) and `SEARCH_COMMAND` (`/sök`) are registered at wiring;
adapters call `suggestions_after_asking` once a question is registered; the due job calls
`send_review_reminders`; `/statistik` can add `statistics_lines`."""

from handlers.knowledge.command import KNOWLEDGE_COMMAND, SEARCH_COMMAND
from handlers.knowledge.intake import suggestions_after_asking
from handlers.knowledge.keeping import send_review_reminders, statistics_lines
from handlers.knowledge.model import (
    EntryUse,
    Hit,
    KnowledgeEntry,
    KnowledgeStore,
    KnowledgeUsage,
    knowledge_store,
)

__all__ = [
    "KNOWLEDGE_COMMAND",
    "SEARCH_COMMAND",
    "EntryUse",
    "Hit",
    "KnowledgeEntry",
    "KnowledgeStore",
    "KnowledgeUsage",
    "knowledge_store",
    "send_review_reminders",
    "statistics_lines",
    "suggestions_after_asking",
]
