"""The neutral view of a question's card, and its plain-text rendering.

Adapters render `CardView` as Block Kit, Matrix HTML or console text; the plain text here
serves the console and Matrix's plain body.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handlers.kernel import Question, Status, Store, texts


@dataclass(frozen=True)
class PersonRef:
    """A person as a platform sees them: name plus their id on that platform, if any."""

    id: int
    name: str
    identity: str | None


@dataclass(frozen=True)
class CardView:
    ref: str
    status: Status
    status_label: str
    status_emoji: str
    unit: str
    category: str
    direction: str
    consent: str
    deadline: str | None
    asker: PersonRef
    assignee: PersonRef | None
    route: str
    text: str | None
    times: tuple[tuple[str, str], ...]

    @property
    def open(self) -> bool:
        return self.status not in {Status.BESVARAD, Status.STANGD}


BY_WHOM = {
    "Tagen": ("claimed",),
    "Besvarad": ("answered", "marked_answered"),
    "Stängd": ("closed", "resolved_from_bank"),
}
"""The card's times that name who did it ("Besvarad … av Anna Berg"), by audit action."""


def status_label(question: Question) -> str:
    """The status in words; an answered question brought back by a follow-up or a "nej"
    is "väntar på svar igen"."""
    if question.status in {Status.NY, Status.TAGEN} and question.answered_at is not None:
        return texts.STATUS_WAITING_AGAIN
    return texts.STATUS[question.status]


def _doers(store: Store, question: Question) -> dict[str, str]:
    """The name of whoever last did what each of `BY_WHOM`'s times stand for."""
    actions = {action: label for label, group in BY_WHOM.items() for action in group}
    done = store.question_actions(question_id=question.id, actions=list(actions))
    last = {actions[action]: actor for action, actor in done if actor is not None}
    return {label: store.person(person_id=actor).name for label, actor in last.items()}


def person_ref(store: Store, person_id: int, platform: str) -> PersonRef:
    person = store.person(person_id=person_id)
    return PersonRef(person.id, person.name, store.identity(person_id=person.id, platform=platform))


def build_card(store: Store, question: Question, platform: str) -> CardView:
    """Everything a card shows, looked up once, for one platform."""
    categories = {c.slug: c.name for c in store.categories(include_inactive=True)}
    consent = texts.CONSENT[question.consent_mode]
    if question.consent is not None:
        consent += (
            f" ({question.consent.form.value}, {texts.day_label(question.consent.obtained_on)})"
        )
    stamps = (
        ("Ställd", question.created_at),
        ("Tagen", question.claimed_at),
        ("Besvarad", question.answered_at),
        ("Stängd", question.closed_at),
        ("Återöppnad", question.reopened_at),
    )
    doers = _doers(store, question)

    def when(label: str, at: datetime) -> str:
        shown = texts.time_label(at)
        return texts.CARD_BY.format(at=shown, name=doers[label]) if label in doers else shown

    return CardView(
        ref=question.ref,
        status=question.status,
        status_label=status_label(question),
        status_emoji=texts.STATUS_EMOJI[question.status],
        unit=store.unit(unit_id=question.unit_id).name,
        category=categories.get(question.category, question.category),
        direction=texts.DIRECTION[question.direction],
        consent=consent,
        deadline=texts.day_label(question.deadline) if question.deadline else None,
        asker=person_ref(store, question.asker_id, platform),
        assignee=(
            person_ref(store, question.assignee_id, platform) if question.assignee_id else None
        ),
        route=question.route_reason,
        text=question.text,
        times=tuple((label, when(label, at)) for label, at in stamps if at is not None),
    )


def card_lines(card: CardView) -> list[str]:
    """The card as plain text lines."""
    labels = texts.CARD_LABELS
    assignee = card.assignee.name if card.assignee else texts.UNASSIGNED
    lines = [
        f"{card.status_emoji} {card.ref} · {card.status_label} · {card.unit}",
        f"{labels['category']}: {card.category} · {labels['direction']}: {card.direction}"
        f" · {card.consent}",
        f"{labels['asker']}: {card.asker.name} · {labels['assignee']}: {assignee}",
    ]
    if card.deadline:
        lines.append(f"{labels['deadline']}: {card.deadline}")
    lines.append(card.text if card.text is not None else texts.PURGED)
    lines.append(" · ".join(f"{label} {at}" for label, at in card.times))
    return lines
