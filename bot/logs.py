"""Logging for the whole process: one stream, and no identity number in any record.

Every record is masked where it is made (a log-record factory), so every handler sees it masked:
the standard-error stream `configure_logging` sets up, a file handler an operator adds, pytest's
capture. Bryggan's records and the libraries' alike (bolt and slack_sdk print payloads in warnings
and at DEBUG, nio every response it validates, SQLAlchemy its parameters if echoing), at every
level; the message, its arguments, a traceback and a stack are masked with the core's own guard
before anything is written. The handler's filter does the same for a record made before the factory
was installed.

No payload is logged raw: with `-v` the libraries that dump whole payloads at DEBUG stay at
INFO, and bolt's warning about a request it has no listener for keeps only the request's type.

Payloads reach a record dumped, not as typed: a Python repr or JSON writes a pasted number's
line break or no-break space as ``\\n`` or ``\\xa0``, a form as ``%C2%A0``, Matrix's HTML as
``&nbsp;``. `mask` reads through those escapes (a dump inside a dump too) and masks the number
with its escapes; everything else in the record stays as it was.
"""

from __future__ import annotations

import codecs
import html
import logging
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import Any

from handlers.kernel import REDACTION, identity_number_spans

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# How a dump writes a character: a backslash escape (Python repr, JSON; any number of
# backslashes, for a dump inside a dump), a run of URL-encoded bytes, an HTML entity or <br>;
# a form also writes a space as "+", which is read both ways, as a "+" may be just that.
_ESCAPES = (
    r"\\+(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[nrtfv])"
    r"|(?:%[0-9a-fA-F]{2})+"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});"
    r"|<br\s*/?>"
)
# The lookahead first lets the engine skip to where an escape can start.
_ESCAPE = re.compile(rf"(?=[\\%&<])(?:{_ESCAPES})", re.IGNORECASE)
_ESCAPE_OR_FORM_SPACE = re.compile(rf"(?=[\\%&<+])(?:{_ESCAPES}|\+)", re.IGNORECASE)
_ESCAPE_STARTS = ("\\", "%", "+", "&", "<")
_LAYERS = 3
_MASKED = "identity_numbers_masked"

Span = tuple[int, int]


def mask(text: str) -> str:
    """``text`` with every identity number replaced by the guard's redaction, also one that a
    dumped payload writes with escapes; the escapes inside a number go with it."""
    spans = _spans(text, _ESCAPE)
    if "+" in text:
        spans = _union(spans, _spans(text, _ESCAPE_OR_FORM_SPACE))
    parts: list[str] = []
    end = 0
    for start, stop in spans:
        parts += [text[end:start], REDACTION]
        end = stop
    parts.append(text[end:])
    return "".join(parts)


class IdentityNumberFilter(logging.Filter):
    """Masks every identity number in a record; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, _MASKED, False):
            _mask_record(record)
        return True


def mask_every_record() -> Callable[[], None]:
    """Make every log record masked as it is made, whichever handler writes it; returns the
    function that puts the previous factory back. Installing it twice changes nothing."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, _MASKED, False):
        return lambda: None

    def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _mask_record(record)
        return record

    setattr(masked_record, _MASKED, True)
    logging.setLogRecordFactory(masked_record)
    return lambda: logging.setLogRecordFactory(previous)


PAYLOAD_LOGGERS = ("slack_bolt", "slack_sdk", "nio", "aiohttp", "sqlalchemy", "urllib3", "waitress")
"""Libraries that write whole payloads (requests, responses, envelopes, sync bodies, rows) at
DEBUG: with `-v` they stay at INFO, so no payload is logged raw, only Bryggan's own records."""
_PAYLOAD_TYPE = re.compile(r"'type': '([\w.]{1,40})'")
_BOLT_PAYLOAD = re.compile(r"^(Unhandled request|A global middleware \(\w+\) skipped)", re.DOTALL)


def configure_logging(*, verbose: bool) -> None:
    """WARNING and up (DEBUG with `-v`, the libraries' payload dumps left out) to standard
    error, identity numbers masked."""
    mask_every_record()
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(IdentityNumberFilter())
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, handlers=[handler])
    if verbose:
        for name in PAYLOAD_LOGGERS:
            logging.getLogger(name).setLevel(logging.INFO)


def _without_payload(record: logging.LogRecord, message: str) -> str:
    """bolt's warning about a request it has no listener for (a legacy dialog, a typeahead,
    an unknown button) quotes the request's body: kept as its first words only."""
    found = _BOLT_PAYLOAD.match(message)
    if not found:
        return message
    kind = _PAYLOAD_TYPE.search(message)
    return f"{found.group(1)} ({kind.group(1) + '; ' if kind else ''}payload not logged)"


def _mask_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a broken format: keep what it says, masked, rather than fail the caller
        message = f"{record.msg} {record.args!r}"
    masked = mask(_without_payload(record, message))
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask(record.exc_text)
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    setattr(record, _MASKED, True)


def _spans(text: str, escape: re.Pattern[str]) -> list[Span]:
    """The spans in ``text`` of the numbers in it once its escapes are decoded, layer by layer
    (``escape`` for the outer one: a "+" decoded from a form is a plus)."""
    dumps: list[_Dump] = []
    scanned = text
    while len(dumps) < _LAYERS and any(start in scanned for start in _ESCAPE_STARTS):
        dump = _Dump(scanned, escape if not dumps else _ESCAPE)
        if dump.decoded == scanned:
            break
        dumps.append(dump)
        scanned = dump.decoded
    spans = identity_number_spans(scanned)
    for dump in reversed(dumps):
        spans = [dump.original_span(span) for span in spans]
    return spans


def _union(first: list[Span], second: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(first + second):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class _Dump:
    """A dump with its escapes decoded, and the way back to the positions of the dump.

    The dump is cut into pieces: literal stretches, and escapes that each decode to one
    character (or, when broken, stand for themselves); a position inside an escape maps to
    the whole escape."""

    def __init__(self, text: str, escape: re.Pattern[str]) -> None:
        decoded: list[str] = []
        self._starts: list[int] = []  # where each piece starts in the decoded text
        self._pieces: list[tuple[int, int, bool]] = []  # its span in the dump, whether literal
        length = end = 0
        for match in escape.finditer(text):
            literal = [(end, match.start(), text[end : match.start()], True)]
            for start, stop, piece, is_literal in literal + list(_decoded(match)):
                if piece:
                    decoded.append(piece)
                    self._starts.append(length)
                    self._pieces.append((start, stop, is_literal))
                    length += len(piece)
            end = match.end()
        decoded.append(text[end:])  # the last piece may be empty: no position lies in it
        self._starts.append(length)
        self._pieces.append((end, len(text), True))
        self.decoded = "".join(decoded)

    def original_span(self, span: Span) -> Span:
        """The span in the dump of ``span`` in the decoded text."""
        first = bisect_right(self._starts, span[0]) - 1
        last = bisect_right(self._starts, span[1] - 1) - 1
        start, _, literal = self._pieces[first]
        last_start, stop, last_literal = self._pieces[last]
        return (
            start + span[0] - self._starts[first] if literal else start,
            last_start + span[1] - self._starts[last] if last_literal else stop,
        )


def _decoded(match: re.Match[str]) -> Iterator[tuple[int, int, str, bool]]:
    """The pieces of one escape: (start, end, what it stands for, False)."""
    escape, position = match.group(), match.start()
    if escape.startswith("%"):
        try:
            characters = bytes.fromhex(escape.replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            yield position, match.end(), escape, True
            return
        for character in characters:
            width = 3 * len(character.encode("utf-8"))
            yield position, position + width, character, False
            position += width
        return
    yield position, match.end(), _unescaped(escape), False


def _unescaped(escape: str) -> str:
    """The character a backslash escape, an entity, "+" or <br> stands for; the escape itself
    where it stands for nothing valid."""
    if escape.startswith("\\"):
        try:
            return codecs.decode("\\" + escape.lstrip("\\"), "unicode_escape")
        except (UnicodeDecodeError, ValueError, OverflowError):
            return escape
    if escape.startswith("&"):
        return html.unescape(escape)
    return " " if escape == "+" else "\n"
