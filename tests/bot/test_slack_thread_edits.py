"""A thread reply edited or deleted in Slack: Bryggan follows, so what it stored is what the
thread shows."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from handlers.commands import Request
from handlers.kernel import texts
from handlers.kernel.model import MessageKind, Status
from tests.bot.slack_support import SlackHarness, wait_for_log
from tests.slack_stand_in import event_callback_body, message_event

NUMBER = "19121212-1212"


def _messages(slack: SlackHarness, ref: str) -> list[tuple[MessageKind, str | None]]:
    with slack.bryggan.stores() as store:
        question = store.question_by_ref(ref=ref)
        assert question is not None
        return [(m.kind, m.text) for m in store.messages(question_id=question.id)]


def _reply(slack: SlackHarness, ref: str, text: str, ts: str, event_id: str) -> None:
    root = slack.location(ref)
    event = message_event(text, "UANNA", root.channel, ts=ts, thread_ts=root.thread_root)
    assert slack.dispatch(event_callback_body(event, event_id)).status == 200


def _edit(slack: SlackHarness, ref: str, text: str, ts: str, event_id: str) -> None:
    root = slack.location(ref)
    edited = message_event(text, "UANNA", root.channel, ts=ts, thread_ts=root.thread_root)
    edited["edited"] = {"user": "UANNA", "ts": f"{float(ts) + 30:.6f}"}
    event: dict[str, Any] = {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": root.channel,
        "message": edited,
        "ts": f"{float(ts) + 30:.6f}",
    }
    assert slack.dispatch(event_callback_body(event, event_id)).status == 200


def _delete(slack: SlackHarness, ref: str, ts: str, event_id: str) -> None:
    root = slack.location(ref)
    previous = message_event("…", "UANNA", root.channel, ts=ts, thread_ts=root.thread_root)
    event: dict[str, Any] = {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "channel": root.channel,
        "deleted_ts": ts,
        "previous_message": previous,
        "ts": f"{float(ts) + 60:.6f}",
    }
    assert slack.dispatch(event_callback_body(event, event_id)).status == 200


def _show(slack: SlackHarness, ref: str) -> str:
    reply = slack.bryggan.core.handle(Request("slack", "UANNA", f"/visa {ref}"))
    assert reply is not None
    return reply.text


def test_an_answer_refused_for_an_identity_number_counts_once_the_number_is_edited_out(
    slack: SlackHarness,
) -> None:
    ref = slack.ask()
    _reply(slack, ref, f"Gäller {NUMBER}: nej, SGI påverkas inte.", "1764000000.000100", "Ev1")
    slack.stand_in.wait_for("chat.postEphemeral")
    assert _messages(slack, ref) == []
    _edit(slack, ref, "Nej, SGI påverkas inte.", "1764000000.000100", "Ev2")
    _edit(slack, ref, "Nej, SGI påverkas inte.", "1764000000.000100", "Ev2")  # redelivered
    told = [t["text"] for t in slack.stand_in.wait_for("chat.postEphemeral", 2)]
    assert f"Ditt svar på {ref} är sparat." in told
    assert _messages(slack, ref) == [(MessageKind.ANSWER, "Nej, SGI påverkas inte.")]
    question = slack.question(ref)
    assert question is not None and question.status == Status.BESVARAD


def test_an_edit_of_a_stored_answer_updates_it(slack: SlackHarness) -> None:
    ref = slack.ask()
    _reply(slack, ref, "Nej, SGI påverkas inte.", "1764000000.000200", "Ev1")
    slack.stand_in.wait_for("chat.postEphemeral")  # stored before it is edited
    _edit(slack, ref, "Nej, SGI påverkas inte vid deltid.", "1764000000.000200", "Ev2")
    told = [t["text"] for t in slack.stand_in.wait_for("chat.postEphemeral", 2)]
    assert texts.ANSWER_EDITED.format(ref=ref) in told
    assert _messages(slack, ref) == [(MessageKind.ANSWER, "Nej, SGI påverkas inte vid deltid.")]
    _edit(slack, ref, f"Nej, gäller {NUMBER}.", "1764000000.000200", "Ev3")  # refused, kept
    assert _messages(slack, ref) == [(MessageKind.ANSWER, "Nej, SGI påverkas inte vid deltid.")]


def test_an_edit_that_overtakes_its_message_is_stored_once_with_the_edited_text(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.slack.events")
    ref = slack.ask()
    _edit(slack, ref, "Nej, inte vid deltid.", "1764000000.000400", "Ev2")
    slack.stand_in.wait_for("chat.postEphemeral")  # the edit, taken as the answer
    _reply(slack, ref, "Nej.", "1764000000.000400", "Ev1")  # the original, delivered late
    wait_for_log(caplog, "nothing to answer")
    assert _messages(slack, ref) == [(MessageKind.ANSWER, "Nej, inte vid deltid.")]


def test_a_deleted_answer_is_marked_deleted_and_the_card_redrawn(slack: SlackHarness) -> None:
    ref = slack.ask()
    _reply(slack, ref, "Nej, SGI påverkas inte.", "1764000000.000300", "Ev1")
    slack.stand_in.wait_for("chat.update")
    slack.flush()
    _delete(slack, ref, "1764000000.000300", "Ev2")
    slack.stand_in.wait_for("chat.update", 2)  # the card drawn again
    assert _messages(slack, ref) == [(MessageKind.ANSWER, None)]
    assert "Svar från Anna Berg" in _show(slack, ref)
    assert texts.MESSAGE_DELETED in _show(slack, ref)
    assert "SGI påverkas inte" not in _show(slack, ref)
