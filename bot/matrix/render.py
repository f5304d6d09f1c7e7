"""Matrix event contents: the question card (HTML with a plain body), edits, thread posts,
replies and reactions. Pure functions over neutral values; no nio, no I/O.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any

from handlers.kernel import Registry, Status, prefixed, texts
from handlers.questions import CardView, PersonRef, card_lines

HTML = "org.matrix.custom.html"
MATRIX_COMMANDS = prefixed("!")


def matrix_text(text: str, registry: Registry) -> str:
    """Core texts name commands as `/fråga`; in Matrix they are typed `!fråga`."""
    return registry.render_hints(text, MATRIX_COMMANDS)


def pill(person: PersonRef) -> str:
    """The person as an HTML mention pill when they have a Matrix id, else their name."""
    name = html.escape(person.name)
    if not person.identity:
        return name
    return f'<a href="https://matrix.to/#/{html.escape(person.identity)}">{name}</a>'


def card_content(card: CardView, registry: Registry) -> dict[str, Any]:
    """The card as an `m.text` message (so the assignee's mention notifies them)."""
    labels = texts.CARD_LABELS
    assignee = pill(card.assignee) if card.assignee else texts.UNASSIGNED
    esc = html.escape
    facts = [
        f"<b>{labels['category']}:</b> {esc(card.category)}",
        f"<b>{labels['direction']}:</b> {esc(card.direction)} · "
        f"<b>{labels['consent']}:</b> {esc(card.consent)}",
    ]
    if card.deadline:
        facts.append(f"<b>{labels['deadline']}:</b> {esc(card.deadline)}")
    facts.append(
        f"<b>{labels['asker']}:</b> {pill(card.asker)} · <b>{labels['assignee']}:</b> {assignee}"
    )
    body_text = card.text if card.text is not None else texts.PURGED
    times = " · ".join(f"{label} {at}" for label, at in card.times)
    hint = matrix_text(card_hint(card), registry)
    formatted = (
        f"<p><strong>{esc(card.status_emoji)} {esc(card.ref)}</strong> · "
        f"{esc(card.status_label)} · {esc(card.unit)}</p>"
        f"<p>{'<br>'.join(facts)}</p>"
        f"<blockquote>{esc(body_text).replace(chr(10), '<br>')}</blockquote>"
        f"<p><em>{esc(times)}</em>" + (f"<br><em>{esc(hint)}</em>" if hint else "") + "</p>"
    )
    plain = "\n".join(card_lines(card) + ([hint] if hint else []))
    mentioned = [card.assignee.identity] if card.assignee and card.assignee.identity else []
    return {
        "msgtype": "m.text",
        "body": plain,
        "format": HTML,
        "formatted_body": formatted,
        "m.mentions": {"user_ids": mentioned},
    }


def card_hint(card: CardView) -> str:
    """What to do with the card now: answer in the thread while it is open; once answered,
    the asker's "Löste svaret din fråga?" with 👍/👎."""
    if card.open:
        return texts.MATRIX_CARD_HINT.format(ref=card.ref)
    if card.status == Status.BESVARAD:
        return texts.MATRIX_HELPED_HINT.format(ref=card.ref)
    return ""


def edit_content(card_event_id: str, card: CardView, registry: Registry) -> dict[str, Any]:
    """An `m.replace` edit of the card. It mentions nobody anew: assignees get a direct
    message, and a status change should not ping the room."""
    new = card_content(card, registry)
    return {
        "msgtype": new["msgtype"],
        "body": "* " + new["body"],
        "format": HTML,
        "formatted_body": "* " + new["formatted_body"],
        "m.new_content": new,
        "m.mentions": {},
        "m.relates_to": {"rel_type": "m.replace", "event_id": card_event_id},
    }


def replacement_content(event_id: str, text: str) -> dict[str, Any]:
    """An `m.replace` edit of one of the bot's notices (a thread post) to `text`."""
    new = text_content("m.notice", text)
    return {
        **new,
        "body": "* " + text,
        "m.new_content": new,
        "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
    }


NO_MENTIONS: dict[str, Any] = {}
"""`m.mentions` of an event that means nobody: even an `@room` in its text pings no one."""


def text_content(msgtype: str, text: str) -> dict[str, Any]:
    """A message with `text` as its plain body, mentioning nobody; with an HTML body too
    when the text holds fenced blocks (tables), which Element then shows as `<pre><code>`
    while the plain fences stay in `body` for clients without HTML."""
    content: dict[str, Any] = {"msgtype": msgtype, "body": text, "m.mentions": NO_MENTIONS}
    if "```" in text:
        content |= {"format": HTML, "formatted_body": fenced_html(text)}
    return content


def fenced_html(text: str) -> str:
    """Plain lines as escaped text with `<br>`, each ```-fenced block as `<pre><code>`."""
    parts: list[str] = []
    plain: list[str] = []
    code: list[str] | None = None
    for line in text.split("\n"):
        if line.strip().startswith("```"):
            if code is None:
                if plain:
                    parts.append("<p>" + "<br>".join(html.escape(p) for p in plain) + "</p>")
                plain, code = [], []
            else:
                parts.append("<pre><code>" + html.escape("\n".join(code)) + "</code></pre>")
                code = None
        elif code is not None:
            code.append(line)
        else:
            plain.append(line)
    if code is not None:  # an unclosed fence: the rest is still code
        parts.append("<pre><code>" + html.escape("\n".join(code)) + "</code></pre>")
    if plain:
        parts.append("<p>" + "<br>".join(html.escape(p) for p in plain) + "</p>")
    return "".join(parts)


def thread_content(root_event_id: str, text: str) -> dict[str, Any]:
    """A notice in the card's thread (`m.thread`, with the reply fallback for old clients)."""
    return {
        **text_content("m.notice", text),
        "m.relates_to": {
            "rel_type": "m.thread",
            "event_id": root_event_id,
            "is_falling_back": True,
            "m.in_reply_to": {"event_id": root_event_id},
        },
    }


def reply_content(event_id: str, text: str, *, thread_root: str | None = None) -> dict[str, Any]:
    """A notice answering one event; inside its thread when it was written in one.

    No quoted fallback: quoting could repeat what the bot just refused to store.
    """
    relation: dict[str, Any] = {"m.in_reply_to": {"event_id": event_id}}
    if thread_root:
        relation |= {"rel_type": "m.thread", "event_id": thread_root, "is_falling_back": False}
    return {**text_content("m.notice", text), "m.relates_to": relation}


def direct_content(text: str) -> dict[str, Any]:
    """A message in a direct room: `m.text`, so the person is notified (a direct room
    notifies its members without a mention)."""
    return text_content("m.text", text)


def room_post_content(text: str) -> dict[str, Any]:
    """A post in a unit room (announcement, reminder, agenda, summary): `m.text`,
    mentioning nobody, whatever the points written by members say."""
    return text_content("m.text", text)


def reaction_content(event_id: str, key: str) -> dict[str, Any]:
    """An `m.annotation` reaction with `key` (an emoji) on `event_id`."""
    return {
        "m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key},
        "m.mentions": NO_MENTIONS,
    }


def strip_reply_fallback(body: str) -> str:
    """Drop the `> <@user> quoted text` lines older clients put before a reply."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith(">"):
        return body
    index = 0
    while index < len(lines) and lines[index].startswith(">"):
        index += 1
    return "\n".join(lines[index:]).strip()


class _TextOfHtml(HTMLParser):
    """What a person sees of an Element message's HTML, as plain text."""

    BLOCKS = frozenset({"p", "div", "li", "pre", "blockquote", "tr", "h1", "h2", "h3", "h4"})
    USER_LINK = "https://matrix.to/#/@"

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0
        self.pill = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mx-reply":
            self.skipping += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith(self.USER_LINK) and not self.skipping:
                # A mention pill: the user id, which names the person exactly.
                self.out.append(href.removeprefix("https://matrix.to/#/").split("?")[0])
                self.pill = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "mx-reply":
            self.skipping = max(0, self.skipping - 1)
        elif tag == "a":
            self.pill = False
        elif tag in self.BLOCKS and not self.skipping:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping and not self.pill:
            self.out.append(data)


def text_of_html(formatted_body: str) -> str:
    """`<strong>SGI</strong>` → `SGI`: the text of Element's HTML, reply quote left out."""
    parser = _TextOfHtml()
    parser.feed(formatted_body)
    parser.close()
    return "".join(parser.out).strip()
