"""`bryggan outbox`: what waits to be posted, and the operator's hands on it.

bryggan outbox                 lists posts that failed at least once or are parked
bryggan outbox retry [ID ...]  makes them due now with fresh tries (all when no id is given)
bryggan outbox drop ID ...     removes them for good (a card with its waiting thread posts)

A running bot picks retried posts up at its next drain (within `drain_interval`).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.wiring import Bryggan
from handlers.kernel import WaitingPost, texts


def add_outbox_command(sub: Any) -> None:
    """Register `outbox` on the CLI's subparsers."""
    outbox = sub.add_parser("outbox", help="inlägg som väntar på att postas: visa, skicka, ta bort")
    outbox.add_argument(
        "action",
        nargs="?",
        choices=("list", "retry", "drop"),
        default="list",
        metavar="åtgärd",
        help="list (standard), retry eller drop",
    )
    outbox.add_argument("ids", nargs="*", type=int, metavar="ID", help="utkorgens id")


def run_outbox_command(app: Bryggan, args: argparse.Namespace) -> int | None:
    """Run `outbox`; None when the command is another one."""
    if args.command != "outbox":
        return None
    now = app.core.clock()
    if args.action == "retry":
        with app.core.stores() as store:
            count = store.retry_posts(ids=args.ids, now=now)
        print(texts.OUTBOX_RETRIED.format(posts=texts.posts(count)))
        return 0
    if args.action == "drop":
        if not args.ids:
            print(texts.OUTBOX_DROP_NEEDS_IDS, file=sys.stderr)
            return 2
        with app.core.stores() as store:
            dropped = store.drop_posts(ids=args.ids)
            for post in dropped:
                store.audit(actor_id=None, action="outbox_dropped", at=now, detail=_line(post))
        print(texts.OUTBOX_DROPPED.format(posts=texts.posts(len(dropped))))
        return 0
    with app.core.stores() as store:
        waiting = store.waiting_posts()
    print("\n".join(_line(post) for post in waiting) if waiting else texts.OUTBOX_EMPTY)
    return 0


def _line(post: WaitingPost) -> str:
    """One post: id, platform, kind, question, tries, and when it goes next or was parked."""
    state = (
        texts.OUTBOX_PARKED_AT.format(at=texts.time_label(post.parked_at))
        if post.parked_at
        else texts.OUTBOX_NEXT_AT.format(at=texts.time_label(post.next_attempt_at))
        if post.next_attempt_at
        else ""
    )
    return texts.OUTBOX_LINE.format(
        id=post.id,
        platform=post.platform,
        kind=texts.OUTBOX_KINDS[post.kind.value],
        ref=post.ref or "–",
        attempts=post.attempts,
        state=state,
        error=post.last_error or "",
    )
