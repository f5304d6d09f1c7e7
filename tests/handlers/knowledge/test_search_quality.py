"""The Swedish test collection: the right entry is among the best three for at least 90 %
of the queries, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date

from bot.wiring import Bryggan
from handlers.knowledge import KnowledgeEntry, knowledge_store
from tests.handlers.knowledge.collection import ENTRIES, QUERIES


def load_collection(app: Bryggan) -> dict[int, str]:
    """Every entry of the collection in the bank; entry id → the collection's key."""
    keys: dict[int, str] = {}
    now = app.core.clock()
    with app.stores() as store:
        author = store.person_by_key(key="anna")
        assert author is not None
        bank = knowledge_store(store)
        for doc in ENTRIES:
            entry = bank.add_entry(
                entry=KnowledgeEntry(
                    id=0,
                    title=doc.title,
                    body=doc.body,
                    category=doc.category,
                    direction=None,
                    author_id=author.id,
                    created_at=now,
                    updated_at=now,
                    review_on=date(2027, 12, 1),
                )
            )
            keys[entry.id] = doc.key
    return keys


def test_the_collection_is_big_enough() -> None:
    assert len(ENTRIES) >= 60
    assert len(QUERIES) >= 60
    assert {q.expected for q in QUERIES} <= {d.key for d in ENTRIES}
    assert len({d.key for d in ENTRIES}) == len(ENTRIES)


def test_the_right_entry_is_in_the_top_three_for_nine_queries_in_ten(app: Bryggan) -> None:
    keys = load_collection(app)
    misses: list[str] = []
    with app.stores() as store:
        bank = knowledge_store(store)
        for query in QUERIES:
            hits = bank.search_entries(query=query.text, category=query.category, limit=3)
            found = [keys[hit.entry.id] for hit in hits]
            if query.expected not in found:
                misses.append(f"{query.text!r}: {found} (expected {query.expected})")
    share = 1 - len(misses) / len(QUERIES)
    assert share >= 0.9, f"{share:.0%} in the top three; missed:\n" + "\n".join(misses)
    print(f"{share:.1%} of {len(QUERIES)} queries in the top three; missed: {misses}")
