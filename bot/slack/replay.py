"""Refusing forged and replayed Slack requests before bolt sees them (HTTP mode).

Slack signs `v0:<timestamp>:<body>` with the app's signing secret and a receiver refuses a
timestamp more than five minutes off. That leaves one gap: the same signed request sent
again within those five minutes is valid, and a slash command carries no id to recognise
it by. `RequestGuard` records every signature it accepts and refuses a second use. The
record is made by `remember` (in the database, table processed_events, so that every
replica and a restarted process see it); a request with a malformed timestamp is refused
here too (bolt would raise on it and answer 500).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from enum import Enum

from slack_sdk.signature import SignatureVerifier

WINDOW = 60 * 5
"""Seconds a signature is accepted around its timestamp (Slack's rule, bolt's check)."""


class Verdict(Enum):
    VALID = "valid"
    FORGED = "forged"
    REPLAYED = "replayed"


class RequestGuard:
    """Thread-safe: the HTTP server checks every POST from its own thread.

    `remember(signature, at)` records a signature and is False when it was recorded before
    (by this process, another replica or before a restart)."""

    def __init__(
        self,
        signing_secret: str,
        remember: Callable[[str, float], bool],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._verifier = SignatureVerifier(signing_secret)
        self._remember = remember
        self._clock = clock

    def check(self, body: str, headers: Mapping[str, str]) -> Verdict:
        """VALID the first time a correctly signed, fresh request is seen; FORGED for a bad
        signature, a missing or stale timestamp; REPLAYED for a signature seen before.
        `headers` has lower-case names."""
        stamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        now = self._clock()
        if not stamp.isdigit() or abs(now - int(stamp)) > WINDOW:
            return Verdict.FORGED
        if not self._verifier.is_valid(body, stamp, signature):
            return Verdict.FORGED
        if not self._remember(signature, now):
            return Verdict.REPLAYED
        return Verdict.VALID
