"""The knowledge bank's Swedish search, in the database, on SQLite and PostgreSQL.

Two ranked lists are fused by reciprocal rank (a hit scores weight / (K + its rank) in each
list it is in) plus a bonus for the asker's category:

1. the query's Snowball stems: SQLite FTS5 over stems (the repository stems, SQLite
   cannot), bm25 with the title weighing three times the text; PostgreSQL
   `to_tsvector('swedish', …)` in a stored, GIN-indexed column, ts_rank;
2. at half weight, compounds and near spellings: words of the bank that contain a query stem
   ("deltidssjukskrivning" for "sjukskrivning"), found with a trigram index over the bank's
   vocabulary (SQLite FTS5 `tokenize='trigram'`, PostgreSQL pg_trgm with LIKE), and the
   parts of a long query word that are words of the bank ("sjukskrivning" and "deltid" for
   "deltidssjukskrivning"), and for a query word the bank does not know, its words spelt
   almost alike ("komplettring" → "komplettering", by shared trigrams: FTS5 rank on
   SQLite, pg_trgm similarity on PostgreSQL), all searched like the stems.

The vocabulary (`knowledge_search_words`, one row per distinct stem, never pruned: a stale
word matches nothing) is small next to the entries, so finding compounds there costs
about a millisecond where a trigram search over all texts cost most of the time
(docs/knowledge.md has the figures).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from storage.knowledge_text import SearchTerms, fold, fts_query, stems

POOL = 100
"""How many hits each ranked list contributes before fusion."""
EXPANSIONS = 40
"""The most compounds and parts added to one query."""
K = 10
CATEGORY_BONUS = 0.05
EXPANSION_WEIGHT = 0.5
TYPO_MIN = 7
"""The shortest query word that may be a misspelling of a word of the bank (shorter ones
are too close to too many words: "fragan" to "framga")."""
TYPO_RATIO = 0.88
TYPO_CANDIDATES = 30
MAX_TYPO_WORDS = 3
_LEXEME = re.compile(r"^\w+$")


def index_entry(session: Session, entry_id: int, title: str, body: str) -> None:
    """Make an entry findable (see `index_entries`)."""
    index_entries(session, [(entry_id, title, body)])


def index_entries(session: Session, entries: Sequence[tuple[int, str, str]]) -> None:
    """Make entries (id, title, text) findable: SQLite's stem table, and the vocabulary on
    both databases (PostgreSQL's tsvector column is generated)."""
    if not entries:
        return
    if session.get_bind().dialect.name != "sqlite":
        session.execute(
            text(
                "INSERT INTO knowledge_search_words (term) SELECT DISTINCT w.lexeme"
                " FROM knowledge_entries e, unnest(e.search_vector) w"
                " WHERE e.id IN :ids AND length(w.lexeme) >= 3 ON CONFLICT (term) DO NOTHING"
            ).bindparams(bindparam("ids", expanding=True)),
            {"ids": [entry_id for entry_id, _, _ in entries]},
        )
        return
    rows = [{"id": i, "t": stems(title), "b": stems(body)} for i, title, body in entries]
    session.execute(
        text("INSERT INTO knowledge_search_stems (rowid, title, body) VALUES (:id, :t, :b)"),
        rows,
    )
    words = {fold(w) for row in rows for w in f"{row['t']} {row['b']}".split() if len(w) >= 3}
    if words:
        session.execute(
            text("INSERT OR IGNORE INTO knowledge_search_words (term) VALUES (:term)"),
            [{"term": word} for word in sorted(words)],
        )


def unindex_entry(session: Session, entry_id: int) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            text("DELETE FROM knowledge_search_stems WHERE rowid = :id"), {"id": entry_id}
        )


def expansions(session: Session, terms: SearchTerms) -> list[str]:
    """Words of the bank that contain a query stem, and parts of long query words that are
    words of the bank; neither the query's own stems."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    own = {fold(s) for s in terms.stems} if sqlite else set(terms.stems)
    long_stems = [s for s in terms.stems if len(s) >= 5]
    found: list[str] = []
    if long_stems and sqlite:
        found += session.execute(
            text(
                "SELECT term FROM knowledge_search_word_trigrams"
                " WHERE knowledge_search_word_trigrams MATCH :q LIMIT :n"
            ),
            {"q": fts_query(tuple(fold(s) for s in long_stems)), "n": EXPANSIONS},
        ).scalars()
    elif long_stems:
        near = " OR ".join(f'term COLLATE "C" LIKE :p{i}' for i in range(len(long_stems)))
        patterns = {f"p{i}": f"%{_like(s)}%" for i, s in enumerate(long_stems)}
        found += session.execute(
            text(f"SELECT term FROM knowledge_search_words WHERE {near} LIMIT :n"),
            patterns | {"n": EXPANSIONS},
        ).scalars()
    form = fold if sqlite else str
    asked = {form(s) for s in terms.stems if len(s) >= TYPO_MIN}
    asked |= {form(s) for s, _ in terms.compounds} | {form(p) for p in terms.parts}
    known = _known(session, asked)
    found += _known_parts(terms, form, known)
    unknown = [form(s) for s in terms.stems if len(s) >= TYPO_MIN and form(s) not in known]
    found += _corrections(session, unknown, sqlite)
    return [t for t in dict.fromkeys(found) if t not in own][:EXPANSIONS]


def _known(session: Session, words: set[str]) -> set[str]:
    """Which of `words` are words of the bank."""
    if not words:
        return set()
    lookup = text("SELECT term FROM knowledge_search_words WHERE term IN :terms")
    lookup = lookup.bindparams(bindparam("terms", expanding=True))
    return set(session.execute(lookup, {"terms": sorted(words)}).scalars())


def _known_parts(terms: SearchTerms, form: Callable[[str], str], known: set[str]) -> list[str]:
    """The parts of the query's long words that are words of the bank, for the long words
    the bank does not know itself (a known compound needs no cutting: "läkarintyg" is not
    searched as "läkar" and "intyg" when entries use "läkarintyg")."""
    return [
        form(part)
        for stem, parts in terms.compounds
        if form(stem) not in known
        for part in parts
        if form(part) in known
    ]


def _corrections(session: Session, unknown: list[str], sqlite: bool) -> list[str]:
    """For query words the bank does not know, its words that are spelt almost alike
    ("sjukskrivnign" → "sjukskrivning"): candidates by shared trigrams from the vocabulary's
    trigram index, kept when they are close enough."""
    found: list[str] = []
    for word in unknown[:MAX_TYPO_WORDS]:
        if sqlite:
            trigrams = tuple(dict.fromkeys(word[i : i + 3] for i in range(len(word) - 2)))
            candidates = session.execute(
                text(
                    "SELECT term FROM knowledge_search_word_trigrams"
                    " WHERE knowledge_search_word_trigrams MATCH :q ORDER BY rank LIMIT :n"
                ),
                {"q": fts_query(trigrams), "n": TYPO_CANDIDATES},
            ).scalars()
        else:
            trgm = _trigram_schema(session)
            candidates = session.execute(
                text(
                    "SELECT term FROM knowledge_search_words"
                    f' WHERE (term COLLATE "C") OPERATOR({trgm}.%) :w'
                    f" ORDER BY {trgm}.similarity(term, :w) DESC LIMIT :n"
                ),
                {"w": word, "n": TYPO_CANDIDATES},
            ).scalars()
        close = sorted(
            ((SequenceMatcher(None, word, c).ratio(), c) for c in candidates),
            reverse=True,
        )
        found += [c for ratio, c in close[:1] if ratio >= TYPO_RATIO]
    return found


def _trigram_schema(session: Session) -> str:
    """The schema pg_trgm lives in (migration 0005 puts it in `public` unless it was
    elsewhere already), so its operator is found whatever the search path."""
    schema = session.execute(
        text(
            "SELECT n.nspname FROM pg_extension x JOIN pg_namespace n"
            " ON n.oid = x.extnamespace WHERE x.extname = 'pg_trgm'"
        )
    ).scalar_one()
    return '"' + str(schema).replace('"', '""') + '"'


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_sql(session: Session, terms: SearchTerms) -> tuple[str, dict[str, Any]]:
    """The fused search over the stems and the expansions, and its parameters (without
    `category`, `limit` and `offset`)."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    params: dict[str, Any] = {"pool": POOL, "k": K, "bonus": CATEGORY_BONUS}
    extra = expansions(session, terms)
    if sqlite:
        params["stems"] = fts_query(terms.stems)
        lists = [_SQLITE_LIST.format(weight=1.0, param="stems")]
        if extra:
            params["extra"] = fts_query(tuple(extra))
            lists.append(_SQLITE_LIST.format(weight=EXPANSION_WEIGHT, param="extra"))
    else:
        params["stems"] = " | ".join(terms.words)
        lists = [_PG_LIST.format(weight=1.0, config="swedish", param="stems")]
        lexemes = [_quoted(t) for t in extra if _LEXEME.match(t)]
        if lexemes:
            params["extra"] = " | ".join(lexemes)
            lists.append(_PG_LIST.format(weight=EXPANSION_WEIGHT, config="simple", param="extra"))
    return _FUSED.format(hits="\n UNION ALL ".join(lists)), params


def _quoted(lexeme: str) -> str:
    """A lexeme as a tsquery operand, taken as it is (no stemming, no syntax)."""
    return "'" + lexeme.replace("'", "''") + "'"


_SQLITE_LIST = """SELECT id, {weight} / (:k + row_number() OVER (ORDER BY rank)) AS s FROM (
   SELECT rowid AS id, bm25(knowledge_search_stems, 3.0, 1.0) AS rank
   FROM knowledge_search_stems WHERE knowledge_search_stems MATCH :{param}
   ORDER BY rank LIMIT :pool)"""
_PG_LIST = """SELECT id, {weight} / (:k + row_number() OVER (ORDER BY rank DESC)) AS s FROM (
   SELECT e.id, ts_rank(e.search_vector, q, 1) AS rank
   FROM knowledge_entries e, to_tsquery('{config}', :{param}) q
   WHERE e.search_vector @@ q AND e.retired_at IS NULL
   ORDER BY rank DESC LIMIT :pool) AS ranked"""
_FUSED = """WITH hits AS ({hits})
SELECT e.id, sum(h.s) + CASE WHEN e.category = :category THEN :bonus ELSE 0 END AS score
FROM hits h JOIN knowledge_entries e ON e.id = h.id
WHERE e.retired_at IS NULL
GROUP BY e.id, e.category
ORDER BY score DESC, e.id
LIMIT :limit OFFSET :offset"""
