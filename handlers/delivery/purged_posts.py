"""Bryggan's own posts that quote a question's free text, and their edit at the purge.

When a "Svar från …" or "Följdfråga från …" thread post goes out, the outbox remembers
where it landed (`record_quoting_post`). When the question's text is purged, one
`PURGE_EDIT` outbox entry per platform edits every such post to its header line and
"(Texten är gallrad.)" (`replace_posts`); like every outbox entry it is retried until it
goes through, and the edit is idempotent, so a repeated attempt changes nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from handlers.kernel import BotPost, ChatLocation, OutboxEntry, Store, texts

_QUOTING = tuple(
    template.split("{name}")[0] for template in (texts.THREAD_ANSWER, texts.THREAD_FOLLOW_UP)
)
"""How the thread posts that quote free text begin ("Svar från ", "Följdfråga från ")."""


@runtime_checkable
class PostEditor(Protocol):
    """A messenger that can replace the text of one of its own earlier posts."""

    def replace_post(self, *, channel: str, message_id: str, text: str, key: str) -> None: ...


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
