"""The knowledge bank: answered questions rewritten as general knowledge, searched in
Swedish, shown before a question is asked, and kept true by review dates."""

from handlers.knowledge.model import (
    EntryUse,
    Hit,
    KnowledgeEntry,
    KnowledgeStore,
    KnowledgeUsage,
    knowledge_store,
)

__all__ = [
    "EntryUse",
    "Hit",
    "KnowledgeEntry",
    "KnowledgeStore",
    "KnowledgeUsage",
    "knowledge_store",
]
