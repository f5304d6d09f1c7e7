"""Swedish text for the knowledge bank's search: words, Snowball stems, compound parts.

SQLite has no Swedish stemmer, so entries are stemmed here (PyStemmer: the Snowball
project's own C implementation, the same algorithm as PostgreSQL's `swedish` dictionary,
and fast enough to stem 100,000 entries at import) and FTS5 indexes the stems. A query is
stemmed the same way. Compounds ("deltidssjukskrivning") are met from both sides: a query
word is also looked up as a substring in the trigram index (it finds the longer compounds
it is part of), and a long query word is cut into its possible last and first parts, which
are searched as stems (they find entries that use the shorter word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[^\W_]+")
_STOP_WORDS = """
    och i att det som en på är av för med till den har de inte om ett han men var jag
    sig från vi så kan man när år säga hon under också efter eller nu sin där vid mot
    ska skall vad vilken vilket vilka hur då bara än alla få får fick kunna sina sitt
    något några någon inga ingen inget ha hade hos blir blev bli vara varit vem vems
    här dessa denna detta dem deras era er ni oss vår våra mig dig min mitt mina din
    ditt dina hans hennes dess åt utan över samt ju nog väl sedan innan mycket mer
    gäller gälla måste behöver bör går gå göra gör gjort kommer
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
"""Words that say nothing about a topic; left out of the index and of queries."""
_HEAD_MIN = 4
"""The shortest last part of a compound searched for ("resa" in "utlandsresa"); parts are
searched as whole stems, so a cut that is no word ("ning") finds nothing."""
_MODIFIER_MIN = 5
"""The shortest first part ("deltid" in "deltidssjukskrivning")."""
_COMPOUND_MIN = 10
"""Only words at least this long are cut into parts."""
MAX_QUERY_WORDS = 12


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


def words(text: str) -> list[str]:
    """The lower-cased words of `text`, without stop words."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]


def stems(text: str) -> str:
    """`text` as Snowball stems separated by spaces: what the SQLite stem index holds."""
    found = words(text)
    return " ".join(_stemmer().stemWords(found)) if found else ""


def fold(text: str) -> str:
    """Lower case with å, ä, ö as a, a, o: how the trigram index holds text, so that a
    query typed without Swedish letters still finds its substrings."""
    return text.lower().translate(_FOLD)


_FOLD = str.maketrans("åäöéü", "aaoeu")


@dataclass(frozen=True)
class SearchTerms:
    """A query taken apart for both databases."""

    words: tuple[str, ...]
    """The query's words (no stop words), as typed but lower-cased."""
    stems: tuple[str, ...]
    """Their Snowball stems."""
    compounds: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Each long word's stem with the stems of its possible first and last parts:
    ("deltidssjukskrivning", ("sjukskrivning", "deltid", …))."""

    @property
    def empty(self) -> bool:
        return not self.words

    @property
    def parts(self) -> tuple[str, ...]:
        """Every compound part, once, none of them a stem of the query."""
        known = set(self.stems)
        found = (p for _, parts in self.compounds for p in parts if p not in known)
        return tuple(dict.fromkeys(found))


def search_terms(query: str) -> SearchTerms:
    """Split a query into the words, stems and compound parts the search looks for."""
    found = list(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]
    stemmed = _stemmer().stemWords(found)
    compounds = tuple(
        (stem, tuple(dict.fromkeys(_stemmer().stemWords(_cuts(word)))))
        for word, stem in zip(found, stemmed, strict=True)
        if len(word) >= _COMPOUND_MIN
    )
    return SearchTerms(tuple(found), tuple(dict.fromkeys(stemmed)), compounds)


def _cuts(word: str) -> list[str]:
    """The possible last parts (at least `_HEAD_MIN` letters) and first parts (at least
    `_MODIFIER_MIN`) of a word, leaving at least three letters for the rest."""
    heads = [word[i:] for i in range(3, len(word) - _HEAD_MIN + 1)]
    return heads + [word[:i] for i in range(_MODIFIER_MIN, len(word) - 3)]


def fts_query(terms: tuple[str, ...]) -> str:
    """An FTS5 query matching any of `terms`, each quoted so no word is read as syntax."""
    return " OR ".join('"' + term.replace('"', "") + '"' for term in terms)
