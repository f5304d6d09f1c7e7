"""The question flow in an Element room, against a real Synapse: what people see.

The bot is the real Matrix adapter in process; the doctor and the contact are nio clients.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from handlers.kernel import texts
from handlers.kernel.model import Status
from handlers.knowledge import KnowledgeEntry, knowledge_store
from tests.bot.matrix_people import body_of, bot_joined, create_room, first, participant
from tests.bot.matrix_world import unit_room
from tests.matrix_homeserver import SynapseHomeserver
from tests.support import Clock

REF = "F-2026-0001"
QUESTION = "Hur påverkas SGI om patienten går ner till 50 %?"
ANSWER = "Ingen påverkan så länge sjukskrivningen är på deltid."
REFUSED = texts.IDENTITY_NUMBER.format(place=texts.IDENTITY_PLACES["question"])


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: nothing here depends on the database, and the suite stays quick. The
    tests whose point is the database (restart, the key that comes late) run on both."""
    return f"sqlite:///{tmp_path / 'bryggan.sqlite3'}"


def test_ask_claim_answer_in_thread_and_close_with_the_card_edited(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as s:
            doctor, contact, room, bot = s.doctor, s.contact, s.room, s.bot_id
            ask = await doctor.say(room, f"!fråga kategori:sgi frist:15/12 {QUESTION}")
            reply = await doctor.until(lambda: first(doctor.replies_to(room, ask)), "a reply")
            assert reply.sender == bot
            assert reply.source["content"]["msgtype"] == "m.notice"
            assert reply.body.startswith(f"Tack! Din fråga {REF} är registrerad. Till Karin")

            card = await doctor.until(lambda: first(doctor.cards(room, bot)), "the card")
            content = card.source["content"]
            for shown in (
                f"🆕 {REF} · ny · Vuxenpsykiatri Malmö",
                "Kategori: SGI och övriga förmåner · Riktning: vård → FK · avidentifierad",
                "Från: Doktor Dahl · Handläggs av: Karin Kontakt",
                "Frist: 15 dec 2026",
                QUESTION,
            ):
                assert shown in content["body"], content["body"]
            pill = f'<a href="https://matrix.to/#/{contact.user_id}">Karin Kontakt</a>'
            assert pill in content["formatted_body"]
            assert content["m.mentions"] == {"user_ids": [contact.user_id]}
            await doctor.until(
                lambda: doctor.reactions(room, card.event_id, bot) == {"🆕"}, "🆕 on the card"
            )

            # The contact is told in a direct room the bot opens.
            direct = await contact.until(lambda: first(contact.invites), "a direct-room invite")
            await contact.join(direct)
            await contact.until(
                lambda: first(
                    b for b in contact.bodies(direct, bot) if f"Ny fråga till dig: {REF}" in b
                ),
                "the notice about the new question",
            )

            claim = await contact.say(room, f"!ta {REF}")
            claimed = await contact.until(lambda: first(contact.replies_to(room, claim)), "!ta")
            assert claimed.body == (
                f"Du har tagit {REF}. Svara i tråden eller med !svara {REF} <text>."
            )
            await doctor.until(
                lambda: (
                    "· tagen ·" in body_of(doctor.card_now(room, card.event_id))
                    and doctor.reactions(room, card.event_id, bot) == {"👀"}
                ),
                "the card edited to tagen with 👀",
            )

            answer = await contact.say(room, ANSWER, thread_root=card.event_id)
            await contact.until(
                lambda: contact.reactions(room, answer, bot) == {texts.MATRIX_SAVED_REACTION},
                "✅ on the answer",
            )
            await doctor.until(
                lambda: (
                    "· besvarad ·" in body_of(doctor.card_now(room, card.event_id))
                    and doctor.reactions(room, card.event_id, bot) == {"✅"}
                ),
                "the card edited to besvarad",
            )
            assert not contact.replies_to(room, answer), "an accepted answer gets no chatter"

            close = await contact.say(room, "!stäng", thread_root=card.event_id)
            closed = await contact.until(lambda: first(contact.replies_to(room, close)), "!stäng")
            assert closed.body == f"{REF} är stängd."
            relation = closed.source["content"]["m.relates_to"]
            assert (relation["rel_type"], relation["event_id"]) == ("m.thread", card.event_id)
            await doctor.until(
                lambda: (
                    "· stängd ·" in body_of(doctor.card_now(room, card.event_id))
                    and doctor.reactions(room, card.event_id, bot) == {"🔒"}
                ),
                "the card edited to stängd with 🔒 only",
            )
            assert len(doctor.cards(room, bot)) == 1
            with s.app.stores() as store:
                question = store.question_by_ref(ref=REF)
                assert question is not None and question.status == Status.STANGD
                assert [m.text for m in store.messages(question_id=question.id)] == [ANSWER]

    asyncio.run(scenario())


def test_bare_fraga_gets_the_guide_and_the_one_liner_is_forgiving(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as s:
            doctor, room = s.doctor, s.room
            bare = await doctor.say(room, "!fraga")
            guide = await doctor.until(lambda: first(doctor.replies_to(room, bare)), "a guide")
            assert guide.body.startswith("Så ställer du en fråga")
            assert "malmo" in guide.body
            assert "(i det här rummet: Vuxenpsykiatri Malmö)" in guide.body
            assert "(för dig: vård → FK)" in guide.body and "sgi_formaner" in guide.body

            mentioned = await doctor.say(room, "Bryggan: !FRÅGA kat:sgi Gäller karensdag vid 25 %?")
            asked = await doctor.until(lambda: first(doctor.replies_to(room, mentioned)), "asked")
            assert asked.body.startswith(f"Tack! Din fråga {REF} är registrerad.")

            mine = await doctor.say(room, "!fragor")
            listed = await doctor.until(lambda: first(doctor.replies_to(room, mine)), "a list")
            assert REF in listed.body

            typo = await doctor.say(room, "!fråga kategori:sgii Något?")
            refused = await doctor.until(lambda: first(doctor.replies_to(room, typo)), "typo")
            assert "är ingen kategori jag känner till" in refused.body

    asyncio.run(scenario())


def test_only_the_contact_may_claim_and_a_plain_reply_to_the_card_is_an_answer(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as s:
            doctor, contact, room, bot = s.doctor, s.contact, s.room, s.bot_id
            await doctor.say(room, f"!fråga kategori:sgi {QUESTION}")
            card = await doctor.until(lambda: first(doctor.cards(room, bot)), "the card")

            grab = await doctor.say(room, f"!ta {REF}")
            refused = await doctor.until(lambda: first(doctor.replies_to(room, grab)), "refusal")
            assert refused.body == texts.NOT_ALLOWED.format(
                who=texts.NOT_ALLOWED_WHO["handle"], ref=REF
            )

            answer = await contact.say(room, ANSWER, reply_to=card.event_id)
            await contact.until(
                lambda: contact.reactions(room, answer, bot) == {texts.MATRIX_SAVED_REACTION},
                "✅ on the reply",
            )
            await doctor.until(
                lambda: "· besvarad ·" in body_of(doctor.card_now(room, card.event_id)),
                "the card edited to besvarad",
            )
            with s.app.stores() as store:
                question = store.question_by_ref(ref=REF)
                assert question is not None and question.assignee_id is not None
                # The quoted fallback Element adds to replies is not part of the answer.
                assert [m.text for m in store.messages(question_id=question.id)] == [ANSWER]
                assert store.person(person_id=question.assignee_id).key == "kontakt"

    asyncio.run(scenario())


def test_identity_numbers_are_refused_and_redacted_where_the_bot_has_the_power(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    number = "19121212-1212"

    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock, bot_power=50) as s:
            doctor, contact, room, bot = s.doctor, s.contact, s.room, s.bot_id
            leak = await doctor.say(room, f"!fråga kategori:sgi Patient {number} undrar om SGI")
            refusal = await doctor.until(lambda: first(doctor.replies_to(room, leak)), "refusal")
            assert refusal.body == f"{REFUSED}\n\n{texts.MATRIX_REDACTED}"
            await doctor.until(lambda: doctor.redacted(room, leak), "the message redacted")

            await doctor.say(room, f"!fråga kategori:sgi {QUESTION}")
            card = await doctor.until(lambda: first(doctor.cards(room, bot)), "the card")
            slip = await contact.say(room, f"Gäller {number}", thread_root=card.event_id)
            in_thread = await contact.until(lambda: first(contact.replies_to(room, slip)), "no")
            assert in_thread.source["content"]["m.relates_to"]["event_id"] == card.event_id
            await contact.until(lambda: contact.redacted(room, slip), "the answer redacted")

            # A room where the bot has no power: refused, and the writer is asked to remove it.
            other = await create_room(doctor, [bot])
            await bot_joined(doctor, other, bot)
            leak2 = await doctor.say(other, f"!fråga enhet:malmo kategori:sgi {number} undrar")
            told = await doctor.until(lambda: first(doctor.replies_to(other, leak2)), "refusal")
            assert told.body == f"{REFUSED}\n\n{texts.MATRIX_NOT_REDACTED}"
            assert not doctor.redacted(other, leak2)

            every_bot_text = [str(e.source) for r in (room, other) for e in doctor.events(r, bot)]
            assert not any(number in text for text in every_bot_text)
            with s.app.stores() as store:
                question = store.question_by_ref(ref=REF)
                assert question is not None and store.messages(question_id=question.id) == []
                assert store.question_by_ref(ref="F-2026-0002") is None

    asyncio.run(scenario())


def test_invites_from_others_are_declined_and_old_commands_never_replayed(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    stranger_user = synapse.register_user("okand")

    async def scenario() -> None:
        async with (
            unit_room(synapse, tmp_path, database_url, clock) as s,
            participant(synapse, stranger_user, "främlingen") as stranger,
        ):
            doctor, bot = s.doctor, s.bot_id
            lure = await create_room(stranger, [bot])

            later = await create_room(doctor, [])
            old = await doctor.say(later, "!frågor")
            invited = await doctor.client.room_invite(later, bot)
            assert type(invited).__name__ == "RoomInviteResponse", invited
            await bot_joined(doctor, later, bot)
            new = await doctor.say(later, "!frågor")
            answered = await doctor.until(lambda: first(doctor.replies_to(later, new)), "reply")
            assert answered.body == texts.NO_QUESTIONS
            assert doctor.replies_to(later, old) == [], "a command from before the join"

            await stranger.until(lambda: lure in stranger.client.rooms, "own room")

            def declined() -> bool:
                members = stranger.client.rooms[lure]
                return bot not in members.users and bot not in members.invited_users

            await stranger.until(declined, "the bot declining the invite")

    asyncio.run(scenario())


def test_a_knowledge_entry_like_the_question_is_suggested_after_the_reply(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as s:
            doctor, room, bot = s.doctor, s.room, s.bot_id
            with s.app.stores() as store:
                author = store.person_by_identity(platform="matrix", identity=s.contact.user_id)
                assert author is not None
                entry = knowledge_store(store).add_entry(
                    entry=KnowledgeEntry(
                        0,
                        "SGI vid deltidssjukskrivning",
                        "SGI påverkas inte av sjukskrivning på deltid.",
                        "sgi_formaner",
                        None,
                        author.id,
                        clock(),
                        clock(),
                        clock().date() + timedelta(days=365),
                    )
                )
            ask = await doctor.say(room, f"!fråga kategori:sgi {QUESTION}")
            await doctor.until(lambda: len(doctor.replies_to(room, ask)) >= 2, "two replies")
            replies = doctor.replies_to(room, ask)
            assert [r.sender for r in replies] == [bot, bot]
            assert replies[0].body.startswith(f"Tack! Din fråga {REF} är registrerad.")
            assert replies[1].body.startswith(texts.KNOWLEDGE_SUGGESTIONS)
            assert f"{entry.label} SGI vid deltidssjukskrivning" in replies[1].body
            assert f"!kunskap löste {REF} K-…" in replies[1].body

    asyncio.run(scenario())


def test_an_edited_answer_is_updated_and_a_redacted_one_marked_deleted(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as s:
            doctor, contact, room, bot = s.doctor, s.contact, s.room, s.bot_id
            await doctor.say(room, f"!fråga kategori:sgi {QUESTION}")
            card = await doctor.until(lambda: first(doctor.cards(room, bot)), "the card")
            answer = await contact.say(room, ANSWER, thread_root=card.event_id)
            await contact.until(
                lambda: contact.reactions(room, answer, bot) == {texts.MATRIX_SAVED_REACTION},
                "✅ on the answer",
            )

            def stored() -> list[str | None]:
                with s.app.stores() as store:
                    question = store.question_by_ref(ref=REF)
                    assert question is not None
                    return [m.text for m in store.messages(question_id=question.id)]

            edited = f"{ANSWER} Gäller även vid 75 %."
            content = {
                "msgtype": "m.text",
                "body": f"* {edited}",
                "m.new_content": {"msgtype": "m.text", "body": edited},
                "m.relates_to": {"rel_type": "m.replace", "event_id": answer},
            }
            sent = await contact.client.room_send(room, "m.room.message", content)
            edit_id = getattr(sent, "event_id", "")
            await contact.until(
                lambda: contact.reactions(room, edit_id, bot) == {texts.MATRIX_SAVED_REACTION},
                "✅ on the edit",
            )
            assert stored() == [edited]

            await contact.client.room_redact(room, answer, reason="fel tråd")
            await contact.until(lambda: stored() == [None], "the answer marked deleted")
            with s.app.stores() as store:
                question = store.question_by_ref(ref=REF)
                assert question is not None
                assert store.messages(question_id=question.id)[0].deleted
            shown = await doctor.say(room, f"!visa {REF}")
            reply = await doctor.until(lambda: first(doctor.replies_to(room, shown)), "!visa")
            assert texts.MESSAGE_DELETED in reply.body and ANSWER not in reply.body

    asyncio.run(scenario())
