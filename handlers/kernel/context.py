"""What every command handler gets: the open store, the acting person, the time, the place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handlers.kernel.model import Person
from handlers.kernel.ports import Store


@dataclass(frozen=True)
class Reply:
    """The immediate answer to the person who spoke. `private` replies are ephemeral where
    the platform allows it."""

    text: str
    private: bool = True
    ref: str | None = None
    field: str | None = None
    """For refusals of a form: the field the text is about (`enhet`, `kategori`, `text`, …)."""
    identity_number: bool = False
    """Refused because the text held an identity number (Matrix then redacts the message)."""

    @property
    def accepted(self) -> bool:
        return self.ref is not None and self.field is None


class UserError(Exception):
    """A refusal or a correction for the user; the transaction is rolled back."""

    def __init__(self, text: str, field: str | None = None) -> None:
        super().__init__("user error")
        self.text = text
        self.field = field


class Refusal(UserError):
    """A missing permission: refused like any user error, and audited (without content)."""

    def __init__(self, text: str, *, actor_id: int, question_id: int) -> None:
        super().__init__(text)
        self.actor_id = actor_id
        self.question_id = question_id


@dataclass(frozen=True)
class Context:
    store: Store
    actor: Person
    now: datetime
    platform: str
    channel: str | None = None
    from_thread: bool = False
    source: str | None = None
    """The chat message the command came in (`platform:channel:message id`), when known."""
