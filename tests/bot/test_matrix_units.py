"""The Matrix adapter's pure parts, without a homeserver: the `[matrix]` table, the card
and reply contents, and which events are Bryggan's business."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.config import ConfigError, load_config
from bot.matrix.client import Connection
from bot.matrix.config import matrix_settings
from bot.matrix.direct import DirectRooms
from bot.matrix.events import Kind, classify, own_join_index, without_mention
from bot.matrix.messenger import MatrixMessenger, TransactionIds
from bot.matrix.render import (
    card_content,
    edit_content,
    matrix_text,
    reply_content,
    strip_reply_fallback,
    thread_content,
)
from bot.matrix.turns import ReplyTurns
from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.commands.builtin import core_commands
from handlers.delivery.outbox import DeliveryError, OutboxSender
from handlers.kernel.model import ChatLocation, Person, Status
from handlers.kernel.registry import Registry
from handlers.questions.cards import CardView, PersonRef
from tests.support import Clock
from tests.support import test_config as make_config

BOT = "@bryggan:region.se"
ENV = {"MATRIX_PASSWORD": "hemligt"}


def config_with(matrix: str) -> Any:
    return make_config("sqlite://", f"[matrix]\n{matrix}\n")


GOOD = 'homeserver = "https://matrix.region.se/"\nuser_id = "@bryggan:region.se"'


def test_matrix_table_is_parsed_with_defaults_and_secrets_from_the_environment(
    tmp_path: Path,
) -> None:
    settings = matrix_settings(
        config_with(GOOD + '\nallowed_servers = ["region.se"]\nstore_path = "/var/lib/b"'), ENV
    )
    assert settings.homeserver == "https://matrix.region.se"
    assert settings.password == "hemligt" and settings.access_token is None
    assert settings.store_path == Path("/var/lib/b")
    assert settings.encrypt_direct_rooms and settings.timeline_limit == 50
    assert settings.may_invite("@lisa:region.se")
    assert not settings.may_invite("@lisa:evil.example")

    by_id = matrix_settings(config_with(GOOD + '\nallowed_inviters = ["@maria:other.se"]'), ENV)
    assert by_id.may_invite("@maria:other.se") and not by_id.may_invite("@anna:other.se")

    token = matrix_settings(
        config_with(GOOD + '\naccess_token_env = "BOT_TOKEN"'), {"BOT_TOKEN": "syt_x"}
    )
    assert token.access_token == "syt_x" and token.password is None


@pytest.mark.parametrize(
    ("table", "env", "named"),
    [
        ('user_id = "@b:x.se"', ENV, "homeserver"),
        ('homeserver = "matrix.x.se"\nuser_id = "@b:x.se"', ENV, "homeserver"),
        ('homeserver = "https://x.se"\nuser_id = "bryggan"', ENV, "user_id"),
        (GOOD, {}, "MATRIX_PASSWORD"),
        (GOOD + '\nallowed_inviters = ["maria"]', ENV, "allowed_inviters"),
        (GOOD + '\nallowed_servers = ["@x.se"]', ENV, "allowed_servers"),
        (GOOD + "\ntimeline_limit = 0", ENV, "timeline_limit"),
        (GOOD + '\nencrypt_direct_rooms = "ja"', ENV, "encrypt_direct_rooms"),
        (GOOD + '\nhomserver = "https://x.se"', ENV, "homserver"),
    ],
)
def test_a_bad_matrix_table_is_an_error_naming_the_key(
    table: str, env: dict[str, str], named: str
) -> None:
    with pytest.raises(ConfigError, match=named) as error:
        matrix_settings(config_with(table), env)
    assert "test-config: [matrix]" in str(error.value)


REGISTRY = core_commands(max_text=2000)


def card(**changes: Any) -> CardView:
    values: dict[str, Any] = {
        "ref": "F-2026-0007",
        "status": Status.NY,
        "status_label": "ny",
        "status_emoji": "🆕",
        "unit": "Vuxenpsykiatri <Malmö>",
        "category": "SGI & förmåner",
        "direction": "vård → FK",
        "consent": "avidentifierad",
        "deadline": "15 dec 2026",
        "asker": PersonRef(1, "Doktor Dahl", "@dahl:region.se"),
        "assignee": PersonRef(2, "Karin <b>Kontakt</b>", "@karin:region.se"),
        "route": "",
        "text": "Rad ett\n<script>alert(1)</script>",
        "times": (("Ställd", "23 nov 2026 09:00"),),
    }
    values.update(changes)
    return CardView(**values)


def test_the_card_is_escaped_html_with_a_pill_for_the_assignee() -> None:
    content = card_content(card(), REGISTRY)
    html = content["formatted_body"]
    assert content["msgtype"] == "m.text" and content["format"] == "org.matrix.custom.html"
    assert '<a href="https://matrix.to/#/@karin:region.se">Karin &lt;b&gt;Kontakt' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Rad ett<br>" in html and "Vuxenpsykiatri &lt;Malmö&gt;" in html
    assert content["m.mentions"] == {"user_ids": ["@karin:region.se"]}
    assert "Frist: 15 dec 2026" in content["body"]
    assert "Svara i tråden. Kontaktpersonen tar frågan med !ta F-2026-0007." in content["body"]

    unassigned = card_content(card(assignee=None, deadline=None), REGISTRY)
    assert unassigned["m.mentions"] == {"user_ids": []}
    assert "ingen (otilldelad)" in unassigned["formatted_body"]
    assert "Frist" not in unassigned["body"]


def test_an_edit_replaces_the_card_without_pinging_anyone() -> None:
    closed = card(status=Status.STANGD, status_label="stängd", status_emoji="🔒")
    edit = edit_content("$card", closed, REGISTRY)
    assert edit["m.relates_to"] == {"rel_type": "m.replace", "event_id": "$card"}
    assert edit["m.mentions"] == {}
    assert edit["body"].startswith("* 🔒 F-2026-0007 · stängd")
    assert edit["m.new_content"]["body"].startswith("🔒 F-2026-0007")
    assert "Svara i tråden" not in edit["m.new_content"]["body"]


def test_replies_and_thread_posts_relate_to_the_right_events() -> None:
    text = matrix_text("Du har tagit F-1. Svara med /svara F-1 <text>.", REGISTRY)
    plain = reply_content("$cmd", text)
    assert plain["m.relates_to"] == {"m.in_reply_to": {"event_id": "$cmd"}}
    assert plain["body"] == "Du har tagit F-1. Svara med !svara F-1 <text>."
    threaded = reply_content("$cmd", "x", thread_root="$card")
    assert threaded["m.relates_to"]["rel_type"] == "m.thread"
    assert threaded["m.relates_to"]["is_falling_back"] is False
    post = thread_content("$card", "Svar från Anna")
    assert post["m.relates_to"]["event_id"] == "$card" and post["msgtype"] == "m.notice"


@pytest.mark.parametrize(
    ("core", "matrix"),
    [
        ("Skriv /hjälp eller /fråga.", "Skriv !hjälp eller !fråga."),
        ("(/frågor)", "(!frågor)"),
        ("riktning vård/fk den 15/12", "riktning vård/fk den 15/12"),
        ("se https://example.org/väg", "se https://example.org/väg"),
        ("/hjalp och /okänt", "!hjalp och /okänt"),
    ],
)
def test_core_texts_name_the_commands_as_typed_in_matrix(core: str, matrix: str) -> None:
    assert matrix_text(core, REGISTRY) == matrix


def message(body: str, **content: Any) -> dict[str, Any]:
    return {
        "type": "m.room.message",
        "sender": "@lisa:region.se",
        "event_id": "$ev",
        "content": {"msgtype": "m.text", "body": body, **content},
    }


def test_commands_thread_answers_and_replies_are_told_apart() -> None:
    command = classify(message("  !frågor "), "!r", bot_user_id=BOT)
    assert command is not None and (command.kind, command.text) == (Kind.COMMAND, "!frågor")

    thread = {"rel_type": "m.thread", "event_id": "$card", "m.in_reply_to": {"event_id": "$x"}}
    answer = classify(message("Ja.", **{"m.relates_to": thread}), "!r", bot_user_id=BOT)
    assert answer is not None and answer.kind is Kind.THREAD
    assert (answer.thread_root, answer.in_thread) == ("$card", True)

    quoted = "> <@bryggan:region.se> 🆕 F-2026-0001\n> Fråga\n\nNej, det påverkas inte."
    reply = {"m.in_reply_to": {"event_id": "$card"}}
    answered = classify(message(quoted, **{"m.relates_to": reply}), "!r", bot_user_id=BOT)
    assert answered is not None and answered.text == "Nej, det påverkas inte."
    assert (answered.thread_root, answered.in_thread) == ("$card", False)


@pytest.mark.parametrize(
    "event",
    [
        message("Hej allihop"),  # chat outside a thread
        {**message("!frågor"), "sender": BOT},  # the bot itself
        message("!frågor", msgtype="m.notice"),  # another bot
        message("* !frågor", **{"m.relates_to": {"rel_type": "m.replace", "event_id": "$a"}}),
        {**message("!frågor"), "type": "m.room.encrypted"},
        {"type": "m.room.message", "sender": "@x:y", "event_id": "$e", "content": "trasig"},
    ],
)
def test_what_is_none_of_bryggans_business(event: dict[str, Any]) -> None:
    assert classify(event, "!r", bot_user_id=BOT, bot_names=["Bryggan"]) is None


@pytest.mark.parametrize(
    "typed", ["Bryggan: !frågor", "bryggan !frågor", "@bryggan:region.se: !frågor", "!frågor"]
)
def test_a_mention_of_the_bot_before_the_command_is_dropped(typed: str) -> None:
    assert without_mention(typed, [BOT, "Bryggan"]) == "!frågor"


def test_events_before_the_bots_own_join_are_history() -> None:
    join = {"type": "m.room.member", "state_key": BOT, "content": {"membership": "join"}}
    rename = {
        **join,
        "content": {"membership": "join", "displayname": "Bryggan"},
        "unsigned": {"prev_content": {"membership": "join"}},
    }
    events = [message("!gammalt"), join, message("!nytt"), rename, message("!ännu nyare")]
    assert own_join_index(events, BOT) == 1, "a later name change is not a join"
    assert own_join_index([message("!x")], BOT) == -1


@given(st.text(max_size=200))
def test_stripping_a_reply_fallback_never_grows_the_text(body: str) -> None:
    stripped = strip_reply_fallback(body)
    assert len(stripped) <= len(body)
    if not body.startswith(">"):
        assert stripped == body


def test_transaction_ids_are_stable_per_delivery_and_differ_between_databases() -> None:
    one, other = TransactionIds("salt-a"), TransactionIds("salt-b")
    assert one.make("outbox-7", "card") == one.make("outbox-7", "card")
    assert one.make("outbox-7", "card") != one.make("outbox-7", "edit")
    assert one.make("outbox-7", "card") != other.make("outbox-7", "card")
    assert len(one.make("x")) <= 64 and one.make("x").isalnum()


def test_the_example_configs_matrix_table_is_valid_once_enabled() -> None:
    example = load_config(None)
    assert not example.enabled("matrix")
    settings = matrix_settings(example, ENV)
    assert settings.user_id == "@bryggan:example.org"
    assert settings.may_invite("@lisa:example.org")
    assert settings.store_path.name == "matrix-store"


class KeyRecorder:
    """A messenger that notes the delivery key of each post; fails its first card."""

    platform = "matrix"

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []
        self.card_failures = 1

    def post_card(self, *, channel: str, card: CardView, key: str) -> ChatLocation:
        self.seen.append(("card", key))
        if self.card_failures:
            self.card_failures -= 1
            raise DeliveryError("lost response")
        return ChatLocation("matrix", "!room:x", "$card")

    def update_card(self, *, location: ChatLocation, card: CardView, key: str) -> None:
        self.seen.append(("update", key))

    def post_in_thread(self, *, location: ChatLocation, text: str, key: str) -> None:
        self.seen.append(("thread", key))

    def notify(self, *, person: Person, identity: str | None, text: str, key: str) -> None:
        self.seen.append(("notice", key))

    def post_message(self, *, channel: str, text: str, attachment: str | None, key: str) -> None:
        self.seen.append(("message", key))


def test_every_post_is_named_after_its_outbox_entry_so_a_retry_reuses_its_transaction(
    app: Bryggan, clock: Clock
) -> None:
    recorder = KeyRecorder()
    sender = OutboxSender(app.core.stores, recorder, app.core.clock)
    asked = app.core.handle(Request("matrix", "@lisa:localhost", "!fråga kategori:sgi Nyckel?"))
    assert asked is not None and asked.accepted
    assert sender.drain() == 1  # the card failed, the notice went out
    clock.advance(minutes=1)
    assert sender.drain() == 1  # the card's retry
    assert [kind for kind, _ in recorder.seen] == ["card", "notice", "card"]
    (_, card_key), (_, notice_key), (_, retry_key) = recorder.seen
    assert card_key.startswith("outbox-") and notice_key.startswith("outbox-")
    assert retry_key == card_key != notice_key


class SentEvents:
    """Stands in for the bot's connection: records each event's transaction id."""

    def __init__(self) -> None:
        self.txn_ids: list[tuple[str, str]] = []

    async def send(
        self, room_id: str, event_type: str, content: dict[str, Any], txn_id: str
    ) -> str:
        self.txn_ids.append((event_type, txn_id))
        return f"$event-{len(self.txn_ids)}"


def test_the_matrix_messenger_derives_its_transaction_ids_from_the_delivery_key() -> None:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    sent = SentEvents()
    messenger = MatrixMessenger(
        loop,
        cast(Connection, sent),
        cast(DirectRooms, None),
        TransactionIds("salt"),
        registry=Registry(),
        turns=ReplyTurns(),
    )
    try:
        for key in ["outbox-7", "outbox-7", "outbox-8"]:
            messenger.post_card(channel="!room:x", card=card(), key=key)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
    first, retry, other = (sent.txn_ids[n : n + 2] for n in (0, 2, 4))
    assert [kind for kind, _ in first] == ["m.room.message", "m.reaction"]
    assert first == retry, "a retried card must repeat its transactions"
    assert {txn for _, txn in first}.isdisjoint(txn for _, txn in other)
