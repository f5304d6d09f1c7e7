"""Logging for the whole process: one stream, and no identity number in any record.

The filter sits on the handler, so it sees every record that reaches it, Bryggan's and the
libraries' (bolt and slack_sdk print payloads in warnings and at DEBUG, nio and SQLAlchemy
their requests), at every level; the message, its arguments and a traceback are masked with
the core's own guard before anything is written.
"""

from __future__ import annotations

import logging

from handlers.kernel import redact_identity_numbers

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class IdentityNumberFilter(logging.Filter):
    """Masks every identity number in a record; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact_identity_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_identity_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_identity_numbers(record.stack_info)
        return True


def configure_logging(*, verbose: bool) -> None:
    """WARNING and up (DEBUG with `-v`) to standard error, identity numbers masked."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(IdentityNumberFilter())
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, handlers=[handler])
