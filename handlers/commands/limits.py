"""Bounds on what one message may make the core do, checked before anything reads it.

Every entry (a typed line in the console, Slack or Matrix, a thread message or its edit, a
form's fields) passes `InputLimits.refusal` first: the whole text's length, then (on what is
left, at most a few thousand characters) the number of words, the longest word and the
number of `key:value` fields. Parsers behind it are linear too, but a bound in front keeps
the cost of a hostile message (a 900 kB word once held the process for ten minutes) to the
cost of measuring it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.kernel import texts

_FIELD = re.compile(r"(?<!\S)[^\W\d_][^\s:]{0,39}:\S")
"""A word that looks like `key:value` (the key starts with a letter)."""


@dataclass(frozen=True)
class InputLimits:
    """The bounds for one message; `max_text` is the longest question or answer."""

    max_text: int = 2000
    room: int = 500
    """Characters allowed beyond `max_text` for the command word, a reference and fields."""
    max_words: int = 1000
    max_word: int = 400
    """The longest word (a long link fits; a pasted blob does not)."""
    max_fields: int = 20

    @property
    def max_line(self) -> int:
        return self.max_text + self.room

    def refusal(self, text: str) -> str | None:
        """The Swedish refusal when `text` exceeds a bound, else None. Linear in `text`,
        and only the length is measured on a text over `max_line`."""
        if len(text) > self.max_line:
            return texts.TEXT_TOO_LONG.format(length=len(text), limit=self.max_text)
        words = text.split()
        if len(words) > self.max_words:
            return texts.TOO_MANY_WORDS.format(count=len(words), limit=self.max_words)
        longest = max(map(len, words), default=0)
        if longest > self.max_word:
            return texts.WORD_TOO_LONG.format(length=longest, limit=self.max_word)
        fields = sum(1 for _ in _FIELD.finditer(text))
        if fields > self.max_fields:
            return texts.TOO_MANY_FIELDS.format(count=fields, limit=self.max_fields)
        return None
