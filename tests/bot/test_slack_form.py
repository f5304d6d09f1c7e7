"""`/fraga` without text: the question form (Block Kit modal), end to end against the stand-in."""

from __future__ import annotations

import json
from typing import Any

from handlers.kernel import texts
from handlers.kernel.model import ConsentMode, Status
from tests.bot.slack_support import CHANNEL, SlackHarness, ack_text, as_json, card_text, form_state
from tests.slack_stand_in import block_actions_body


def _opened_form(slack: SlackHarness, user: str = "ULISA") -> dict[str, Any]:
    response = slack.command("", user)
    assert (response.status, response.body) == (200, "")
    call = slack.stand_in.wait_for("views.open")[0]
    assert call["trigger_id"] == "1000000000.1.stand-in-trigger"
    view: dict[str, Any] = as_json(call["view"])
    return view


def _block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def test_fraga_alone_opens_the_form_with_the_channels_unit_and_my_direction(
    slack: SlackHarness,
) -> None:
    view = _opened_form(slack)
    assert view["callback_id"] == "bryggan_fraga"
    units = _block(view, "enhet")["element"]
    assert [o["value"] for o in units["options"]] == ["kristianstad", "hassleholm", "lund", "ystad"]
    assert units["initial_option"]["value"] == "ystad"  # asked in Ystad's channel
    assert _block(view, "riktning")["element"]["initial_option"]["value"] == "vard_till_fk"
    categories = [o["text"]["text"] for o in _block(view, "kategori")["element"]["options"]]
    assert "SGI och övriga förmåner" in categories
    text = _block(view, "text")["element"]
    assert (text["multiline"], text["max_length"]) == (True, 2000)
    assert "frist" in [b.get("block_id") for b in view["blocks"]]
    assert "samtycke_av" not in [b.get("block_id") for b in view["blocks"]]
    assert json.loads(view["private_metadata"]) == {"channel": CHANNEL}


def test_submitted_form_is_confirmed_in_the_ack_then_posted_as_a_card(slack: SlackHarness) -> None:
    response = slack.submit(form_state(deadline="2026-12-15"))
    answer = json.loads(response.body)
    assert answer["response_action"] == "update"
    thanks = json.dumps(answer["view"], ensure_ascii=False)
    assert "Tack! Din fråga F-2026-0001 är registrerad" in thanks
    card = slack.card("F-2026-0001")
    shown = card_text(card)
    for fact in ("F-2026-0001", "SGI och övriga förmåner", "vård → FK", "avidentifierad"):
        assert fact in shown
    assert "15 dec 2026" in shown and "<@UANNA>" in shown
    buttons = [e["text"]["text"] for e in card["blocks"][-1]["elements"]]
    assert buttons == ["Ta", "Besvarad", "Stäng", "Flytta"]
    notice = slack.stand_in.wait_for("chat.postMessage", 2)[1]
    assert notice["channel"] == "UANNA" and "Ny fråga till dig: F-2026-0001" in notice["text"]


def test_choosing_samtycke_asks_who_when_and_how(slack: SlackHarness) -> None:
    opened = _opened_form(slack)
    view = slack.service.client.views_open(trigger_id="t", view=opened)["view"]  # id and hash
    consent = form_state(consent={"form": "skriftligt"})
    view["state"] = {"values": {"samtycke_val": consent["samtycke_val"]}}
    selected = {"type": "radio_buttons", "selected_option": {"value": "samtycke"}}
    body = block_actions_body(
        "bryggan_samtycke", "ULISA", block_id="samtycke_val", view=view, action=selected
    )
    assert slack.dispatch(body).status == 200
    update = slack.stand_in.wait_for("views.update")[0]
    assert update["view_id"] == view["id"] and update["hash"] == view["hash"]
    blocks = [b.get("block_id") for b in as_json(update["view"])["blocks"]]
    assert {"samtycke", "samtycke_av", "samtycke_datum"} <= set(blocks)

    state = form_state(consent={"form": "skriftligt", "by": "dr Holm", "date": "2026-11-20"})
    assert json.loads(slack.submit(state).body)["response_action"] == "update"
    assert "med samtycke (skriftligt, 20 nov 2026)" in card_text(slack.card("F-2026-0001"))
    question = slack.question("F-2026-0001")
    assert question is not None and question.consent_mode == ConsentMode.SAMTYCKE
    assert question.consent is not None and question.consent.obtained_by == "dr Holm"


def test_identity_number_in_the_form_is_a_field_error_and_nothing_is_posted_or_stored(
    slack: SlackHarness,
) -> None:
    state = form_state("Gäller patient 19811218-9876, kan hon få SGI?")
    answer = json.loads(slack.submit(state).body)
    assert answer == {
        "response_action": "errors",
        "errors": {"text": texts.IDENTITY_NUMBER.format(place=texts.IDENTITY_PLACES["question"])},
    }
    assert "9876" not in json.dumps(answer)
    slack.flush()
    assert slack.stand_in.calls("chat.postMessage") == []
    assert slack.question("F-2026-0001") is None
    with slack.bryggan.stores() as store:
        lisa = store.person_by_key(key="lisa")
        assert lisa is not None and store.questions_for(asker_id=lisa.id) == []


def test_a_past_deadline_is_an_error_on_the_deadline_field(slack: SlackHarness) -> None:
    answer = json.loads(slack.submit(form_state(deadline="2026-11-02")).body)
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["frist"]
    assert "har redan passerat" in answer["errors"]["frist"]
    assert slack.question("F-2026-0001") is None


def test_a_form_from_the_home_tab_goes_to_the_units_channel(slack: SlackHarness) -> None:
    response = slack.submit(form_state(), user="UNILS", channel=None)
    assert json.loads(response.body)["response_action"] == "update"
    assert slack.location("F-2026-0001").channel == CHANNEL
    question = slack.question("F-2026-0001")
    assert question is not None and question.status == Status.NY


def test_an_unknown_slack_user_is_told_instead_of_getting_a_form(slack: SlackHarness) -> None:
    assert ack_text(slack.command("", "UNOBODY")) == texts.UNKNOWN_USER
    slack.stand_in.wait_for("auth.test")
    assert slack.stand_in.calls("views.open") == []
