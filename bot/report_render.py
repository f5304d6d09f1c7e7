"""Rendering a `ReportDocument` as Markdown (for a wiki or an e-mail) or as a standalone
HTML page (to print or to paste into the samordningsförbund's report template)."""

from __future__ import annotations

from html import escape

from bot.reports import ReportDocument, Table

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#222}"
    "table{border-collapse:collapse;margin:0.5rem 0 1.5rem}"
    "th,td{border:1px solid #bbb;padding:0.25rem 0.6rem}"
    "td:not(:first-child),th:not(:first-child){text-align:right}"
    "th{background:#eef2f6}caption{text-align:left;font-weight:600;margin-bottom:0.3rem}"
    ".note{color:#555;font-size:0.9rem}"
)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(table: Table) -> list[str]:
    lines = [f"## {table.title}", ""]
    if table.note:
        lines += [table.note, ""]
    lines.append("| " + " | ".join(_md_cell(h) for h in table.headers) + " |")
    aligns = [":--" if i == 0 else "--:" for i in range(len(table.headers))]
    lines.append("| " + " | ".join(aligns) + " |")
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows]
    return [*lines, ""]


def to_markdown(document: ReportDocument) -> str:
    lines = [f"# {document.title}", "", document.intro, ""]
    for table in document.tables:
        lines += _md_table(table)
    return "\n".join([*lines, f"_{document.footer}_", ""])


def _html_table(table: Table) -> list[str]:
    lines = [f"<h2>{escape(table.title)}</h2>"]
    if table.note:
        lines.append(f'<p class="note">{escape(table.note)}</p>')
    lines.append("<table>")
    lines.append("<tr>" + "".join(f"<th>{escape(h)}</th>" for h in table.headers) + "</tr>")
    for row in table.rows:
        lines.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>")
    return [*lines, "</table>"]


def to_html(document: ReportDocument) -> str:
    lines = [
        "<!DOCTYPE html>",
        '<html lang="sv">',
        '<head><meta charset="utf-8">',
        f"<title>{escape(document.title)}</title>",
        f"<style>{_STYLE}</style></head>",
        "<body>",
        f"<h1>{escape(document.title)}</h1>",
        f"<p>{escape(document.intro)}</p>",
    ]
    for table in document.tables:
        lines += _html_table(table)
    lines += [f'<p class="note">{escape(document.footer)}</p>', "</body>", "</html>", ""]
    return "\n".join(lines)
