"""The bank for a training day: every entry in use, by category, as Markdown or HTML.

Meant for `bryggan report` (the command line, an administrator's tool); the entries are
general knowledge, so the export holds titles, texts, categories and review dates, and no
names.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from handlers.kernel import Store, texts
from handlers.knowledge.model import KnowledgeEntry, knowledge_store


@dataclass(frozen=True)
class BankSection:
    category: str
    entries: tuple[KnowledgeEntry, ...]


@dataclass(frozen=True)
class BankDocument:
    today: date
    sections: tuple[BankSection, ...]

    @property
    def count(self) -> int:
        return sum(len(section.entries) for section in self.sections)


def bank_document(store: Store, today: date) -> BankDocument:
    """Every entry in use, grouped by category in the categories' own order."""
    categories = store.categories(include_inactive=True)
    names = {c.slug: c.name for c in categories}
    order = {c.slug: n for n, c in enumerate(categories)}
    entries = sorted(
        knowledge_store(store).entries_in_use(),
        key=lambda e: (order.get(e.category, len(order)), e.title.casefold(), e.id),
    )
    sections = tuple(
        BankSection(names.get(slug, slug), tuple(group))
        for slug, group in groupby(entries, key=lambda e: e.category)
    )
    return BankDocument(today, sections)


def bank_markdown(document: BankDocument) -> str:
    lines = [f"# {texts.KNOWLEDGE_EXPORT_TITLE}", ""]
    lines.append(texts.KNOWLEDGE_EXPORT_INTRO.format(count=_entries(document.count)))
    for section in document.sections:
        lines += ["", f"## {section.category}"]
        for entry in section.entries:
            review = texts.day_label(entry.review_on)
            lines += ["", f"### {entry.label} {entry.title}", "", entry.body.strip()]
            lines += ["", f"*{texts.KNOWLEDGE_EXPORT_REVIEW.format(review=review)}*"]
    lines += ["", texts.REPORT_FOOTER.format(today=texts.day_label(document.today)), ""]
    return "\n".join(lines)


def bank_html(document: BankDocument) -> str:
    e = html.escape
    parts = [
        '<!DOCTYPE html>\n<html lang="sv">\n<head><meta charset="utf-8">',
        f"<title>{e(texts.KNOWLEDGE_EXPORT_TITLE)}</title></head>\n<body>",
        f"<h1>{e(texts.KNOWLEDGE_EXPORT_TITLE)}</h1>",
        f"<p>{e(texts.KNOWLEDGE_EXPORT_INTRO.format(count=_entries(document.count)))}</p>",
    ]
    for section in document.sections:
        parts.append(f"<h2>{e(section.category)}</h2>")
        for entry in section.entries:
            review = texts.KNOWLEDGE_EXPORT_REVIEW.format(review=texts.day_label(entry.review_on))
            paragraphs = "".join(f"<p>{e(p)}</p>" for p in entry.body.split("\n\n") if p.strip())
            parts.append(
                f"<h3>{e(entry.label)} {e(entry.title)}</h3>{paragraphs}<p><em>{e(review)}</em></p>"
            )
    footer = texts.REPORT_FOOTER.format(today=texts.day_label(document.today))
    parts += [f"<footer>{e(footer)}</footer>", "</body>\n</html>\n"]
    return "\n".join(parts)


def _entries(count: int) -> str:
    return texts.plural(count, *texts.NOUNS["entry"])
