"""`/statistik tabell` in Matrix: the tables as an HTML `<table>` each, which Element lays out
to the width of a phone, instead of a monospace block that scrolls sideways. The plain
`body` keeps the aligned text for clients without HTML. Pure functions, no nio."""

from __future__ import annotations

import html

from handlers.kernel import Registry, Reply, prefixed
from handlers.statistics import StatisticsReply, TextTable

_MATRIX = prefixed("!")


def _table(table: TextTable) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in table.headers)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in table.rows
    )
    return (
        f"<p><b>{html.escape(table.title)}</b></p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def statistics_html(reply: Reply, registry: Registry) -> str | None:
    """The HTML body of a /statistik reply with tables (summary lines, then the tables);
    None for every other reply, which keeps the adapter's usual rendering."""
    if not isinstance(reply, StatisticsReply) or not reply.tables:
        return None
    summary = "<br>".join(
        html.escape(registry.render_hints(line, _MATRIX)) for line in reply.summary
    )
    return f"<p>{summary}</p>" + "".join(_table(table) for table in reply.tables)
