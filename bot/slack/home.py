"""The App Home tab: the core's question lists (the same as `/frågor`), as Block Kit."""

from __future__ import annotations

from dataclasses import dataclass

from bot.slack.blocks import (
    MAX_HEADER,
    MAX_VIEW_BLOCKS,
    SEARCH_KNOWLEDGE_ACTION,
    Block,
    button,
    clip,
    context,
    escape,
    plain,
    section,
)
from bot.slack.replies import render
from handlers.kernel import Registry, StoreFactory, texts
from handlers.questions import CardView, build_card, question_lists

NEW_QUESTION_ACTION = "bryggan_ny_fraga"
PER_LIST = 40
"""Questions shown per list; two lists, headings and a button stay under 100 blocks."""


@dataclass(frozen=True)
class Home:
    """What one person's Home tab shows; `known` is False for a Slack user not in the config."""

    known: bool
    mine: list[CardView]
    waiting: list[CardView]
    more: bool = False


def load_home(stores: StoreFactory, user_id: str) -> Home:
    """Read the person's questions in one short transaction."""
    with stores() as store:
        person = store.person_by_identity(platform="slack", identity=user_id)
        if person is None:
            return Home(False, [], [])
        lists = question_lists(store, person, limit=PER_LIST)
        return Home(
            True,
            [build_card(store, q, "slack") for q in lists.mine],
            [build_card(store, q, "slack") for q in lists.waiting],
            lists.more_mine or lists.more_waiting,
        )


def home_view(home: Home, registry: Registry) -> Block:
    """The Home tab as a Block Kit `home` view."""
    if not home.known:
        return {"type": "home", "blocks": [section(escape(texts.UNKNOWN_USER))]}
    blocks: list[Block] = [
        {"type": "header", "text": plain(texts.SLACK_HOME_TITLE, MAX_HEADER)},
        {
            "type": "actions",
            "block_id": "bryggan_home",
            "elements": [
                button(texts.SLACK_HOME_ASK, NEW_QUESTION_ACTION, "ny", "primary"),
                button(texts.SLACK_HOME_SEARCH, SEARCH_KNOWLEDGE_ACTION, "sok"),
            ],
        },
    ]
    blocks += _listing(texts.WAITING_FOR_ME, home.waiting)
    blocks += _listing(texts.SLACK_HOME_MINE, home.mine)
    if home.more or len(home.waiting) > PER_LIST or len(home.mine) > PER_LIST:
        blocks.append(context(render(texts.SLACK_HOME_MORE, registry)))
    blocks.append(context(render(texts.SLACK_HOME_FOOTER, registry)))
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}


def _listing(title: str, cards: list[CardView]) -> list[Block]:
    blocks: list[Block] = [{"type": "divider"}, section(f"*{escape(title)}*")]
    if not cards:
        return [*blocks, context(texts.SLACK_HOME_NONE)]
    return blocks + [section(_summary(card)) for card in cards[:PER_LIST]]


def _summary(card: CardView) -> str:
    text = clip(" ".join((card.text or texts.PURGED).split()), 200)
    deadline = " · " + texts.SLACK_HOME_DEADLINE.format(day=card.deadline) if card.deadline else ""
    return (
        f"{card.status_emoji} *{card.ref}* · {escape(card.status_label)} · "
        f"{escape(card.category)} · {escape(card.unit)}{escape(deadline)}\n>{escape(text)}"
    )
