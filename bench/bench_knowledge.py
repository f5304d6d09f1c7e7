"""The knowledge bank's search and intake suggestion against the raw full-text query.

Seeds 10,000 and then 100,000 entries (SQLite file and/or a PostgreSQL schema of its own):
the Swedish test collection (tests/handlers/knowledge/collection.py) and generated entries
made of its sentences, reshuffled, with made-up words mixed in so the vocabulary grows
like a real bank's. Then times, in the same run and on the same data:

- search: Bryggan's `search_entries` for the collection's 71 queries (two lists fused,
  the three best entries loaded), against the raw full-text query of the database (SQLite:
  FTS5 MATCH over the stems ordered by bm25; PostgreSQL: `search_vector @@ to_tsquery`
  ordered by ts_rank), LIMIT 3, ids only;
- suggestion: the same with a whole question as the query, its category and the budget
  the intake uses, against the raw query with the same words.

Prints medians per query and the ratio, and how many of the queries still find their
entry in the top three among the generated ones. No assertions.

    python -m bench.bench_knowledge [--sizes 10000 100000] [--postgres URL] [--repeat 3]

PostgreSQL is used when --postgres or BRYGGAN_BENCH_POSTGRES_URL / BRYGGAN_TEST_POSTGRES_URL
is set; the schema `bench_knowledge` is created in it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from handlers.knowledge import KnowledgeEntry, knowledge_store
from handlers.knowledge.intake import BUDGET_MS
from storage.db import Database, make_engine, upgrade
from storage.directory import PersonSpec, sync_directory
from storage.knowledge_search import index_entries
from storage.knowledge_text import fts_query, search_terms
from tests.handlers.knowledge.collection import ENTRIES, QUERIES

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
QUESTIONS = [
    ("Vi undrar vad som händer med SGI:n när patienten går ner till deltid?", "sgi_formaner"),
    ("Handläggaren har begärt komplettering, vad behöver läkaren skriva?", "komplettering"),
    ("Är det lönt att begära ett avstämningsmöte när återgången är oklar?", "avstamningsmote"),
    ("Hur bedöms arbetsförmågan efter dag 180 i rehabiliteringskedjan?", "regler"),
    ("Kan patienten få sjukersättning när all rehabilitering är prövad?", "sa_ae"),
    ("Hur ska arbetstiden förläggas vid en deltidssjukskrivning på 50 procent?", "arbetsformaga"),
]
BATCH = 2000
SYLLABLES = "ar be de fo gi hu ja ko la me ni ov pu ra se ti ul va ny äs öl".split()  # noqa: SIM905


def sentences() -> list[str]:
    found = [s.strip() + "." for d in ENTRIES for s in d.body.split(".") if len(s.strip()) > 20]
    return found


def made_up_words(rng: random.Random, count: int) -> list[str]:
    syllables = SYLLABLES
    return ["".join(rng.choices(syllables, k=rng.randint(3, 5))) for _ in range(count)]


def generated(count: int, start: int) -> Iterator[tuple[str, str, str]]:
    """`count` entries (title, body, category), deterministic for a given `start`."""
    rng = random.Random(start)
    pool, words = sentences(), made_up_words(rng, 20_000)
    categories = sorted({d.category for d in ENTRIES})
    for _ in range(count):
        body = " ".join(rng.sample(pool, 3)) + " " + " ".join(rng.sample(words, 8)) + "."
        title = " ".join(rng.sample(words, 2)).capitalize() + " " + rng.choice(pool).split()[2]
        yield title, body, rng.choice(categories)


def count_entries(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT COUNT(*) FROM knowledge_entries")).scalar_one())


def seed_collection(database: Database) -> dict[int, str]:
    with database.session() as session:
        sync_directory(session, [PersonSpec("anna", "Anna Berg", ("contact",), {})], [])
    keys: dict[int, str] = {}
    with database.transaction() as store:
        author = store.person_by_key(key="anna")
        assert author is not None
        bank = knowledge_store(store)
        for doc in ENTRIES:
            entry = KnowledgeEntry(
                0, doc.title, doc.body, doc.category, None, author.id, NOW, NOW, date(2027, 11, 23)
            )
            keys[bank.add_entry(entry=entry).id] = doc.key
    return keys


def seed_generated(engine: Engine, count: int) -> None:
    """Bulk inserts (the repository's own path indexes one entry at a time)."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as connection:
        author = connection.execute(text("SELECT id FROM people WHERE key = 'anna'")).scalar_one()
        first = int(connection.execute(text("SELECT MAX(id) FROM knowledge_entries")).scalar_one())
    rows = list(generated(count, first))
    for offset in range(0, len(rows), BATCH):
        batch = rows[offset : offset + BATCH]
        ids = range(first + 1 + offset, first + 1 + offset + len(batch))
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO knowledge_entries (id, title, body, category, author_id,"
                    " created_at, updated_at, review_on)"
                    " VALUES (:id, :t, :b, :c, :a, :now, :now, :review)"
                ),
                [
                    {"id": i, "t": t, "b": b, "c": c, "a": author, "now": NOW}
                    | {"review": date(2027, 11, 23)}
                    for i, (t, b, c) in zip(ids, batch, strict=True)
                ],
            )
        with Session(engine) as session, session.begin():
            index_entries(session, [(i, t, b) for i, (t, b, _) in zip(ids, batch, strict=True)])
    if not sqlite:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE knowledge_entries"))


def raw_query(engine: Engine, query: str) -> list[int]:
    """The database's own full-text query, best three ids, nothing else."""
    terms = search_terms(query)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            sql = (
                "SELECT rowid FROM knowledge_search_stems WHERE knowledge_search_stems MATCH :q"
                " ORDER BY bm25(knowledge_search_stems) LIMIT 3"
            )
            return list(connection.execute(text(sql), {"q": fts_query(terms.stems)}).scalars())
        sql = (
            "SELECT id FROM knowledge_entries, to_tsquery('swedish', :q) q"
            " WHERE search_vector @@ q ORDER BY ts_rank(search_vector, q) DESC LIMIT 3"
        )
        return list(connection.execute(text(sql), {"q": " | ".join(terms.words)}).scalars())


def ours(database: Database, query: str, category: str | None, budget: int | None) -> list[int]:
    with database.transaction() as store:
        hits = knowledge_store(store).search_entries(
            query=query, category=category, limit=3, budget_ms=budget
        )
        return [hit.entry.id for hit in hits]


def medians(
    actions: tuple[Callable[[str, str | None], object], ...],
    queries: list[tuple[str, str | None]],
    repeat: int,
) -> list[float]:
    """The median time of one query for each action; the actions alternate query by query,
    so that load on the machine hits them alike."""
    samples: list[list[float]] = [[] for _ in actions]
    for _ in range(repeat):
        for query, category in queries:
            for action, times in zip(actions, samples, strict=True):
                started = time.perf_counter()
                action(query, category)
                times.append(time.perf_counter() - started)
    return [statistics.median(times) for times in samples]


def compare(
    name: str,
    database: Database,
    queries: list[tuple[str, str | None]],
    repeat: int,
    budget: int | None,
) -> None:
    engine = database.engine

    def code(query: str, category: str | None) -> object:
        return ours(database, query, category, budget)

    def raw(query: str, _category: str | None) -> object:
        return raw_query(engine, query)

    medians((code, raw), queries[:5], 1)  # warm-up
    a, b = medians((code, raw), queries, repeat)
    print(
        f"  {name:<11} Bryggan {a * 1000:7.2f} ms   raw full-text {b * 1000:7.2f} ms"
        f"   ratio {a / b:5.2f}×",
        flush=True,
    )


def bench(label: str, url: str, sizes: list[int], repeat: int) -> None:
    engine = make_engine(url)  # an empty database: a new file, a new schema
    upgrade(engine)
    database = Database(engine)
    keys = seed_collection(database)
    searches: list[tuple[str, str | None]] = [(q.text, None) for q in QUERIES]
    suggestions: list[tuple[str, str | None]] = list(QUESTIONS)
    for size in sizes:
        started = time.perf_counter()
        seed_generated(engine, size - count_entries(engine))
        seeded = time.perf_counter() - started
        print(
            f"{label}: {count_entries(engine):,} entries (seeded in {seeded:.0f} s);"
            f" median per query of {repeat} passes"
        )
        compare("search", database, searches, repeat, None)
        compare("suggestion", database, suggestions, repeat, BUDGET_MS)
        found = sum(
            keys.get(hit) == q.expected
            for q in QUERIES
            for hit in ours(database, q.text, q.category, None)
        )
        print(
            f"  the collection's queries with their entry in the top three: {found}/{len(QUERIES)}"
        )
    engine.dispose()


def postgres_url(url: str) -> str:
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text('DROP SCHEMA IF EXISTS "bench_knowledge" CASCADE'))
        connection.execute(text('CREATE SCHEMA "bench_knowledge"'))
    admin.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3Dbench_knowledge"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--sqlite",
        type=Path,
        default=Path(tempfile.gettempdir()) / "bryggan-bench-knowledge.sqlite3",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BRYGGAN_BENCH_POSTGRES_URL")
        or os.environ.get("BRYGGAN_TEST_POSTGRES_URL"),
    )
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if args.only != "postgresql":
        args.sqlite.unlink(missing_ok=True)
        bench("SQLite", f"sqlite:///{args.sqlite}", sorted(args.sizes), args.repeat)
    if args.postgres and args.only != "sqlite":
        bench("PostgreSQL", postgres_url(args.postgres), sorted(args.sizes), args.repeat)


if __name__ == "__main__":
    main()
