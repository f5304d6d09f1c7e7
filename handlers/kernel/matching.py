"""Forgiving matching of what people type on a phone: case, å/ä/ö typed as a/o, prefixes."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", "æ": "a", "ø": "o"})


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case, strip diacritics the Swedish way (å/ä → a, ö → o) and keep only [a-z0-9].

    Kept for the last 4,096 texts: matching a field folds every unit's, category's and
    direction's names (over a hundred calls per question), and those names repeat."""
    lowered = unicodedata.normalize("NFC", text).lower().translate(_FOLD)
    return re.sub(r"[^a-z0-9]", "", lowered)


@dataclass(frozen=True)
class Match(Generic[T]):
    """The outcome of matching typed text against named choices."""

    value: T | None
    candidates: tuple[T, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.value is None and len(self.candidates) > 1


def match_choice(typed: str, choices: Iterable[tuple[T, Iterable[str]]]) -> Match[T]:
    """Match `typed` against choices, each with the names it may be called by.

    An exact (folded) name wins; otherwise a unique prefix of a name or of one of its words.
    Several prefix hits give an ambiguous match listing them, none gives an empty match.
    """
    key = fold(typed)
    if not key:
        return Match(None)
    exact: list[T] = []
    prefix: list[T] = []
    for value, names in choices:
        folded = [fold(n) for n in names]
        words = [fold(w) for n in names for w in re.split(r"[\s_\-/]+", n) if w]
        if key in folded:
            exact.append(value)
        elif any(n.startswith(key) for n in folded + words):
            prefix.append(value)
    if len(exact) == 1:
        return Match(exact[0])
    hits = exact or prefix
    if len(hits) == 1:
        return Match(hits[0])
    return Match(None, tuple(hits))
