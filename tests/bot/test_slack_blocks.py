"""Block Kit limits and escaping, on cards and Home tabs far larger than usual."""

from __future__ import annotations

import json

from bot.slack.blocks import card_blocks, card_fallback
from bot.slack.home import Home, home_view
from handlers.commands.builtin import core_commands
from handlers.kernel.model import Status
from handlers.questions.cards import CardView, PersonRef


def _card(text: str | None = "x", *, ref: str = "F-2026-0001", **changes: object) -> CardView:
    values: dict[str, object] = {
        "ref": ref,
        "status": Status.NY,
        "status_label": "ny",
        "status_emoji": "🆕",
        "unit": "Vuxenpsykiatri Ystad",
        "category": "SGI och övriga förmåner",
        "direction": "vård → FK",
        "consent": "avidentifierad",
        "deadline": None,
        "asker": PersonRef(1, "Lisa <Ek>", None),
        "assignee": None,
        "route": "Till Anna Berg.",
        "text": text,
        "times": (("Ställd", "23 nov 2026 09:00"),),
    }
    values.update(changes)
    return CardView(**values)  # type: ignore[arg-type]


def _texts(blocks: list[dict[str, object]]) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") in {"mrkdwn", "plain_text"}:
                found.append(str(node["text"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return found


def test_user_text_is_escaped_so_it_never_pings_or_links() -> None:
    blocks = card_blocks(_card("Hej <!channel> & <@U123> <https://x.se|klicka>"))
    shown = json.dumps(blocks, ensure_ascii=False)
    assert "&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://x.se|klicka&gt;" in shown
    assert "<!channel>" not in shown and "Lisa &lt;Ek&gt;" in shown


def test_long_texts_stay_within_slacks_limits() -> None:
    card = _card("å" * 5000, unit="U" * 3000, category="K" * 300, ref="F-2026-" + "9" * 200)
    blocks = card_blocks(card)
    assert len(blocks) <= 50
    header = blocks[0]["text"]["text"]
    assert len(header) <= 150 and header.endswith("…")
    assert all(len(f["text"]) <= 2000 for f in blocks[1]["fields"])
    assert all(len(t) <= 3000 for t in _texts(blocks))
    assert len(card_fallback(card)) <= 150


def test_a_purged_card_says_so_and_a_closed_one_offers_only_reopen() -> None:
    blocks = card_blocks(_card(None, status=Status.STANGD, status_label="stängd"))
    assert "Texten är borttagen enligt gallringsregeln" in json.dumps(blocks, ensure_ascii=False)
    assert [e["action_id"] for e in blocks[-1]["elements"]] == ["bryggan_ateroppna"]


def test_a_huge_home_tab_stays_under_100_blocks() -> None:
    cards = [_card("y" * 3000, ref=f"F-2026-{n:04d}") for n in range(200)]
    view = home_view(Home(True, mine=cards, waiting=cards), core_commands(max_text=2000))
    assert len(view["blocks"]) <= 100
    assert all(len(t) <= 3000 for t in _texts(view["blocks"]))
    assert "Det finns fler" in json.dumps(view, ensure_ascii=False)
