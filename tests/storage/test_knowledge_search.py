"""The knowledge bank's search in the database: the asker's category counts, retired
entries leave at once, the budget stops a search without undoing the transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.wiring import Bryggan
from handlers.kernel import Store
from handlers.knowledge import KnowledgeEntry, knowledge_store

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def add(store: Store, title: str, body: str, category: str) -> int:
    author = store.person_by_key(key="anna")
    assert author is not None
    entry = KnowledgeEntry(0, title, body, category, None, author.id, NOW, NOW, date(2027, 11, 23))
    return knowledge_store(store).add_entry(entry=entry).id


def test_the_chosen_category_decides_between_equal_matches(app: Bryggan) -> None:
    with app.stores() as store:
        sgi = add(store, "Läkarintyg och SGI", "Läkarintyget styr ersättningen.", "sgi_formaner")
        cert = add(store, "Läkarintyg och SGI", "Läkarintyget styr ersättningen.", "intyg")
        bank = knowledge_store(store)
        for category, first in (("sgi_formaner", sgi), ("intyg", cert)):
            hits = bank.search_entries(query="läkarintyg", category=category)
            assert hits[0].entry.id == first
            assert hits[0].score > hits[1].score


def test_retired_entries_are_not_found_and_edits_are(app: Bryggan) -> None:
    with app.stores() as store:
        entry = add(
            store, "Avstämningsmöte", "När ett avstämningsmöte är värt det.", "avstamningsmote"
        )
        bank = knowledge_store(store)
        bank.update_entry(entry_id=entry, title="Pulsmöte", body="Korta återkommande möten.")
        assert bank.search_entries(query="avstämningsmöte") == []
        assert [h.entry.id for h in bank.search_entries(query="pulsmöten")] == [entry]
        bank.update_entry(entry_id=entry, retired_at=NOW)
        assert bank.search_entries(query="pulsmöte") == []


def test_a_search_past_its_budget_finds_nothing_and_the_transaction_goes_on(
    app: Bryggan,
) -> None:
    with app.stores() as store:
        # Enough text that the search takes well over a millisecond, PostgreSQL's shortest
        # statement_timeout (SQLite's progress handler stops it at its first check).
        for n in range(300):
            add(
                store,
                f"Sjukpenning {n}",
                "Sjukpenning och sjukskrivning på deltid. " * 60,
                "regler",
            )
        bank = knowledge_store(store)
        assert bank.search_entries(query="sjukpenning deltid", budget_ms=None)
        assert bank.search_entries(query="sjukpenning deltid", budget_ms=0) == []
        add(store, "Efteråt", "Transaktionen fungerar fortfarande.", "regler")
    with app.stores() as store:
        found = knowledge_store(store).search_entries(query="efteråt")
        assert [hit.entry.title for hit in found] == ["Efteråt"]


def test_a_misspelt_word_finds_the_entry_it_meant(app: Bryggan) -> None:
    with app.stores() as store:
        entry = add(store, "Komplettering", "Svara på de frågor som ställs.", "komplettering")
        add(store, "Sjukersättning", "Stadigvarande nedsatt arbetsförmåga.", "sa_ae")
        bank = knowledge_store(store)
        for typo in ("komplettring", "kompletering", "komplettreing"):
            hits = bank.search_entries(query=typo)
            assert [hit.entry.id for hit in hits] == [entry], typo
        assert bank.search_entries(query="kompott") == []
