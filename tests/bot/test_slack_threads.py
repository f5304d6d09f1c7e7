"""Replies in a card's thread (message events) are answers and follow-ups, exactly once."""

from __future__ import annotations

import logging

import pytest

from handlers.kernel import texts
from handlers.kernel.model import MessageKind, Status
from tests.bot.slack_support import SlackHarness, card_text, wait_for_log
from tests.slack_stand_in import event_callback_body, message_event


def _messages(slack: SlackHarness, ref: str) -> list[tuple[MessageKind, str | None]]:
    with slack.bryggan.stores() as store:
        question = store.question_by_ref(ref=ref)
        assert question is not None
        return [(m.kind, m.text) for m in store.messages(question_id=question.id)]


def _dms(slack: SlackHarness, user: str) -> list[str]:
    return [c["text"] for c in slack.stand_in.calls("chat.postMessage") if c["channel"] == user]


def test_a_contacts_reply_in_the_thread_is_the_answer(slack: SlackHarness) -> None:
    ref = slack.ask()
    response = slack.reply_in_thread(ref, "Nej, SGI påverkas inte.", "UANNA", "Ev1")
    assert response.status == 200
    told = slack.stand_in.wait_for("chat.postEphemeral")[0]
    assert (told["user"], told["text"]) == ("UANNA", f"Ditt svar på {ref} är sparat.")
    assert told["thread_ts"] == slack.location(ref).thread_root
    update = slack.stand_in.wait_for("chat.update")[0]
    assert update["ts"] == slack.location(ref).thread_root
    assert "✅ F-2026-0001 · besvarad" in card_text(update) and "Besvarad 23 nov" in card_text(
        update
    )
    reaction = slack.stand_in.wait_for("reactions.add")[0]
    assert (reaction["name"], reaction["timestamp"]) == ("white_check_mark", update["ts"])
    slack.flush()
    assert _dms(slack, "ULISA") == [
        f"Anna Berg har svarat på din fråga {ref}."
        + texts.HELPED_PROMPT.format(ref=ref).replace("/hjälpte", "/bryggan hjälpte")
    ]
    assert _messages(slack, ref) == [(MessageKind.ANSWER, "Nej, SGI påverkas inte.")]


def test_a_retried_event_is_stored_once(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.slack.events")
    ref = slack.ask()
    assert slack.reply_in_thread(ref, "Svar ett.", "UANNA", "EvSame").status == 200
    slack.stand_in.wait_for("chat.postEphemeral")
    retried = slack.reply_in_thread(ref, "Svar ett.", "UANNA", "EvSame", retry_num=1)
    assert retried.status == 200
    wait_for_log(caplog, "already handled", 1)
    slack.flush()
    assert _messages(slack, ref) == [(MessageKind.ANSWER, "Svar ett.")]
    assert len(slack.stand_in.calls("chat.postEphemeral")) == 1
    assert len(slack.stand_in.calls("chat.update")) == 1
    assert _dms(slack, "ULISA") == [
        f"Anna Berg har svarat på din fråga {ref}."
        + texts.HELPED_PROMPT.format(ref=ref).replace("/hjälpte", "/bryggan hjälpte")
    ]


def test_the_askers_reply_is_a_follow_up_for_the_contact(slack: SlackHarness) -> None:
    ref = slack.ask()
    slack.reply_in_thread(ref, "Gäller det även vid 25 %?", "ULISA", "Ev2")
    told = slack.stand_in.wait_for("chat.postEphemeral")[0]
    assert told["text"] == f"Din följdfråga på {ref} är sparad."
    slack.flush()
    assert _messages(slack, ref) == [(MessageKind.FOLLOW_UP, "Gäller det även vid 25 %?")]
    assert f"Lisa Ek har skrivit en följdfråga på {ref}." in _dms(slack, "UANNA")
    question = slack.question(ref)
    assert question is not None and question.status == Status.NY


def test_an_identity_number_in_the_thread_is_not_stored_and_the_author_is_told(
    slack: SlackHarness,
) -> None:
    ref = slack.ask()
    slack.reply_in_thread(ref, "Gäller 811218-9876.", "UANNA", "Ev3")
    told = slack.stand_in.wait_for("chat.postEphemeral")[0]
    assert told["text"] == (
        "Ditt inlägg i tråden innehåller ett personnummer eller samordningsnummer, så inget är "
        f"sparat. Skriv avidentifierat, t.ex. ”kvinna, 45 år”.\n{texts.SLACK_THREAD_REFUSED}"
    )
    slack.flush()
    assert _messages(slack, ref) == []
    assert slack.stand_in.calls("chat.update") == []


def test_a_too_long_thread_reply_is_not_told_to_edit_out_a_number(slack: SlackHarness) -> None:
    ref = slack.ask()
    slack.reply_in_thread(ref, "Lång text. " * 300, "UANNA", "Ev4")
    told = slack.stand_in.wait_for("chat.postEphemeral")[0]
    assert told["text"] == (
        "Texten är 3300 tecken lång; högst 2000 får plats. Korta ner den och försök igen."
    )
    slack.flush()
    assert _messages(slack, ref) == []


def test_other_messages_are_left_alone(slack: SlackHarness) -> None:
    ref = slack.ask()
    root = slack.location(ref)
    bot = message_event("Svar", "UANNA", root.channel, thread_ts=root.thread_root)
    bot["bot_id"] = "B0OTHER"
    edited = message_event("Svar", "UANNA", root.channel, thread_ts=root.thread_root)
    edited["subtype"] = "message_changed"
    outside = message_event("Hej allihop", "UANNA", root.channel)
    other_thread = message_event("Svar", "UANNA", root.channel, thread_ts="1.000001")
    for number, event in enumerate([bot, edited, outside, other_thread]):
        assert slack.dispatch(event_callback_body(event, f"EvX{number}")).status == 200
    slack.flush()
    assert _messages(slack, ref) == []
    assert slack.stand_in.calls("chat.postEphemeral") == []
    assert slack.stand_in.calls("chat.update") == []


def test_slacks_escaping_is_undone_before_the_text_is_stored(slack: SlackHarness) -> None:
    ref = slack.ask()
    slack.reply_in_thread(ref, "SGI &amp; sjukpenning vid &lt;50 %", "UANNA", "Ev4")
    slack.stand_in.wait_for("chat.postEphemeral")
    assert _messages(slack, ref) == [(MessageKind.ANSWER, "SGI & sjukpenning vid <50 %")]


def test_a_reply_also_sent_to_the_channel_counts_as_the_answer(slack: SlackHarness) -> None:
    ref = slack.ask()
    root = slack.location(ref)
    event = message_event("Ja, det går bra.", "UANNA", root.channel, thread_ts=root.thread_root)
    event["subtype"] = "thread_broadcast"
    assert slack.dispatch(event_callback_body(event, "Ev5")).status == 200
    slack.stand_in.wait_for("chat.postEphemeral")
    assert _messages(slack, ref) == [(MessageKind.ANSWER, "Ja, det går bra.")]
