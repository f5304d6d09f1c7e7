"""Shared test helpers: a settable clock, a recording messenger and a test directory."""

from __future__ import annotations

import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from bot.config import Config, parse_config
from handlers.delivery.outbox import DeliveryError
from handlers.kernel.model import ChatLocation, Person
from handlers.questions.cards import CardView

UTC = UTC

TEST_CONFIG = """
[console]
user = "lisa"

[[people]]
key = "lisa"
name = "Lisa Ek"
roles = ["asker"]
side = "vard"
unit = "kristianstad"
slack = "ULISA"
matrix = "@lisa:localhost"

[[people]]
key = "olle"
name = "Olle Berg"
roles = ["asker"]

[[people]]
key = "anna"
name = "Anna Berg"
roles = ["contact"]
slack = "UANNA"

[[people]]
key = "sofia"
name = "Sofia Holm"
roles = ["contact"]

[[people]]
key = "berit"
name = "Berit Ås"
roles = ["contact"]

[[people]]
key = "rut"
name = "Rut Nilsson"
roles = ["contact"]

[[people]]
key = "karl"
name = "Karl Strand"
roles = ["asker"]
side = "fk"

[[people]]
key = "maria"
name = "Maria Lund"
roles = ["admin"]

[[units]]
slug = "kristianstad"
name = "Vuxenpsykiatri Kristianstad"
vard_till_fk = ["anna"]
vard_till_fk_backup = ["berit"]
fk_till_vard = ["rut"]

[[units]]
slug = "hassleholm"
name = "Vuxenpsykiatri Hässleholm"
vard_till_fk = ["anna", "sofia"]
fk_till_vard = ["rut"]

[[units]]
slug = "lund"
name = "Vuxenpsykiatri Lund"
"""


def test_config(database_url: str, extra: str = "") -> Config:
    data: dict[str, Any] = tomllib.loads(TEST_CONFIG + extra)
    return parse_config(data, "test-config", {"BRYGGAN_DATABASE_URL": database_url}, Path.cwd())


@dataclass
class Clock:
    """A clock the test moves by hand; starts on a Monday morning in November 2026."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 23, 8, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class RecordingMessenger:
    """Records what the core asks a chat platform to do; can be told to fail."""

    platform: str = "console"
    cards: list[tuple[str, CardView]] = field(default_factory=list)
    updates: list[CardView] = field(default_factory=list)
    thread: list[tuple[ChatLocation, str]] = field(default_factory=list)
    notices: list[tuple[str, str]] = field(default_factory=list)
    messages: list[tuple[str, str, str | None]] = field(default_factory=list)
    failures: int = 0

    def _maybe_fail(self) -> None:
        if self.failures:
            self.failures -= 1
            raise DeliveryError("platform down")

    def post_card(self, *, channel: str, card: CardView, key: str) -> ChatLocation:
        self._maybe_fail()
        self.cards.append((channel, card))
        return ChatLocation(self.platform, channel, f"ts-{len(self.cards)}")

    def update_card(self, *, location: ChatLocation, card: CardView, key: str) -> None:
        self._maybe_fail()
        self.updates.append(card)

    def post_in_thread(self, *, location: ChatLocation, text: str, key: str) -> None:
        self._maybe_fail()
        self.thread.append((location, text))

    def post_message(self, *, channel: str, text: str, attachment: str | None, key: str) -> None:
        self._maybe_fail()
        self.messages.append((channel, text, attachment))

    def notify(self, *, person: Person, identity: str | None, text: str, key: str) -> None:
        self._maybe_fail()
        self.notices.append((person.key, text))


T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T | None],
    timeout: float,
    what: str,
    *,
    seen: Callable[[], object] | None = None,
    poll: float = 0.02,
) -> T:
    """Poll `predicate` every `poll` seconds until it gives something truthy; return that.

    After `timeout` seconds raise `AssertionError` naming `what` was awaited and what was
    seen: `seen()` if given, else the predicate's last value.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            saw = seen() if seen is not None else value
            raise AssertionError(f"waited {timeout:g} s for {what}; saw: {saw}")
        time.sleep(min(poll, remaining))
