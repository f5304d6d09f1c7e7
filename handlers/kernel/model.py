"""Domain values shared by the core, the storage layer and the chat adapters.

Plain frozen dataclasses and string enums: no I/O, no platform types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Direction(StrEnum):
    """Which way a question travels."""

    VARD_TILL_FK = "vard_till_fk"
    FK_TILL_VARD = "fk_till_vard"


class Status(StrEnum):
    """The lifecycle of a question."""

    NY = "ny"
    TAGEN = "tagen"
    BESVARAD = "besvarad"
    STANGD = "stangd"
    ATEROPPNAD = "ateroppnad"


OPEN_STATUSES = frozenset({Status.NY, Status.TAGEN, Status.ATEROPPNAD})


class ConsentMode(StrEnum):
    """De-identified by default; identified exchange needs the person's consent."""

    AVIDENTIFIERAD = "avidentifierad"
    SAMTYCKE = "samtycke"


class ConsentForm(StrEnum):
    MUNTLIGT = "muntligt"
    SKRIFTLIGT = "skriftligt"


class Role(StrEnum):
    ASKER = "asker"
    CONTACT = "contact"
    ADMIN = "admin"


class MessageKind(StrEnum):
    ANSWER = "answer"
    FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class Person:
    id: int
    key: str
    name: str
    roles: frozenset[Role]

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles


@dataclass(frozen=True)
class Unit:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class UnitContact:
    """One contact assignment: `person` covers `unit` for `direction`."""

    unit_id: int
    person_id: int
    direction: Direction
    backup: bool


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    active: bool = True


@dataclass(frozen=True)
class Absence:
    id: int
    person_id: int
    start: date
    end: date
    substitute_id: int | None


@dataclass(frozen=True)
class Consent:
    """Consent metadata: who obtained it, when, and how. Never the person's identity."""

    obtained_by: str
    obtained_on: date
    form: ConsentForm


@dataclass(frozen=True)
class ChatLocation:
    """Where a question's card lives in chat."""

    platform: str
    channel: str
    thread_root: str


@dataclass(frozen=True)
class Question:
    id: int
    ref: str
    unit_id: int
    direction: Direction
    category: str
    consent_mode: ConsentMode
    consent: Consent | None
    deadline: date | None
    text: str | None
    asker_id: int
    assignee_id: int | None
    status: Status
    route_reason: str
    created_at: datetime
    claimed_at: datetime | None = None
    first_response_at: datetime | None = None
    answered_at: datetime | None = None
    closed_at: datetime | None = None
    reopened_at: datetime | None = None
    purged_at: datetime | None = None
    origin_platform: str = "console"
    origin_channel: str | None = None
    location: ChatLocation | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class ThreadMessage:
    id: int
    question_id: int
    author_id: int
    kind: MessageKind
    text: str | None
    created_at: datetime
    deleted: bool = False
    """Deleted in the chat by its author (its text is gone)."""


@dataclass(frozen=True)
class NewQuestion:
    """A validated question, ready to be routed and stored."""

    unit_id: int
    direction: Direction
    category: str
    text: str
    consent_mode: ConsentMode = ConsentMode.AVIDENTIFIERAD
    consent: Consent | None = None
    deadline: date | None = None
    extra: dict[str, str] = field(default_factory=dict)
