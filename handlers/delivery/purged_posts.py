"""Bryggan's own posts that quote a question's free text, and what the purge does to them.

When a "Svar från …" or "Följdfråga från …" thread post goes out, the outbox remembers
where it landed (`record_quoting_post`). When the question's text is purged, one
`PURGE_EDIT` outbox entry per platform removes the text from the chat (`purge_posts`):

- where the messenger can redact (Matrix), the card and every such post are redacted with
  every edit the bot sent of them. An edit (`m.replace`) keeps the original event and each
  earlier edit on the homeserver, readable in the client's edit history and in the event's
  source; a redaction makes the homeserver drop the content. The card's thread stays.
- elsewhere (Slack, whose `chat.update` keeps no history), and where the room's power
  levels forbid the redaction, each post is edited to its header line and "(Texten är
  gallrad.)" (`replace_posts`), and the card update queued with the entry redraws the card.
  The admins are told once per room that the text is left in the edit history there.

Like every outbox entry it is retried until it goes through; redactions and edits carry
transaction ids per event, so a repeated attempt changes nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from handlers.kernel import BotPost, ChatLocation, OutboxEntry, Question, Store, texts

_QUOTING = tuple(
    template.split("{name}")[0] for template in (texts.THREAD_ANSWER, texts.THREAD_FOLLOW_UP)
)
"""How the thread posts that quote free text begin ("Svar från ", "Följdfråga från ")."""


@runtime_checkable
class PostEditor(Protocol):
    """A messenger that can replace the text of one of its own earlier posts."""

    def replace_post(self, *, channel: str, message_id: str, text: str, key: str) -> None: ...


@runtime_checkable
class PostRedactor(Protocol):
    """A messenger that can remove the content of its own posts for good (a redaction)."""

    platform: str

    def redact_post(self, *, channel: str, message_id: str, reason: str, key: str) -> bool:
        """Redact the post and every edit of it the bot sent; False, with nothing changed,
        where the bot may not redact there."""
        ...


def quoted_header(text: str | None) -> str | None:
    """The header line of a thread post that quotes free text; None for other posts."""
    if not text or "\n" not in text:
        return None
    header = text.split("\n", 1)[0]
    return header if header.startswith(_QUOTING) else None


def record_quoting_post(
    store: Store,
    entry: OutboxEntry,
    location: ChatLocation,
    message_ids: Sequence[str],
    at: datetime,
) -> None:
    """After a thread post went out: remember where, if it quotes the question's text."""
    header = quoted_header(entry.text)
    if header is None or entry.question_id is None or not message_ids:
        return
    store.record_bot_posts(
        question_id=entry.question_id,
        platform=location.platform,
        channel=location.channel,
        message_ids=message_ids,
        header=header,
        at=at,
    )


def purged_text(post: BotPost) -> str:
    """What a purged post says: its header, if it had one, over the purge mark."""
    return f"{post.header}\n{texts.PURGED_POST}" if post.header else texts.PURGED_POST


def replace_posts(messenger: object, posts: Sequence[BotPost], key: str) -> None:
    """Edit each post to its purged text (a messenger that cannot edit is left alone)."""
    if not isinstance(messenger, PostEditor):
        return
    for post in posts:
        messenger.replace_post(
            channel=post.channel,
            message_id=post.message_id,
            text=purged_text(post),
            key=f"{key}:{post.message_id}",
        )


def purged_card(messenger: object, question: Question) -> ChatLocation | None:
    """The card a purge removes itself: only where the messenger redacts (elsewhere the card
    update queued with the purge redraws it)."""
    location = question.location
    if not isinstance(messenger, PostRedactor) or location is None:
        return None
    return location if location.platform == messenger.platform else None


def purge_posts(
    messenger: object, posts: Sequence[BotPost], card: ChatLocation | None, key: str
) -> list[str]:
    """Remove the purged text from the chat: redact the card and the posts where the
    messenger can, else edit the posts. Returns the channels where a redaction was refused
    (the posts there were edited instead; the card keeps its card update's edit)."""
    if not isinstance(messenger, PostRedactor):
        replace_posts(messenger, posts, key)
        return []
    refused: list[str] = []
    reason = texts.PURGED_REDACTION
    if card is not None and not messenger.redact_post(
        channel=card.channel, message_id=card.thread_root, reason=reason, key=key
    ):
        refused.append(card.channel)
    for post in posts:
        if not messenger.redact_post(
            channel=post.channel, message_id=post.message_id, reason=reason, key=key
        ):
            replace_posts(messenger, [post], key)
            refused.append(post.channel)
    return list(dict.fromkeys(refused))


def refusal_notices(platform: str, channels: Sequence[str]) -> list[tuple[str, str]]:
    """The admins' notice for each channel where a redaction was refused, with its once-only
    key (kept as long as the housekeeping keeps job runs)."""
    name = texts.PLATFORM_NAMES.get(platform, platform)
    return [
        (
            f"purge:not-redacted:{platform}:{channel}",
            texts.PURGE_NOT_REDACTED.format(room=channel, platform=name),
        )
        for channel in channels
    ]
