"""The contact's working day in Slack (#12), through signed requests to the Slack stand-in:
the answered card asks "Löste svaret din fråga?" with Ja/Nej, a follow-up in the thread
brings the question back to the contact, a taken card can be released, `/bryggan frågor`
filters, and a press by someone who may not changes nothing.

Ystad: Anna is the vård → FK contact, Berit and Greta her backups; Lisa and Nils ask.
"""

from __future__ import annotations

from typing import Any

from handlers.kernel import texts
from handlers.kernel.model import Status
from tests.bot.slack_support import SlackHarness, ack_text, as_json, card_text


def _dms(slack: SlackHarness, user: str) -> list[str]:
    return [c["text"] for c in slack.stand_in.calls("chat.postMessage") if c["channel"] == user]


def _last_card(slack: SlackHarness) -> dict[str, Any]:
    return slack.stand_in.calls("chat.update")[-1]


def _actions(message: dict[str, Any]) -> list[str]:
    blocks = as_json(message["blocks"])
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def _state(slack: SlackHarness, ref: str) -> tuple[Status, int | None]:
    question = slack.question(ref)
    assert question is not None
    return question.status, question.assignee_id


def _answered(slack: SlackHarness, text: str = "Nej, SGI påverkas inte.") -> str:
    ref = slack.ask()
    assert slack.reply_in_thread(ref, text, "UANNA", "EvAnswer").status == 200
    slack.stand_in.wait_for("chat.update")
    slack.flush()
    return ref


def test_the_answered_card_asks_the_asker_whether_it_helped(slack: SlackHarness) -> None:
    ref = _answered(slack)
    card = _last_card(slack)
    assert "Löste svaret din fråga?" in card_text(card)
    assert {"bryggan_hjalpte_ja", "bryggan_hjalpte_nej"} <= set(_actions(card))
    assert as_json(card["blocks"])[-1]["block_id"] == "bryggan_card"  # the card's own last
    assert "bryggan_ateroppna" in _actions(card)  # the old action ids stay

    slack.press("bryggan_hjalpte_nej", ref, "ULISA")
    told = slack.stand_in.wait_for("chat.postEphemeral", 2)[-1]
    assert (told["user"], told["text"]) == (
        "ULISA",
        texts.HELPED_NO.format(ref=ref, name="Anna Berg"),
    )
    assert _state(slack, ref)[0] == Status.TAGEN
    slack.flush()
    assert texts.NOTICE_HELPED_NO.format(by="Lisa Ek", ref=ref) in _dms(slack, "UANNA")
    assert "väntar på svar igen" in card_text(_last_card(slack))

    slack.reply_in_thread(ref, "Inte heller vid 25 %.", "UANNA", "EvAgain")
    slack.stand_in.wait_for("chat.update", 3)
    slack.press("bryggan_hjalpte_ja", ref, "ULISA")
    slack.stand_in.wait_for("chat.postEphemeral", 4)
    assert _state(slack, ref)[0] == Status.STANGD
    slack.flush()
    closed = card_text(_last_card(slack))
    assert "🔒" in closed and "av Lisa Ek" in closed
    assert "bryggan_hjalpte_ja" not in _actions(_last_card(slack))


def test_a_verdict_pressed_by_someone_else_changes_nothing(slack: SlackHarness) -> None:
    ref = _answered(slack)
    before = _state(slack, ref)
    updates = len(slack.stand_in.calls("chat.update"))
    slack.press("bryggan_hjalpte_ja", ref, "UANNA")
    slack.press("bryggan_hjalpte_ja", ref, "UNILS")
    slack.stand_in.wait_for("chat.postEphemeral", 3)
    assert slack.stand_in.ephemerals_seen("UANNA")[-1] == texts.HELPED_WHO.format(ref=ref)
    assert slack.stand_in.ephemerals_seen("UNILS") == [
        texts.REF_UNKNOWN.format(ref=ref).replace("/frågor", "/bryggan frågor")
    ]
    slack.flush()
    assert _state(slack, ref) == before
    assert len(slack.stand_in.calls("chat.update")) == updates


def test_a_follow_up_in_the_thread_brings_the_question_back_to_the_contact(
    slack: SlackHarness,
) -> None:
    ref = _answered(slack)
    before = len(_dms(slack, "UANNA"))
    assert slack.reply_in_thread(ref, "Och vid 25 %?", "ULISA", "EvFollow").status == 200
    slack.stand_in.wait_for("chat.update", 2)
    slack.flush()
    assert _state(slack, ref)[0] == Status.TAGEN
    assert _dms(slack, "UANNA")[before:] == [
        texts.NOTICE_FOLLOW_UP_BACK.format(by="Lisa Ek", ref=ref)
    ]
    listed = ack_text(slack.command("frågor", "UANNA", command="/bryggan"))
    assert f"{ref} · väntar på svar igen" in listed


def test_släpp_on_a_taken_card_hands_it_to_the_backup(slack: SlackHarness) -> None:
    ref = slack.ask()
    slack.press("bryggan_ta", ref, "UANNA")
    slack.stand_in.wait_for("chat.update")
    assert "bryggan_slapp" in _actions(_last_card(slack))
    slack.press("bryggan_slapp", ref, "UANNA")
    told = slack.stand_in.wait_for("chat.postEphemeral", 2)[-1]
    assert told["text"].startswith(f"Du har släppt {ref}. Till Berit Ås")
    status, assignee = _state(slack, ref)
    assert status == Status.NY and assignee is not None
    slack.flush()
    assert "🆕" in card_text(_last_card(slack))


def test_bryggan_frågor_filters_for_a_contact(slack: SlackHarness) -> None:
    ref = slack.ask()
    slack.press("bryggan_stang", ref, "UANNA")
    slack.stand_in.wait_for("chat.postEphemeral")
    closed = ack_text(slack.command("frågor stängda", "UANNA", command="/bryggan"))
    assert closed.splitlines()[0] == "Stängda frågor (1):" and ref in closed
    refused = ack_text(slack.command("frågor otilldelade", "ULISA", command="/bryggan"))
    assert refused == texts.QUESTIONS_FILTER_CONTACTS.format(word="otilldelade").replace(
        "/frågor", "/bryggan frågor"
    )
