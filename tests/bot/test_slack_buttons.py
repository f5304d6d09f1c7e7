"""The card's buttons run the same commands, with the same permissions, told ephemerally."""

from __future__ import annotations

import json

from handlers.kernel import texts
from handlers.kernel.model import Status
from tests.bot.slack_support import SlackHarness, as_json, card_text
from tests.slack_stand_in import view_submission_body


def _told(slack: SlackHarness, count: int = 1) -> dict[str, str]:
    return slack.stand_in.wait_for("chat.postEphemeral", count)[count - 1]


def test_ta_by_the_contact_claims_updates_the_card_and_reacts(slack: SlackHarness) -> None:
    ref = slack.ask()
    assert slack.press("bryggan_ta", ref, "UANNA").status == 200
    told = _told(slack)
    assert (told["user"], told["channel"]) == ("UANNA", "CYSTAD")
    assert told["text"].startswith(f"Du har tagit {ref}.")
    assert "👀 F-2026-0001 · tagen" in card_text(slack.stand_in.wait_for("chat.update")[0])
    assert slack.stand_in.wait_for("reactions.add")[0]["name"] == "eyes"
    question = slack.question(ref)
    assert question is not None and question.status == Status.TAGEN


def test_the_outcome_of_a_press_on_a_new_card_is_seen_by_the_one_who_pressed(
    slack: SlackHarness,
) -> None:
    ref = slack.ask()  # a card with no thread yet
    slack.press("bryggan_ta", ref, "UANNA")
    slack.press("bryggan_stang", ref, "UNILS")  # a refusal is seen too
    slack.stand_in.wait_for("chat.postEphemeral", 2)
    assert [t.split(".")[0] for t in slack.stand_in.ephemerals_seen("UANNA")] == [
        f"Du har tagit {ref}"
    ]
    assert slack.stand_in.ephemerals_seen("UNILS") == [
        texts.REF_UNKNOWN.format(ref=ref).replace("/frågor", "/bryggan frågor")
    ]


def test_a_press_by_someone_without_permission_is_refused_ephemerally(
    slack: SlackHarness,
) -> None:
    ref = slack.ask()
    slack.press("bryggan_ta", ref, "UNILS")
    told = _told(slack)
    assert told["user"] == "UNILS"
    assert told["text"] == texts.REF_UNKNOWN.format(ref=ref).replace("/frågor", "/bryggan frågor")
    slack.press("bryggan_besvarad", ref, "ULISA")  # the asker may read, not mark answered
    refused = _told(slack, 2)
    assert refused["text"].startswith("Det får bara den som har tagit frågan")
    slack.flush()
    assert slack.stand_in.calls("chat.update") == []
    question = slack.question(ref)
    assert question is not None and question.status == Status.NY


def test_stang_closes_and_leaves_only_reopen(slack: SlackHarness) -> None:
    ref = slack.ask()
    slack.press("bryggan_stang", ref, "UANNA")
    assert _told(slack)["text"] == f"{ref} är stängd."
    update = slack.stand_in.wait_for("chat.update")[0]
    buttons = [e["action_id"] for e in as_json(update["blocks"])[-1]["elements"]]
    assert buttons == ["bryggan_ateroppna"]
    assert slack.stand_in.wait_for("reactions.add")[0]["name"] == "lock"
    slack.press("bryggan_ateroppna", ref, "ULISA")
    assert _told(slack, 2)["text"] == f"{ref} är återöppnad."


def test_flytta_picks_a_person_in_a_modal_and_hands_over(slack: SlackHarness) -> None:
    ref = slack.ask()
    slack.press("bryggan_flytta", ref, "UANNA")
    view = as_json(slack.stand_in.wait_for("views.open")[0]["view"])
    assert view["callback_id"] == "bryggan_flytta"
    assert view["blocks"][0]["element"]["type"] == "users_select"
    state = {"person": {"person": {"type": "users_select", "selected_user": "UGRETA"}}}
    body = view_submission_body("bryggan_flytta", state, "UANNA", view["private_metadata"])
    assert slack.dispatch(body).body == ""  # closes the modal
    assert _told(slack)["text"] == f"{ref} är flyttad till Greta Lind."
    assert "<@UGRETA>" in card_text(slack.stand_in.wait_for("chat.update")[0])
    slack.flush()
    notices = [c["text"] for c in slack.stand_in.calls("chat.postMessage")]
    assert any(t.startswith(f"Anna Berg har flyttat {ref} till dig") for t in notices)


def test_flytta_to_someone_who_is_not_a_contact_is_a_field_error(slack: SlackHarness) -> None:
    ref = slack.ask()
    metadata = json.dumps({"ref": ref, "channel": "CYSTAD"})
    state = {"person": {"person": {"type": "users_select", "selected_user": "UNILS"}}}
    body = view_submission_body("bryggan_flytta", state, "UANNA", metadata)
    answer = json.loads(slack.dispatch(body).body)
    assert answer == {
        "response_action": "errors",
        "errors": {"person": texts.PERSON_NOT_CONTACT.format(name="Nils Ek")},
    }
    question = slack.question(ref)
    assert question is not None and question.assignee_id is not None
    with slack.bryggan.stores() as store:
        assert store.person(person_id=question.assignee_id).key == "anna"
