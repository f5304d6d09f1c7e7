"""Turning one Matrix room event into a neutral incoming message, or deciding to ignore it.

Pure functions over the event's JSON (`event.source` from nio, decrypted where it was
encrypted), so the rules are testable without a homeserver.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.matrix.render import HTML, strip_reply_fallback, text_of_html


class Kind(StrEnum):
    COMMAND = "command"
    """A line starting with `!`: the console grammar."""
    THREAD = "thread"
    """A plain message in a thread or a reply: an answer if the thread is a card's."""
    EDIT = "edit"
    """An `m.replace` of a message: its new text, for the message `target`."""
    DELETION = "deletion"
    """A redaction of the message `target`."""
    REACTION = "reaction"
    """An `m.annotation` reaction (`text` is its key, an emoji) on the message `target`."""


@dataclass(frozen=True)
class Incoming:
    """A message for the core: who wrote what, where, and in which thread."""

    kind: Kind
    room_id: str
    sender: str
    text: str
    event_id: str
    thread_root: str | None = None
    """The `m.thread` root, or the event replied to."""
    in_thread: bool = False
    """True for an `m.thread` relation: the bot's answer then goes into the thread."""
    target: str | None = None
    """For an edit or a redaction: the message it changes."""


def classify(
    source: dict[str, Any], room_id: str, *, bot_user_id: str, bot_names: Iterable[str] = ()
) -> Incoming | None:
    """The message this event carries for Bryggan, or None when it is none of its business.

    Ignored: the bot's own events, anything but `m.text` messages (notices are what bots
    send, so two bots never talk in circles), and plain chat outside threads. Edits,
    redactions and reactions are passed on with the message they change (`target`): the
    core follows them for what it stored, and a 👍/👎 on a card is the asker's verdict.
    """
    content = source.get("content")
    sender, event_id = source.get("sender"), source.get("event_id")
    if not isinstance(sender, str) or not isinstance(event_id, str) or sender == bot_user_id:
        return None
    if source.get("type") == "m.room.redaction":
        redacts = source.get("redacts") or (content or {}).get("redacts")
        if not isinstance(redacts, str):
            return None
        return Incoming(Kind.DELETION, room_id, sender, "", event_id, target=redacts)
    if source.get("type") == "m.reaction":
        return _reaction(content, room_id, sender, event_id)
    if source.get("type") != "m.room.message" or not isinstance(content, dict):
        return None
    body = content.get("body")
    if content.get("msgtype") != "m.text" or not isinstance(body, str):
        return None
    relation = content.get("m.relates_to")
    relation = relation if isinstance(relation, dict) else {}
    if relation.get("rel_type") == "m.replace":
        return _edit(content, relation, room_id, sender, event_id)
    reply_to = relation.get("m.in_reply_to")
    replied = reply_to.get("event_id") if isinstance(reply_to, dict) else None
    if relation.get("rel_type") == "m.thread" and isinstance(relation.get("event_id"), str):
        root, in_thread = relation["event_id"], True
    else:
        root, in_thread = (replied if isinstance(replied, str) else None), False
    formatted = content.get("formatted_body")
    if content.get("format") == HTML and isinstance(formatted, str):
        # Markdown typed in Element (`**SGI**`) is in `body` as typed; the HTML holds what
        # the person saw, so that is what Bryggan reads and stores.
        body = text_of_html(formatted)
    elif replied:
        body = strip_reply_fallback(body)
    text = without_mention(body.strip(), [bot_user_id, *bot_names])
    if text.startswith("!"):
        return Incoming(Kind.COMMAND, room_id, sender, text, event_id, root, in_thread)
    if root and text:
        return Incoming(Kind.THREAD, room_id, sender, text, event_id, root, in_thread)
    return None


def without_mention(text: str, names: Iterable[str]) -> str:
    """`Bryggan: !frågor` → `!frågor`: Element puts the name of a mentioned user first."""
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        for form in (name, name.lstrip("@").split(":")[0]):
            pattern = rf"^@?{re.escape(form.lstrip('@'))}[:,]?\s+(?=!)"
            stripped = re.sub(pattern, "", text, count=1, flags=re.IGNORECASE)
            if stripped != text:
                return stripped
    return text


def own_join_index(events: list[dict[str, Any]], user_id: str) -> int:
    """Index of the last event that made `user_id` join (not a profile change), or -1.

    Events at or before it happened before the bot was in the room: never replay them.
    """
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.get("type") != "m.room.member" or event.get("state_key") != user_id:
            continue
        content = event.get("content") or {}
        unsigned = event.get("unsigned") or {}
        before = (unsigned.get("prev_content") or {}).get("membership")
        if content.get("membership") == "join" and before != "join":
            return index
    return -1


def _reaction(content: Any, room_id: str, sender: str, event_id: str) -> Incoming | None:
    """A reaction with its key on the message it annotates (the asker's 👍/👎 on a card)."""
    relation = content.get("m.relates_to") if isinstance(content, dict) else None
    if not isinstance(relation, dict) or relation.get("rel_type") != "m.annotation":
        return None
    key, target = relation.get("key"), relation.get("event_id")
    if not isinstance(key, str) or not isinstance(target, str):
        return None
    return Incoming(Kind.REACTION, room_id, sender, key, event_id, target=target)


def _edit(
    content: dict[str, Any], relation: dict[str, Any], room_id: str, sender: str, event_id: str
) -> Incoming | None:
    """An `m.replace` edit: the new text as the person sees it."""
    new = content.get("m.new_content")
    target = relation.get("event_id")
    if not isinstance(new, dict) or not isinstance(target, str):
        return None
    body, formatted = new.get("body"), new.get("formatted_body")
    if new.get("msgtype") != "m.text" or not isinstance(body, str):
        return None
    if new.get("format") == HTML and isinstance(formatted, str):
        body = text_of_html(formatted)
    text = body.strip()
    return Incoming(Kind.EDIT, room_id, sender, text, event_id, target=target) if text else None
