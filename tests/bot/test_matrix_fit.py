"""What the bot builds for Matrix, without a homeserver: every event within its budget,
long texts split into marked parts, mentions, fenced tables, and Element's HTML read."""

from __future__ import annotations

from bot.matrix.events import Kind, classify
from bot.matrix.fit import content_budget, content_size, split_to_fit
from bot.matrix.render import (
    card_content,
    direct_content,
    edit_content,
    reaction_content,
    reply_content,
    room_post_content,
    text_of_html,
    thread_content,
)
from handlers.commands.builtin import core_commands
from handlers.kernel import Status
from handlers.questions import MAX_TEXT, CardView, PersonRef

BOT = "@bryggan:bryggan.test"
TABLE = "Frågor per kategori\n```\nKategori   Antal\nSGI            12\n```\nKälla: Bryggan"


def answers(count: int) -> str:
    """A `!visa`-like text: a card and `count` long answers."""
    answer = "Sjukpenninggrundande inkomst påverkas inte av deltid, men anmäl ändringen. " * 25
    lines = ["🟢 F-2026-0001 · ny · Vuxenpsykiatri Malmö"]
    lines += [f"  ↳ Svar {n} från Karin Kontakt (i dag 10:{n:02d}): {answer}" for n in range(count)]
    return "\n".join(lines)


def test_a_long_reply_is_split_into_marked_parts_that_each_fit() -> None:
    text = answers(40)

    def content_for(part: str) -> dict[str, object]:
        return reply_content("$command", part)

    for encrypted in (False, True):
        budget = content_budget(encrypted)
        assert content_size(content_for(text)) > budget
        parts = split_to_fit(text, content_for, budget)
        assert len(parts) >= 2
        assert all(content_size(content_for(p)) <= budget for p in parts)
        assert parts[1].startswith(f"(fortsättning 2 av {len(parts)})\n")
        unmarked = [parts[0]] + [p.split("\n", 1)[1] for p in parts[1:]]
        assert "\n".join(unmarked) == text, "nothing lost or reordered between the parts"


def test_a_single_line_longer_than_an_event_is_cut_between_characters() -> None:
    line = "å" * 30_000  # 6 bytes each as JSON: 180 kB

    def content_for(part: str) -> dict[str, object]:
        return room_post_content(part)

    parts = split_to_fit(line, content_for, content_budget(True))
    assert all(content_size(content_for(p)) <= content_budget(True) for p in parts)
    assert "".join(p.split("\n", 1)[-1] if i else p for i, p in enumerate(parts)) == line


def test_a_short_text_is_one_part_unchanged() -> None:
    assert split_to_fit("Hej!", room_post_content, content_budget(True)) == ["Hej!"]


def test_the_largest_card_and_its_edit_fit_an_encrypted_room() -> None:
    card = CardView(
        ref="F-2026-0001",
        status=Status.NY,
        status_emoji="🟢",
        status_label="ny",
        unit="Vuxenpsykiatri Malmö",
        category="SGI och övriga förmåner",
        direction="vård → FK",
        consent="avidentifierad",
        deadline="tisdag 15 december",
        asker=PersonRef(1, "Doktor Dahl", "@doktor:bryggan.test"),
        assignee=PersonRef(2, "Karin Kontakt", "@kontakt:bryggan.test"),
        route="Till Karin Kontakt, kontaktperson för Vuxenpsykiatri Malmö.",
        text="åäö<&>\n" * (MAX_TEXT // 7),
        times=(("ställd", "i dag 10:00"),),
    )
    registry = core_commands(max_text=MAX_TEXT)
    assert content_size(card_content(card, registry)) <= content_budget(True)
    assert content_size(edit_content("$card", card, registry)) <= content_budget(True)


def test_every_event_the_bot_builds_says_whom_it_mentions() -> None:
    for content in (
        reply_content("$e", "@room hej"),
        thread_content("$root", "@room hej"),
        direct_content("Ny fråga till dig"),
        room_post_content("📋 Dagordning\n• @room titta här (Doktor Dahl)"),
        reaction_content("$e", "✅"),
    ):
        assert content["m.mentions"] == {}


def test_fenced_tables_are_preformatted_html_with_the_fences_only_in_the_body() -> None:
    content = room_post_content(TABLE)
    assert content["body"] == TABLE
    html = content["formatted_body"]
    assert "<pre><code>Kategori   Antal\nSGI            12</code></pre>" in html
    assert "```" not in html and "<p>Frågor per kategori</p>" in html
    assert "formatted_body" not in room_post_content("Ingen tabell här")


def test_markdown_typed_in_element_is_read_from_its_html() -> None:
    source = {
        "type": "m.room.message",
        "sender": "@doktor:bryggan.test",
        "event_id": "$1",
        "content": {
            "msgtype": "m.text",
            "body": "!fråga kategori:sgi Hur påverkas **SGI** vid _deltid_?",
            "format": "org.matrix.custom.html",
            "formatted_body": "!fråga kategori:sgi Hur påverkas <strong>SGI</strong> vid "
            "<em>deltid</em>?",
        },
    }
    incoming = classify(source, "!rum", bot_user_id=BOT)
    assert incoming is not None and incoming.kind is Kind.COMMAND
    assert incoming.text == "!fråga kategori:sgi Hur påverkas SGI vid deltid?"


def test_html_text_leaves_out_the_reply_quote_and_names_pills_by_id() -> None:
    html = (
        "<mx-reply><blockquote>citat från kortet</blockquote></mx-reply>"
        '<a href="https://matrix.to/#/@bryggan:bryggan.test">Bryggan</a>: !flytta F-2026-0001 '
        '<a href="https://matrix.to/#/@olle:bryggan.test">Olle</a><br>rad två &amp; mer'
    )
    assert text_of_html(html) == (
        "@bryggan:bryggan.test: !flytta F-2026-0001 @olle:bryggan.test\nrad två & mer"
    )
