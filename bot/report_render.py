"""Rendering a `ReportDocument`: Markdown (for a wiki or an e-mail), one self-contained HTML
page with a chart per section (SVG data, print CSS for A4: to print, to save as PDF, or to
paste into the samordningsförbund's report template), or an xlsx workbook with a sheet per
table (`bot.exports`)."""

from __future__ import annotations

from html import escape

from bot.report_charts import chart_data_uri
from bot.report_tables import MARKS, ReportDocument, Table
from handlers.kernel import texts

_STYLE = """
:root{color:#222;font-family:system-ui,"DejaVu Sans",sans-serif;font-size:11pt}
body{max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.3rem}
h2{font-size:1.2rem;margin:1.8rem 0 .4rem;border-bottom:1px solid #ccd;padding-bottom:.2rem}
section{margin-bottom:1.5rem}
figure{margin:.4rem 0 .8rem}
figure img{width:100%;height:auto;display:block}
table{border-collapse:collapse;margin:.4rem 0 .6rem;font-size:.92rem}
th,td{border:1px solid #bbb;padding:.2rem .5rem;vertical-align:top}
td:not(:first-child),th:not(:first-child){text-align:right;white-space:nowrap}
th{background:#eef2f6}
tr.total td{font-weight:600;background:#f7f7f7}
.note,.footnotes{color:#444;font-size:.85rem}
.footnotes{margin:.2rem 0 0;padding-left:0;list-style:none}
@page{size:A4;margin:16mm 15mm 18mm}
@media print{
  :root{font-size:10pt}
  body{max-width:none;margin:0;padding:0}
  h2{break-after:avoid}
  figure,table,.footnotes{break-inside:avoid}
  th{background:#eef2f6 !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
""".strip()


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _footnotes(table: Table) -> list[str]:
    return [f"{MARKS[i]} {note}" for i, note in enumerate(table.footnotes)]


def _md_table(table: Table) -> list[str]:
    lines = [f"## {table.title}", ""]
    if table.note:
        lines += [table.note, ""]
    lines.append("| " + " | ".join(_md_cell(h) for h in table.headers) + " |")
    aligns = [":--" if i == 0 else "--:" for i in range(len(table.headers))]
    lines.append("| " + " | ".join(aligns) + " |")
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows]
    lines.append("")
    if table.footnotes:
        lines += [*(f"{note}  " for note in _footnotes(table)), ""]
    return lines


def to_markdown(document: ReportDocument) -> str:
    lines = [f"# {document.title}", "", document.intro, ""]
    for table in document.tables:
        lines += _md_table(table)
    return "\n".join([*lines, f"_{document.footer}_", ""])


def _is_total(row: tuple[str, ...]) -> bool:
    return row[0].rstrip(MARKS) == texts.REPORT_COL_TOTAL


def _html_section(table: Table) -> list[str]:
    lines = ["<section>", f"<h2>{escape(table.title)}</h2>"]
    if table.chart is not None:
        alt = escape(table.chart.title)
        lines.append(f'<figure><img alt="{alt}" src="{chart_data_uri(table.chart)}"></figure>')
    if table.note:
        lines.append(f'<p class="note">{escape(table.note)}</p>')
    lines.append("<table>")
    lines.append("<tr>" + "".join(f"<th>{escape(h)}</th>" for h in table.headers) + "</tr>")
    for row in table.rows:
        css = ' class="total"' if _is_total(row) else ""
        lines.append(f"<tr{css}>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>")
    lines.append("</table>")
    if table.footnotes:
        notes = "".join(f"<li>{escape(note)}</li>" for note in _footnotes(table))
        lines.append(f'<ul class="footnotes">{notes}</ul>')
    return [*lines, "</section>"]


def to_html(document: ReportDocument) -> str:
    """One page with everything in it: the charts are SVG data, there are no links out."""
    lines = [
        "<!DOCTYPE html>",
        '<html lang="sv">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)}</title>",
        f"<style>{_STYLE}</style></head>",
        "<body>",
        f"<h1>{escape(document.title)}</h1>",
        f"<p>{escape(document.intro)}</p>",
    ]
    for table in document.tables:
        lines += _html_section(table)
    lines += [f'<p class="note">{escape(document.footer)}</p>', "</body>", "</html>", ""]
    return "\n".join(lines)
