"""Refusing forged and replayed Slack requests before bolt sees them (HTTP mode).

Slack signs `v0:<timestamp>:<body>` with the app's signing secret and a receiver refuses a
timestamp more than five minutes off. That leaves one gap: the same signed request sent
again within those five minutes is valid, and a slash command carries no id to recognise
it by. `RequestGuard` remembers every signature it has accepted until its timestamp is too
old to pass anyway, and refuses a second use. A request with a malformed timestamp is
refused here too (bolt would raise on it and answer 500).

Only this process's memory is used: after a restart, a request captured before it could
be replayed within its remaining minutes (Events API deliveries are still recognised by
their `event_id` in the database).
"""

from __future__ import annotations

import threading
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
    """Thread-safe: the HTTP server checks every POST from its own thread."""

    def __init__(self, signing_secret: str, clock: Callable[[], float] = time.time) -> None:
        self._verifier = SignatureVerifier(signing_secret)
        self._clock = clock
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._next_prune = 0.0

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
        with self._lock:
            if now >= self._next_prune:
                self._seen = {s: until for s, until in self._seen.items() if until > now}
                self._next_prune = now + 10
            if signature in self._seen:
                return Verdict.REPLAYED
            self._seen[signature] = int(stamp) + WINDOW + 1
        return Verdict.VALID
