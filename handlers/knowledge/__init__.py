"""The knowledge bank: answered questions rewritten as general knowledge, searched in
Swedish in the database, shown before a question is asked, and kept true by review dates.

`KNOWLEDGE_COMMAND` (`/kunskap`), `SEARCH_COMMAND` (`/sök`) and the typed `SAVE_COMMAND`
and `RESOLVED_COMMAND` (forms and buttons) are registered at wiring;
adapters call `suggestions_after_asking` once a question is registered; the due job can
call `send_review_reminders`, `/statistik` add `statistics_lines`, and `bryggan report`
export `bank_document` as Markdown or HTML."""

from handlers.knowledge.bank import SaveDraft, save_draft
from handlers.knowledge.command import (
    KNOWLEDGE_COMMAND,
    RESOLVED_COMMAND,
    SAVE_COMMAND,
    SEARCH_COMMAND,
)
from handlers.knowledge.export import BankDocument, bank_document, bank_html, bank_markdown
from handlers.knowledge.intake import Suggestion, suggestion_for, suggestions_after_asking
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
    "RESOLVED_COMMAND",
    "SAVE_COMMAND",
    "SEARCH_COMMAND",
    "BankDocument",
    "EntryUse",
    "Hit",
    "KnowledgeEntry",
    "KnowledgeStore",
    "KnowledgeUsage",
    "SaveDraft",
    "Suggestion",
    "bank_document",
    "bank_html",
    "bank_markdown",
    "knowledge_store",
    "save_draft",
    "send_review_reminders",
    "statistics_lines",
    "suggestion_for",
    "suggestions_after_asking",
]
