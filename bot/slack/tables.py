"""`/bryggan statistik tabell` in Slack: the tables as Block Kit sections, a line per row
with each figure named (`SGI och övriga förmåner: frågor 4 · hanterade 4 · …`), which wraps
on a phone where a monospace table would not. The ack's `text` keeps the aligned tables for
notifications and clients without blocks."""

from __future__ import annotations

from bot.slack.blocks import MAX_SECTION_TEXT, Block, clip, escape
from bot.slack.replies import slack_invocation
from handlers.kernel import Registry, Reply
from handlers.statistics import StatisticsReply, TextTable


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION_TEXT)}}


def _row(headers: tuple[str, ...], row: tuple[str, ...]) -> str:
    figures = " · ".join(
        f"{escape(header.lower())} *{escape(cell)}*"
        for header, cell in zip(headers[1:], row[1:], strict=True)
    )
    return f"{escape(row[0])}: {figures}"


def _table(table: TextTable) -> Block:
    lines = [f"*{escape(table.title)}*", *(_row(table.headers, row) for row in table.rows)]
    return _section("\n".join(lines))


def statistics_blocks(reply: Reply, registry: Registry) -> list[Block] | None:
    """Blocks for a /statistik reply with tables: the summary, then a section per table;
    None for every other reply (plain text, as before)."""
    if not isinstance(reply, StatisticsReply) or not reply.tables:
        return None
    summary = "\n".join(
        escape(registry.render_hints(line, slack_invocation)) for line in reply.summary
    )
    return [_section(summary), {"type": "divider"}, *(_table(t) for t in reply.tables)]
