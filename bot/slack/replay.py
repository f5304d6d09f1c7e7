"""Refusing forged and replayed Slack requests before bolt sees them (HTTP mode).

Slack signs `v0:<timestamp>:<body>` with the app's signing secret and a receiver refuses a
timestamp more than five minutes off. That leaves one gap: the same signed request sent
again within those five minutes is valid, and a slash command carries no id to recognise
it by. `RequestGuard` records every signature it accepts and refuses a second use. The
record is made by `remember` (in the database, table processed_events, so that every
replica and a restarted process see it); a request with a malformed timestamp is refused
here too (bolt would raise on it).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Mapping

WINDOW = 60 * 5
"""Seconds a signature is accepted around its timestamp (Slack's rule, bolt's check)."""


class RequestGuard:
    """Thread-safe: the HTTP server checks every POST from its worker threads.

    `remember(signature, at)` records a signature and is False when it was recorded before
    (by this process, another replica or before a restart). The check is in two steps so
    that the edge can refuse a signed body of the wrong shape in between without recording
    anything: `authentic`, then `first_use`."""

    def __init__(
        self,
        signing_secret: str,
        remember: Callable[[str, float], bool],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._secret = signing_secret.encode()
        self._remember = remember
        self._clock = clock

    def authentic(self, body: bytes | str, headers: Mapping[str, str]) -> bool:
        """Signed with the secret over exactly these bytes, with a timestamp within the
        window. `headers` has lower-case names. Computed over the raw bytes, so a body that
        is not UTF-8 is judged too (slack_sdk's verifier would raise on it)."""
        stamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not (stamp.isascii() and stamp.isdigit()) or abs(self._clock() - int(stamp)) > WINDOW:
            return False
        raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
        digest = hmac.new(self._secret, b"v0:" + stamp.encode() + b":" + raw, hashlib.sha256)
        return hmac.compare_digest(f"v0={digest.hexdigest()}", signature)

    def first_use(self, headers: Mapping[str, str]) -> bool:
        """Records the signature of an authentic request; False when it was seen before."""
        return self._remember(headers.get("x-slack-signature", ""), self._clock())
