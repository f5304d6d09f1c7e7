"""The knowledge bank in Slack, through the stand-in: the card's "Spara i kunskapsbanken"
modal, suggestions with "Det löste min fråga" after asking, and the Home tab's search."""

from __future__ import annotations

import json
from typing import Any

from handlers.kernel import texts
from handlers.kernel.model import Status
from tests.bot.slack_support import SlackHarness, ack_text, as_json
from tests.slack_stand_in import block_actions_body, view_submission_body
from tests.support import wait_until

ENTRY_TITLE = "SGI vid sjukskrivning på deltid"
ENTRY_TEXT = "Den som är sjukskriven på deltid behåller sin SGI."


def save_state(title: str, text: str, confirmed: bool) -> dict[str, Any]:
    picked = [{"value": "bekräftat"}] if confirmed else []
    return {
        "rubrik": {"rubrik": {"type": "plain_text_input", "value": title}},
        "text": {"text": {"type": "plain_text_input", "value": text}},
        "bekräftelse": {"bekräftelse": {"type": "checkboxes", "selected_options": picked}},
    }


def answered(slack: SlackHarness) -> str:
    ref = slack.ask("Hur påverkas SGI vid halvtid?")
    slack.reply_in_thread(ref, "SGI:n påverkas inte av sjukskrivning på deltid.", "UANNA", "Ev1")

    def status() -> Status | None:
        question = slack.question(ref)
        return question.status if question else None

    wait_until(lambda: status() == Status.BESVARAD, 10, f"{ref} answered", seen=status)
    slack.flush()
    return ref


def submit_save(slack: SlackHarness, view: dict[str, Any], state: dict[str, Any]) -> Any:
    body = view_submission_body("bryggan_kunskap_spara", state, "UANNA", view["private_metadata"])
    answer = slack.dispatch(body).body
    return json.loads(answer) if answer else {}


def test_the_card_saves_an_answer_through_a_modal(slack: SlackHarness) -> None:
    ref = answered(slack)
    update = slack.stand_in.wait_for("chat.update")[-1]
    buttons = [e["action_id"] for e in as_json(update["blocks"])[-1]["elements"]]
    assert "bryggan_kunskap_spara" in buttons
    slack.press("bryggan_kunskap_spara", ref, "UANNA")
    view = as_json(slack.stand_in.wait_for("views.open")[0]["view"])
    assert view["callback_id"] == "bryggan_kunskap_spara"
    drafted = json.dumps(view["blocks"], ensure_ascii=False)
    assert (
        "Hur påverkas SGI vid halvtid?" in drafted and "påverkas inte av sjukskrivning" in drafted
    )

    refused = submit_save(slack, view, save_state(ENTRY_TITLE, ENTRY_TEXT, confirmed=False))
    assert refused["response_action"] == "errors" and "bekräftelse" in refused["errors"]
    guarded = submit_save(slack, view, save_state(ENTRY_TITLE, "Gäller 121212-1212.", True))
    assert guarded["response_action"] == "errors"
    assert "personnummer" in json.dumps(guarded["errors"], ensure_ascii=False).lower()
    saved = submit_save(slack, view, save_state(ENTRY_TITLE, ENTRY_TEXT, confirmed=True))
    assert saved["response_action"] == "update"
    assert f"Sparat i kunskapsbanken som K-1: {ENTRY_TITLE}." in json.dumps(
        saved["view"], ensure_ascii=False
    )


def test_the_asker_cannot_save_and_is_told_why(slack: SlackHarness) -> None:
    ref = answered(slack)
    slack.press("bryggan_kunskap_spara", ref, "ULISA")
    told = wait_until(
        lambda: slack.stand_in.ephemerals_seen("ULISA"),
        10,
        "an ephemeral to Lisa",
        seen=lambda: slack.stand_in.calls("chat.postEphemeral"),
    )
    assert told == [texts.KNOWLEDGE_SAVE_WHO]
    assert slack.stand_in.calls("views.open") == []


def test_a_suggestion_follows_the_ack_and_det_loste_min_fraga_closes(slack: SlackHarness) -> None:
    ref = answered(slack)
    slack.press("bryggan_kunskap_spara", ref, "UANNA")
    view = as_json(slack.stand_in.wait_for("views.open")[0]["view"])
    submit_save(slack, view, save_state(ENTRY_TITLE, ENTRY_TEXT, confirmed=True))

    reply = ack_text(slack.command("kategori:sgi Sänks SGI vid sjukskrivning på halvtid?"))
    assert reply.startswith("Tack! Din fråga F-2026-0002 är registrerad.")
    suggested = next(
        call
        for call in slack.stand_in.wait_for("chat.postEphemeral", 2)
        if "kunskapsbanken" in call["text"]
    )
    assert suggested["user"] == "ULISA" and f"K-1 {ENTRY_TITLE}" in suggested["text"]
    button = as_json(suggested["blocks"])[-1]["elements"][0]
    assert button["text"]["text"] == "Det löste min fråga (K-1)"

    press = block_actions_body(
        button["action_id"], "ULISA", value=button["value"], channel_id="CYSTAD"
    )
    slack.dispatch(press)
    told = [c["text"] for c in slack.stand_in.wait_for("chat.postEphemeral", 3)]
    assert "Skönt att K-1 hjälpte! F-2026-0002 är stängd som besvarad ur kunskapsbanken." in told
    question = slack.question("F-2026-0002")
    assert question is not None and question.status == Status.STANGD


def test_the_home_tab_searches_the_bank(slack: SlackHarness) -> None:
    ref = answered(slack)
    slack.press("bryggan_kunskap_spara", ref, "UANNA")
    view = as_json(slack.stand_in.wait_for("views.open")[0]["view"])
    submit_save(slack, view, save_state(ENTRY_TITLE, ENTRY_TEXT, confirmed=True))

    slack.dispatch(block_actions_body("bryggan_kunskap_sok", "ULISA", value="sok"))
    search = as_json(slack.stand_in.wait_for("views.open", 2)[-1]["view"])
    assert search["callback_id"] == "bryggan_kunskap_sok"
    state = {"sokord": {"sokord": {"type": "plain_text_input", "value": "deltidssjukskrivning"}}}
    answer = json.loads(
        slack.dispatch(view_submission_body("bryggan_kunskap_sok", state, "ULISA")).body
    )
    shown = json.dumps(answer["view"], ensure_ascii=False)
    assert answer["response_action"] == "update"
    assert f"K-1 {ENTRY_TITLE}" in shown and "/bryggan kunskap visa" in shown


def test_the_question_form_offers_a_search_first(slack: SlackHarness) -> None:
    assert ack_text(slack.command("")) == ""
    form = as_json(slack.stand_in.wait_for("views.open")[0]["view"])
    button = form["blocks"][0]["elements"][0]
    assert button["text"]["text"] == "Sök i kunskapsbanken först"
    opened = {**form, "id": "V0STANDIN"}
    slack.dispatch(block_actions_body(button["action_id"], "ULISA", value="fraga", view=opened))
    pushed = as_json(slack.stand_in.wait_for("views.push")[0]["view"])
    assert pushed["callback_id"] == "bryggan_kunskap_sok"
