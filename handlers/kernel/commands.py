"""The core's typed commands: what a person asked Bryggan to do, already typed.

Every adapter builds these. A button press or a form submission carries typed values
(a `Direction`, a `date`, a platform user id) and is turned into a command directly; only
text a person typed goes through the grammar, and a value typed in a text field stays a
`Typed` until the core reads it while it validates. The core validates one shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from handlers.kernel.model import ConsentForm, Direction


@dataclass(frozen=True)
class Typed:
    """A field's value as a person typed it, read by the core when it validates."""

    text: str


@dataclass(frozen=True)
class ChatUser:
    """A person picked on the platform (a user picker, a mention): their platform id."""

    identity: str


@dataclass(frozen=True)
class ConsentGiven:
    """Consent to identified exchange: how, by whom (None: the asker) and when (None: today)."""

    form: ConsentForm | Typed
    obtained_by: str | None = None
    obtained_on: date | Typed | None = None


@dataclass(frozen=True)
class Ask:
    """A new question. `unit` and `category` are slugs or names, matched forgivingly."""

    text: str
    unit: str | None = None
    category: str | None = None
    direction: Direction | Typed | None = None
    deadline: date | Typed | None = None
    consent: ConsentGiven | None = None
    pulse: bool | Typed = False
    unknown_fields: tuple[str, ...] = ()
    """Keys a person typed that the one-line grammar does not know (reported, not dropped)."""


@dataclass(frozen=True)
class ListQuestions:
    """My questions, and those waiting for me; `page` is the rest of the line as typed:
    filters (`otilldelade`, `öppna`, `stängda`, `alla`, `enhet:<enhet>`) and a page
    (`sida 2`, `2`), or empty."""

    page: str = ""


@dataclass(frozen=True)
class OnQuestion:
    """A command about one question, by its reference (None: not given; in a card's
    thread the core takes the thread's question)."""

    ref: str | None


@dataclass(frozen=True)
class Show(OnQuestion):
    pass


@dataclass(frozen=True)
class Claim(OnQuestion):
    pass


@dataclass(frozen=True)
class MarkAnswered(OnQuestion):
    pass


@dataclass(frozen=True)
class Close(OnQuestion):
    pass


@dataclass(frozen=True)
class Reopen(OnQuestion):
    pass


@dataclass(frozen=True)
class Answer(OnQuestion):
    text: str


@dataclass(frozen=True)
class Release(OnQuestion):
    """The assignee hands a taken question back to its unit's queue (`/släpp`)."""


@dataclass(frozen=True)
class Helped(OnQuestion):
    """The asker's verdict on an answer: it solved her question (closes it) or not (back
    to the contact). `helped` is None when the typed verdict was neither ja nor nej."""

    helped: bool | None


@dataclass(frozen=True)
class Forward(OnQuestion):
    target: ChatUser | Typed


@dataclass(frozen=True)
class SaveKnowledge(OnQuestion):
    """The question's answer saved as a knowledge entry (a form): its title, its text, and
    the author's confirmation that it holds nothing about an individual."""

    title: str
    body: str
    confirmed: bool


@dataclass(frozen=True)
class ResolvedByKnowledge(OnQuestion):
    """The asker: knowledge entry number `entry` answered the question ("Det löste min
    fråga")."""

    entry: int


@dataclass(frozen=True)
class ReportAbsence:
    period: str
    substitute: str | None


@dataclass(frozen=True)
class ManageCategories:
    action: str  # "lista", "ny", "byt", "tabort" (folded)
    slug: str = ""
    name: str = ""


@dataclass(frozen=True)
class Extension:
    """A command with its own sub-grammar (`puls`, `statistik`): its name and arguments."""

    name: str
    arguments: str


@dataclass(frozen=True)
class Help:
    topic: str = ""


@dataclass(frozen=True)
class Unknown:
    word: str


Command = (
    Ask | ListQuestions | OnQuestion | ReportAbsence | ManageCategories | Extension | Help | Unknown
)

ASK_FIELDS = (
    "enhet",
    "kategori",
    "riktning",
    "frist",
    "samtycke",
    "samtycke_av",
    "samtycke_datum",
    "puls",
)
"""The question's fields by their Swedish names: `key:value` in a typed line, block ids in
a form, and the field a refusal names (`Reply.field`)."""

REF_PATTERN = re.compile(r"\b[Ff]-?(\d{4})-(\d{1,6})\b")
"""A question's reference as people type it: `F-2026-0042`, `f-2026-42`, `F2026-0042`."""


def canonical_ref(text: str) -> str | None:
    """The first question reference in `text`, normalised to `F-2026-0042`."""
    found = REF_PATTERN.search(text)
    if not found:
        return None
    return f"F-{found.group(1)}-{int(found.group(2)):04d}"
