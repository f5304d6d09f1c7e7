"""The App Home tab: my open questions as asker, and those waiting for me as contact."""

from __future__ import annotations

from dataclasses import dataclass

from bot.slack.blocks import (
    MAX_HEADER,
    MAX_VIEW_BLOCKS,
    Block,
    button,
    clip,
    context,
    escape,
    plain,
    section,
)
from handlers import texts
from handlers.cards import CardView, build_card
from handlers.model import OPEN_STATUSES, Status
from handlers.ports import StoreFactory

NEW_QUESTION_ACTION = "bryggan_ny_fraga"
PER_LIST = 40
"""Questions shown per list; two lists, headings and a button stay under 100 blocks."""


@dataclass(frozen=True)
class Home:
    """What one person's Home tab shows; `known` is False for a Slack user not in the config."""

    known: bool
    mine: list[CardView]
    waiting: list[CardView]


def load_home(stores: StoreFactory, user_id: str) -> Home:
    """Read the person's questions in one short transaction."""
    with stores() as store:
        person = store.person_by_identity(platform="slack", identity=user_id)
        if person is None:
            return Home(False, [], [])
        mine = store.questions_for(
            asker_id=person.id, statuses=[*OPEN_STATUSES, Status.BESVARAD], limit=PER_LIST + 1
        )
        waiting = store.questions_for(
            assignee_id=person.id, statuses=list(OPEN_STATUSES), limit=PER_LIST + 1
        )
        return Home(
            True,
            [build_card(store, q, "slack") for q in mine],
            [build_card(store, q, "slack") for q in waiting],
        )


def home_view(home: Home) -> Block:
    """The Home tab as a Block Kit `home` view."""
    if not home.known:
        return {"type": "home", "blocks": [section(escape(texts.UNKNOWN_USER))]}
    blocks: list[Block] = [
        {"type": "header", "text": plain(texts.SLACK_HOME_TITLE, MAX_HEADER)},
        {
            "type": "actions",
            "block_id": "bryggan_home",
            "elements": [button(texts.SLACK_HOME_ASK, NEW_QUESTION_ACTION, "ny", "primary")],
        },
    ]
    blocks += _listing(texts.WAITING_FOR_ME, home.waiting)
    blocks += _listing(texts.SLACK_HOME_MINE, home.mine)
    blocks.append(context(texts.SLACK_HOME_FOOTER))
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}


def _listing(title: str, cards: list[CardView]) -> list[Block]:
    blocks: list[Block] = [{"type": "divider"}, section(f"*{escape(title)}*")]
    if not cards:
        return [*blocks, context(texts.SLACK_HOME_NONE)]
    blocks += [section(_summary(card)) for card in cards[:PER_LIST]]
    if len(cards) > PER_LIST:
        blocks.append(context(texts.SLACK_HOME_MORE))
    return blocks


def _summary(card: CardView) -> str:
    text = clip(" ".join((card.text or texts.PURGED).split()), 200)
    deadline = " · " + texts.SLACK_HOME_DEADLINE.format(day=card.deadline) if card.deadline else ""
    return (
        f"{card.status_emoji} *{card.ref}* · {escape(card.status_label)} · "
        f"{escape(card.category)} · {escape(card.unit)}{escape(deadline)}\n>{escape(text)}"
    )
