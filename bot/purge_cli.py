"""`bryggan purge`: the retention purge now, or with `--dry-run` a list of what it would do.

bryggan purge             closes questions answered long ago (if configured) and purges the
                          text of questions closed longer ago than `[retention] days`
bryggan purge --dry-run   lists the references and counts, never the text; changes nothing
"""

from __future__ import annotations

import argparse
from typing import Any

from bot.retention_config import retention_settings
from bot.retention_jobs import purge_now
from bot.wiring import Bryggan
from handlers.kernel import texts
from handlers.questions.retention import PurgePreview, preview_purge


def add_purge_command(sub: Any) -> None:
    """Register `purge` on the CLI's subparsers."""
    purge = sub.add_parser("purge", help=texts.CLI_PURGE_HELP)
    purge.add_argument("--dry-run", action="store_true", help=texts.CLI_PURGE_DRY_RUN_HELP)


def run_purge_command(app: Bryggan, args: argparse.Namespace) -> int | None:
    """Run `purge`; None when the command is another one."""
    if args.command != "purge":
        return None
    if args.dry_run:
        settings = retention_settings(app.config)
        preview = preview_purge(
            app.core.stores,
            app.core.clock,
            days=settings.days,
            close_answered_after=settings.close_answered_after,
        )
        print(preview_text(preview))
        return 0
    print(texts.CLI_PURGED.format(questions=texts.questions(purge_now(app))))
    return 0


def preview_text(preview: PurgePreview) -> str:
    """The dry run as lines: what would be closed, then each question with its counts."""
    lines = []
    if preview.to_close:
        lines.append(texts.CLI_PURGE_WOULD_CLOSE.format(refs=", ".join(preview.to_close)))
    if preview.to_purge:
        messages = sum(c.messages for c in preview.to_purge)
        posts = sum(c.posts for c in preview.to_purge)
        lines.append(
            texts.CLI_PURGE_WOULD.format(
                questions=texts.questions(len(preview.to_purge)),
                messages=texts.thread_messages(messages),
                posts=texts.posts(posts),
            )
        )
        lines += [
            texts.CLI_PURGE_LINE.format(
                ref=c.ref, messages=texts.thread_messages(c.messages), posts=texts.posts(c.posts)
            )
            for c in preview.to_purge
        ]
    return "\n".join(lines) or texts.CLI_PURGE_NOTHING
