"""`/fraga <one-liner>` and `/bryggan <command>`: acked with the core's reply, cards after."""

from __future__ import annotations

from bot.slack.replies import slack_invocation
from handlers.commands.builtin import core_commands
from handlers.kernel import texts
from handlers.kernel.context import Reply
from handlers.kernel.registry import extension
from tests.bot.slack_support import CHANNEL, SlackHarness, ack_text, card_text


def test_one_liner_is_registered_in_the_ack_and_posted_in_the_units_channel(
    slack: SlackHarness,
) -> None:
    reply = ack_text(slack.command("enhet:ystad kategori:sgi Hur påverkas SGI &amp; AE vid 50 %?"))
    assert reply.startswith("Tack! Din fråga F-2026-0001 är registrerad. Till Anna Berg")
    card = slack.card("F-2026-0001")
    assert slack.location("F-2026-0001").channel == CHANNEL
    assert "Hur påverkas SGI &amp; AE vid 50 %?" in card_text(card)  # "&" once, as typed
    question = slack.question("F-2026-0001")
    assert question is not None and question.text == "Hur påverkas SGI & AE vid 50 %?"
    assert card["text"] == "🆕 F-2026-0001 · ny · SGI och övriga förmåner"
    notices = [c for c in slack.stand_in.wait_for("chat.postMessage", 2) if c["channel"] == "UANNA"]
    assert "Ny fråga till dig: F-2026-0001" in notices[0]["text"]


def test_one_liner_with_an_identity_number_is_refused_and_nothing_posted(
    slack: SlackHarness,
) -> None:
    reply = ack_text(slack.command("kategori:sgi Gäller 811218-9876, vad gäller?"))
    assert reply == texts.IDENTITY_NUMBER.format(place=texts.IDENTITY_PLACES["question"])
    slack.flush()
    assert slack.stand_in.calls("chat.postMessage") == []
    assert slack.question("F-2026-0001") is None


def test_one_liner_with_a_missing_field_lists_the_choices(slack: SlackHarness) -> None:
    reply = ack_text(slack.command("Hur påverkas SGI?"))
    assert "Ange kategori med kategori:…" in reply and "sgi_formaner" in reply
    assert slack.question("F-2026-0001") is None


def test_bryggan_alone_is_slack_help_with_commands_a_slack_user_can_type(
    slack: SlackHarness,
) -> None:
    shown = ack_text(slack.command("", command="/bryggan"))
    assert "/fraga – öppnar formuläret" in shown
    assert "/bryggan ta F-… – ta en fråga" in shown
    assert "/bryggan svara F-… &lt;text&gt;" in shown  # escaped, shown as <text>
    assert "/ta " not in shown.replace("/bryggan ta", "")
    assert ack_text(slack.command("hjälp", command="/bryggan")) == shown


def test_bryggan_runs_the_core_commands_with_slack_hints(slack: SlackHarness) -> None:
    ref = slack.ask()
    mine = ack_text(slack.command("frågor", command="/bryggan"))
    assert mine.startswith(texts.MY_QUESTIONS) and ref in mine
    claimed = ack_text(slack.command(f"ta {ref}", "UANNA", command="/bryggan"))
    assert (
        claimed
        == f"Du har tagit {ref}. Svara i tråden eller med /bryggan svara {ref} &lt;text&gt;."
    )
    update = slack.stand_in.wait_for("chat.update")[0]
    assert "👀 F-2026-0001 · tagen" in card_text(update)


def test_an_answer_by_command_is_posted_in_the_cards_thread(slack: SlackHarness) -> None:
    ref = slack.ask()
    reply = ack_text(
        slack.command(
            f"svara {ref} Nej, <!channel> SGI påverkas inte.", "UANNA", command="/bryggan"
        )
    )
    assert reply == f"Ditt svar på {ref} är sparat."
    location = slack.location(ref)
    thread = [c for c in slack.stand_in.wait_for("chat.postMessage", 4) if c.get("thread_ts")]
    assert thread[0]["channel"] == CHANNEL and thread[0]["thread_ts"] == location.thread_root
    assert thread[0]["text"] == "Svar från Anna Berg:\nNej, &lt;!channel&gt; SGI påverkas inte."
    assert slack.stand_in.wait_for("reactions.add")[0]["name"] == "white_check_mark"


def test_hints_are_rewritten_only_for_command_words() -> None:
    text = "Skriv /ta F-1, /fråga …, /puls eller /frånvaro; vård/FK och https://x.se/ta står kvar."
    registry = core_commands(max_text=2000)
    registry.register(extension("puls", lambda ctx, arguments: Reply(""), summary="pulsmöten"))
    assert registry.render_hints(text, slack_invocation) == (
        "Skriv /bryggan ta F-1, /fraga …, /bryggan puls eller /bryggan frånvaro; "
        "vård/FK och https://x.se/ta står kvar."
    )


def test_bryggan_fraga_is_the_same_as_fraga(slack: SlackHarness) -> None:
    assert slack.command("fråga", command="/bryggan").body == ""
    assert slack.stand_in.wait_for("views.open")[0]["trigger_id"]
    reply = ack_text(slack.command("fråga kategori:sgi Fråga: gäller det AE?", command="/bryggan"))
    assert reply.startswith("Tack! Din fråga F-2026-0001 är registrerad.")
    question = slack.question("F-2026-0001")
    assert question is not None and question.text == "Fråga: gäller det AE?"
