"""Block Kit for a question's card, within Slack's limits.

Slack refuses a message with more than 50 blocks, a section text over 3,000 characters, a
section field over 2,000 or a header over 150; text that users wrote is escaped so that
`<!channel>` or `<@U…>` inside a question never pings anyone.
"""

from __future__ import annotations

from typing import Any

from handlers.kernel import Claim, Close, MarkAnswered, Release, Reopen, Status, texts
from handlers.questions import CardView, PersonRef

Block = dict[str, Any]

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_HEADER = 150
MAX_BUTTON = 75
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK = 4000

CARD_ACTIONS = "bryggan_card"
ACTION_PREFIX = "bryggan_"
FORWARD_ACTION = "bryggan_flytta"
SAVE_KNOWLEDGE_ACTION = "bryggan_kunskap_spara"
"""An answered question's "Spara i kunskapsbanken" (bot/slack/knowledge.py)."""
SEARCH_KNOWLEDGE_ACTION = "bryggan_kunskap_sok"
""""Sök i kunskapsbanken" on the Home tab and in the question form (bot/slack/knowledge.py)."""
REF_ACTIONS: dict[str, type[Claim | MarkAnswered | Close | Reopen | Release]] = {
    "bryggan_ta": Claim,
    "bryggan_besvarad": MarkAnswered,
    "bryggan_stang": Close,
    "bryggan_ateroppna": Reopen,
    "bryggan_slapp": Release,
}
"""Card buttons that run a typed command on the card's question. The action ids are a
contract with cards already posted: keep them when the buttons change."""
HELPED_ACTIONS = {"bryggan_hjalpte_ja": True, "bryggan_hjalpte_nej": False}
""""Löste svaret din fråga? Ja/Nej" on an answered card: the asker's verdict (`Helped`)."""
HELPED_BLOCK = "bryggan_hjalpte"

STATUS_REACTIONS = {
    Status.TAGEN: "eyes",
    Status.BESVARAD: "white_check_mark",
    Status.STANGD: "lock",
    Status.ATEROPPNAD: "repeat",
}
"""Slack's names for the status emoji in `texts.STATUS_EMOJI` (👀, ✅, 🔒, 🔁)."""


def escape(text: str) -> str:
    """Slack's three control characters, so user text shows as typed and never mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Text as the user typed it: Slack sends `&`, `<` and `>` in commands and messages as
    `&amp;`, `&lt;` and `&gt;` (mentions such as `<@U…>` stay as they are)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, with an ellipsis when something was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str, limit: int = MAX_SECTION_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def mrkdwn(text: str, limit: int = MAX_SECTION_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": clip(text, limit)}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text)}


def context(*parts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(p) for p in parts[:MAX_CONTEXT_ELEMENTS]]}


def button(label: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(label, MAX_BUTTON),
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def who(person: PersonRef | None) -> str:
    """A Slack mention when the person has a Slack id, else their name."""
    if person is None:
        return texts.UNASSIGNED
    return f"<@{person.identity}>" if person.identity else escape(person.name)


def status_reaction(status: Status) -> str | None:
    """The emoji name to react with for a status, if it has one."""
    return STATUS_REACTIONS.get(status)


def card_fallback(card: CardView) -> str:
    """The message's `text`: what notifications and screen readers show."""
    return clip(f"{card.status_emoji} {card.ref} · {card.status_label} · {card.category}", 150)


def card_blocks(card: CardView) -> list[Block]:
    """The card: status header, facts, the question, times, and the buttons that apply."""
    labels = texts.CARD_LABELS
    fields = [
        (labels["unit"], escape(card.unit)),
        (labels["category"], escape(card.category)),
        (labels["direction"], escape(card.direction)),
        (labels["consent"], escape(card.consent)),
        (labels["deadline"], escape(card.deadline or texts.NO_DEADLINE)),
        (labels["assignee"], who(card.assignee)),
        (labels["asker"], who(card.asker)),
    ]
    question = escape(card.text) if card.text is not None else f"_{texts.PURGED}_"
    times = " · ".join(f"{label} {at}" for label, at in card.times)
    blocks: list[Block] = [
        {
            "type": "header",
            "text": plain(f"{card.status_emoji} {card.ref} · {card.status_label}", MAX_HEADER),
        },
        {
            "type": "section",
            "fields": [mrkdwn(f"*{k}*\n{v}", MAX_FIELD_TEXT) for k, v in fields[:MAX_FIELDS]],
        },
        section(question),
        context(escape(times), escape(card.route)),
    ]
    if card.status == Status.BESVARAD:
        blocks += helped_blocks(card.ref)
    buttons = card_buttons(card)
    if buttons:
        blocks.append({"type": "actions", "block_id": CARD_ACTIONS, "elements": buttons})
    return blocks[:MAX_MESSAGE_BLOCKS]


def helped_blocks(ref: str) -> list[Block]:
    """ "Löste svaret din fråga?" with Ja and Nej, for the asker (others are refused)."""
    yes, no = HELPED_ACTIONS
    return [
        section(texts.SLACK_HELPED_QUESTION),
        {
            "type": "actions",
            "block_id": HELPED_BLOCK,
            "elements": [
                button(texts.SLACK_BUTTON_HELPED_YES, yes, ref, "primary"),
                button(texts.SLACK_BUTTON_HELPED_NO, no, ref),
            ],
        },
    ]


def card_buttons(card: CardView) -> list[Block]:
    """Ta, Besvarad, Stäng and Flytta while the question is open (and Släpp once taken);
    Återöppna afterwards, and "Spara i kunskapsbanken" once it is answered."""
    ref = card.ref
    save = button(texts.SLACK_BUTTON_SAVE_KNOWLEDGE, SAVE_KNOWLEDGE_ACTION, ref)
    answered = any(label == "Besvarad" for label, _ in card.times)
    if card.status == Status.STANGD:
        reopen = [button(texts.SLACK_BUTTON_REOPEN, "bryggan_ateroppna", ref)]
        return [*reopen, save] if answered else reopen
    close = button(texts.SLACK_BUTTON_CLOSE, "bryggan_stang", ref, "danger")
    close["confirm"] = {
        "title": plain(texts.SLACK_CONFIRM_CLOSE_TITLE, 100),
        "text": plain(texts.SLACK_CONFIRM_CLOSE_TEXT.format(ref=ref), 300),
        "confirm": plain(texts.SLACK_BUTTON_CLOSE, 30),
        "deny": plain(texts.SLACK_CANCEL, 30),
    }
    if card.status == Status.BESVARAD:
        return [close, button(texts.SLACK_BUTTON_REOPEN, "bryggan_ateroppna", ref), save]
    buttons = [
        button(texts.SLACK_BUTTON_CLAIM, "bryggan_ta", ref, "primary"),
        button(texts.SLACK_BUTTON_ANSWERED, "bryggan_besvarad", ref),
        close,
        button(texts.SLACK_BUTTON_FORWARD, FORWARD_ACTION, ref),
    ]
    if card.status == Status.TAGEN and card.assignee is not None:
        buttons.append(button(texts.SLACK_BUTTON_RELEASE, "bryggan_slapp", ref))
    return buttons
