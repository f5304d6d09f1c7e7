"""Every event fits: a size budget for what the bot sends, and long texts split to fit it.

Synapse refuses an event over 65,536 bytes (`M_TOO_LARGE`), and that limit counts the
whole event: the content plus what the homeserver wraps around it (room and sender ids,
hashes, signatures, the ids of earlier events). In an encrypted room the content travels
as base64 ciphertext, about 4/3 of the clear JSON. So the content of one event may take
at most `content_budget(encrypted)` bytes, measured as nio sends it (JSON with escaped
non-ASCII, the larger of the encodings).

A text too long for one event is split at line breaks into several events, each marked
"(fortsättning 2 av 3)"; a single line longer than a whole event is cut between characters.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from handlers.kernel import texts

EVENT_LIMIT = 65_536
"""Synapse's limit for one event (the PDU as JSON), in bytes."""
ENVELOPE = 8_192
"""Room over the content for what the homeserver adds around it (ids, hashes, signatures,
up to 20 earlier-event ids of each kind)."""
E2EE_EXPANSION = 4 / 3
"""Ciphertext is base64: four bytes for every three of the encrypted JSON."""
MEGOLM_ENVELOPE = 1_024
"""The encrypted event's own fields besides the ciphertext (sender key, session, device)."""

ContentFor = Callable[[str], dict[str, Any]]


def content_budget(encrypted: bool) -> int:
    """The most bytes of content one event may carry in a plain or encrypted room."""
    clear = EVENT_LIMIT - ENVELOPE
    if not encrypted:
        return clear
    return int((clear - MEGOLM_ENVELOPE) / E2EE_EXPANSION)


def content_size(content: dict[str, Any]) -> int:
    """Bytes of the content as sent (and as encrypted): JSON with non-ASCII escaped."""
    return len(json.dumps(content, separators=(",", ":")).encode())


def fits(content: dict[str, Any], *, encrypted: bool) -> bool:
    return content_size(content) <= content_budget(encrypted)


def split_to_fit(text: str, content_for: ContentFor, budget: int) -> list[str]:
    """`text` as one or more parts whose contents (`content_for(part)`) fit `budget`.

    Parts break at line ends where they can; every part after the first starts with
    "(fortsättning N av M)", so a reader sees that they belong together.
    """
    if content_size(content_for(text)) <= budget:
        return [text]
    for allowance in (0.9, 0.7, 0.5, 0.3):
        chunks = _chunks(text, content_for, budget, allowance)
        parts = [_marked(chunk, index, len(chunks)) for index, chunk in enumerate(chunks)]
        if all(content_size(content_for(part)) <= budget for part in parts):
            return parts
    raise ValueError("the text does not split into parts that fit (content overhead too big)")


def _marked(chunk: str, index: int, count: int) -> str:
    if index == 0:
        return chunk
    return texts.MATRIX_CONTINUED.format(part=index + 1, parts=count) + "\n" + chunk


def _chunks(text: str, content_for: ContentFor, budget: int, allowance: float) -> list[str]:
    """Lines packed greedily into chunks of a byte size estimated to fit."""
    overhead = content_size(content_for(""))
    # How many content bytes one byte of text costs (HTML and edits repeat it).
    cost = max(1.0, (content_size(content_for(text)) - overhead) / max(1, _size(text)))
    per_chunk = max(64, int((budget - overhead) / cost * allowance))
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for line in _pieces(text.split("\n"), per_chunk):
        size = _size(line) + 2
        if current and used + size > per_chunk:
            chunks.append("\n".join(current))
            current, used = [], 0
        current.append(line)
        used += size
    if current:
        chunks.append("\n".join(current))
    return chunks


def _pieces(lines: list[str], per_chunk: int) -> list[str]:
    """The lines, with any line longer than a chunk cut between characters."""
    pieces: list[str] = []
    for line in lines:
        while _size(line) > per_chunk:
            cut = per_chunk
            while _size(line[:cut]) > per_chunk:
                cut = max(1, cut * 3 // 4)
            pieces.append(line[:cut])
            line = line[cut:]
        pieces.append(line)
    return pieces


def _size(text: str) -> int:
    """The escaped JSON size of a text, without its quotes."""
    return len(json.dumps(text).encode()) - 2
