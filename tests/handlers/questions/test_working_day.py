"""The contact's working day (#12): a follow-up brings an answered question back, `/frågor`
filters, `/släpp`, the asker's "Löste svaret din fråga?", who may act on a question by its
direction, and who is told when someone else acts. Through the core on a real database
(SQLite, and PostgreSQL when configured); every refusal is checked against the database.

Kristianstad: Anna is the vård → FK contact, Berit her backup, Rut the FK → vård contact.
Hässleholm: Anna and Sofia (vård → FK), Rut (FK → vård). Maria is an admin.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.delivery.outbox import OutboxSender
from handlers.kernel import texts
from storage.models import AuditRow, MessageRow, OutboxRow, PersonRow, QuestionRow
from tests.support import Clock, RecordingMessenger

REF = "F-2026-0001"
ASK = "/fråga enhet:{unit} kategori:sgi riktning:{way} {text}"


def say(app: Bryggan, user: str, text: str, **where: str) -> str:
    reply = app.core.handle(Request("console", user, text, **where))
    assert reply is not None
    return reply.text


def ask(
    app: Bryggan,
    user: str = "lisa",
    unit: str = "kristianstad",
    way: str = "vård-fk",
    text: str = "Hur påverkas SGI vid 50 %?",
) -> str:
    reply = say(app, user, ASK.format(unit=unit, way=way, text=text))
    assert "är registrerad" in reply, reply
    return reply.split()[3]


def snapshot(app: Bryggan, ref: str = REF) -> tuple[object, ...]:
    """Everything a refusal must leave as it was: the question, its thread, the outbox
    and the audit log apart from refusals."""
    with app.database.session() as session:
        row = session.scalar(select(QuestionRow).where(QuestionRow.ref == ref))
        assert row is not None
        messages = session.scalar(select(func.count()).select_from(MessageRow))
        posts = session.scalar(select(func.count()).select_from(OutboxRow))
        audited = session.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.action != "refused")
        )
        return (
            row.status,
            row.assignee_id,
            row.claimed_at,
            row.answered_at,
            row.closed_at,
            messages,
            posts,
            audited,
        )


def person_id(app: Bryggan, key: str) -> int:
    with app.database.session() as session:
        found = session.scalar(select(PersonRow.id).where(PersonRow.key == key))
        assert found is not None
        return found


def status(app: Bryggan, ref: str = REF) -> tuple[str, int | None]:
    with app.database.session() as session:
        row = session.scalar(select(QuestionRow).where(QuestionRow.ref == ref))
        assert row is not None
        return row.status, row.assignee_id


@pytest.fixture
def chat(app: Bryggan, clock: Clock) -> Iterator[tuple[RecordingMessenger, OutboxSender]]:
    messenger = RecordingMessenger()
    yield messenger, OutboxSender(app.core.stores, messenger, clock)


def notices_since(
    messenger: RecordingMessenger, sender: OutboxSender, start: int
) -> list[tuple[str, str]]:
    sender.drain()
    return messenger.notices[start:]


# --- 1. a follow-up on an answered question ------------------------------------------------


def test_a_follow_up_in_the_thread_puts_the_answered_question_back_with_the_contact(
    app: Bryggan, clock: Clock, chat: tuple[RecordingMessenger, OutboxSender]
) -> None:
    messenger, sender = chat
    ask(app)
    sender.drain()
    channel, _ = messenger.cards[0]
    thread = {"channel": channel, "thread_root": "ts-1"}
    clock.advance(minutes=5)
    say(app, "anna", "/svara F-2026-0001 Ingen påverkan.")
    assert status(app)[0] == "besvarad"
    seen = len(notices_since(messenger, sender, 0))

    clock.advance(minutes=5)
    reply = app.core.handle_thread_message(
        Request("console", "lisa", "Gäller det även vid 25 %?", **thread)
    )
    assert reply is not None and reply.text == texts.FOLLOWED_UP.format(ref=REF)
    assert status(app) == ("tagen", person_id(app, "anna"))
    told = notices_since(messenger, sender, seen)
    assert told == [("anna", texts.NOTICE_FOLLOW_UP_BACK.format(by="Lisa Ek", ref=REF))]
    assert messenger.updates[-1].status_label == "väntar på svar igen"
    assert "• F-2026-0001 · väntar på svar igen · Vuxenpsykiatri Kristianstad" in say(
        app, "anna", "/frågor"
    )
    # Answered again, it is answered again; the asker is asked whether it helped.
    say(app, "anna", "/svara F-2026-0001 Ja, samma vid 25 %.")
    assert status(app)[0] == "besvarad"


def test_a_follow_up_on_an_open_question_only_tells_the_contact(
    app: Bryggan, chat: tuple[RecordingMessenger, OutboxSender]
) -> None:
    messenger, sender = chat
    ask(app)
    say(app, "anna", f"/ta {REF}")
    say(app, "lisa", f"/svara {REF} Och vid 25 %?")
    assert status(app)[0] == "tagen"
    assert ("anna", texts.NOTICE_FOLLOW_UP.format(by="Lisa Ek", ref=REF)) in notices_since(
        messenger, sender, 0
    )


# --- 2. /frågor with filters -----------------------------------------------------------------


def test_frågor_filters_by_state_and_unit_longest_waiting_first(app: Bryggan, clock: Clock) -> None:
    first = ask(app, text="Första?")  # kristianstad, anna
    clock.advance(minutes=1)
    second = ask(app, unit="hassleholm", text="Andra?")  # hassleholm, anna or sofia
    clock.advance(minutes=1)
    third = ask(app, text="Tredje?")
    say(app, "anna", f"/stäng {third}")
    say(app, "maria", f"/flytta {first} @maria")
    say(app, "maria", f"/släpp {first}")  # back to Kristianstad: Berit (backup) gets it

    all_anna = say(app, "anna", "/frågor alla")
    assert all_anna.splitlines()[0] == "Alla frågor (3):"
    assert [line.split(" · ")[0] for line in all_anna.splitlines()[1:]] == [
        f"• {first}",
        f"• {second}",
        f"• {third}",
    ]
    assert say(app, "anna", "/frågor stängda").splitlines() == [
        "Stängda frågor (1):",
        f"• {third} · stängd · Vuxenpsykiatri Kristianstad · Tredje?",
    ]
    in_unit = say(app, "anna", "/frågor öppna enhet:hassl")
    assert in_unit.startswith("Öppna frågor i Vuxenpsykiatri Hässleholm (1):")
    assert second in in_unit and first not in in_unit
    assert say(app, "anna", "/frågor otilldelade") == "Inga frågor matchar otilldelade."


def test_an_admin_sees_the_unassigned_questions_she_is_told_of(
    app: Bryggan, chat: tuple[RecordingMessenger, OutboxSender]
) -> None:
    messenger, sender = chat
    say(app, "anna", "/frånvaro 20/11 30/11")
    say(app, "berit", "/frånvaro 20/11 30/11")
    ref = ask(app)
    assert (
        "maria",
        texts.NOTICE_UNASSIGNED.format(ref=ref, unit="Vuxenpsykiatri Kristianstad"),
    ) in notices_since(messenger, sender, 0)
    listed = say(app, "maria", "/frågor")
    assert listed.startswith(f"Väntar på dig:\n• {ref} · ny, otilldelad")
    assert say(app, "maria", "/frågor otilldelade").startswith("Otilldelade frågor (1):")
    # The care side's contact of the unit is not waited for with a vård → FK question.
    assert ref not in say(app, "rut", "/frågor")


def test_frågor_filters_are_paged(app: Bryggan, clock: Clock) -> None:
    for n in range(25):
        ask(app, unit="lund", text=f"Fråga {n}?")
        clock.advance(minutes=1)
    first = say(app, "maria", "/frågor öppna enhet:lund")
    assert first.splitlines()[0] == "Öppna frågor i Vuxenpsykiatri Lund (25):"
    assert first.splitlines()[1].startswith("• F-2026-0001 ")
    assert "Sida 1 av 2 (25 frågor), de som väntat längst först." in first
    assert first.endswith("Skriv /frågor öppna enhet:lund sida 2 för nästa sida.")
    second = say(app, "maria", "/frågor öppna enhet:lund sida 2")
    assert second.splitlines()[1].startswith("• F-2026-0021 ")


@pytest.mark.parametrize(
    ("user", "line", "expected"),
    [
        ("lisa", "/frågor otilldelade", texts.QUESTIONS_FILTER_CONTACTS.format(word="otilldelade")),
        (
            "anna",
            "/frågor enhet:lund",
            texts.QUESTIONS_NOT_YOUR_UNIT.format(unit="Vuxenpsykiatri Lund"),
        ),
        ("anna", "/frågor gamla", texts.QUESTIONS_FILTER_USAGE.format(typed="gamla")),
        ("maria", "/frågor enhet:malmö", "”malmö” är ingen enhet"),
        ("anna", "/frågor alla sida 9", "Det finns ingen sida 9. Sista sidan är 1."),
    ],
)
def test_a_filter_that_cannot_be_used_is_explained(
    app: Bryggan, user: str, line: str, expected: str
) -> None:
    ask(app)
    before = snapshot(app)
    assert say(app, user, line).startswith(expected)
    assert snapshot(app) == before


def test_an_asker_filters_her_own_questions(app: Bryggan) -> None:
    mine = ask(app)
    ask(app, user="olle", unit="lund")
    say(app, "lisa", f"/stäng {mine}")
    assert say(app, "lisa", "/frågor stängda").splitlines()[0] == "Stängda frågor (1):"
    assert say(app, "lisa", "/frågor öppna") == "Inga frågor matchar öppna."


# --- 3. the asker closes her question and says whether the answer helped ------------------


def test_the_asker_says_the_answer_helped_or_not(
    app: Bryggan, chat: tuple[RecordingMessenger, OutboxSender]
) -> None:
    messenger, sender = chat
    ask(app)
    say(app, "anna", f"/svara {REF} Ingen påverkan.")
    asked = notices_since(messenger, sender, 0)
    assert (
        "lisa",
        "Anna Berg har svarat på din fråga F-2026-0001." + texts.HELPED_PROMPT.format(ref=REF),
    ) in asked
    seen = len(messenger.notices)

    assert say(app, "lisa", f"/hjälpte nej {REF}") == texts.HELPED_NO.format(
        ref=REF, name="Anna Berg"
    )
    assert status(app) == ("tagen", person_id(app, "anna"))
    assert notices_since(messenger, sender, seen) == [
        ("anna", texts.NOTICE_HELPED_NO.format(by="Lisa Ek", ref=REF))
    ]
    say(app, "anna", f"/svara {REF} Då så: ingen påverkan vid 25 % heller.")
    assert say(app, "lisa", f"/hjalpte {REF} ja") == texts.HELPED_YES.format(ref=REF)
    assert status(app)[0] == "stangd"
    with app.database.session() as session:
        verdicts = list(
            session.scalars(
                select(AuditRow.detail).where(AuditRow.action == "helped").order_by(AuditRow.id)
            )
        )
    assert verdicts == ["nej", "ja"]
    sender.drain()
    closed = [at for label, at in messenger.updates[-1].times if label == "Stängd"]
    assert closed and closed[0].endswith("av Lisa Ek")


@pytest.mark.parametrize(
    ("user", "line", "expected"),
    [
        ("lisa", f"/hjälpte ja {REF}", texts.HELPED_NOT_ANSWERED.format(ref=REF)),
        ("anna", f"/hjälpte ja {REF}", texts.HELPED_WHO.format(ref=REF)),
        ("lisa", f"/hjälpte kanske {REF}", texts.HELPED_USAGE),
        ("lisa", f"/hjälpte ja nej {REF}", texts.HELPED_USAGE),
        ("olle", f"/hjälpte ja {REF}", texts.REF_UNKNOWN.format(ref=REF)),
    ],
)
def test_a_verdict_that_cannot_be_given_changes_nothing(
    app: Bryggan, user: str, line: str, expected: str
) -> None:
    ask(app)
    if user != "lisa" or "kanske" in line or "ja nej" in line:
        say(app, "anna", f"/besvarad {REF}")
    before = snapshot(app)
    assert say(app, user, line) == expected
    assert snapshot(app) == before


def test_the_asker_may_close_her_own_question(
    app: Bryggan, chat: tuple[RecordingMessenger, OutboxSender]
) -> None:
    messenger, sender = chat
    ask(app)
    notices_since(messenger, sender, 0)
    seen = len(messenger.notices)
    assert say(app, "lisa", f"/stäng {REF}") == texts.CLOSED.format(ref=REF)
    assert status(app)[0] == "stangd"
    assert notices_since(messenger, sender, seen) == [
        ("anna", texts.NOTICE_CLOSED_ASSIGNEE.format(by="Lisa Ek", ref=REF))
    ]


def test_the_helped_figure_is_in_the_statistics(app: Bryggan, clock: Clock) -> None:
    for n in range(1, 4):
        ask(app, text=f"Fråga {n}?")
        say(app, "anna", f"/svara F-2026-000{n} Svar {n}.")
    say(app, "lisa", "/hjälpte ja F-2026-0001")
    say(app, "lisa", "/hjälpte nej F-2026-0002")
    say(app, "anna", "/svara F-2026-0002 Bättre svar.")
    say(app, "lisa", "/hjälpte ja F-2026-0002")  # the latest verdict counts
    say(app, "lisa", "/hjälpte nej F-2026-0003")
    clock.advance(minutes=1)  # a running period counts what was asked before now
    summary = say(app, "maria", "/statistik 2026")
    assert "Svaret löste frågan i 67 % av fallen (2 av 3 som sa ja eller nej)" in summary


# --- 4. /släpp -------------------------------------------------------------------------------


def test_a_released_question_is_routed_again_without_the_one_who_let_it_go(
    app: Bryggan, chat: tuple[RecordingMessenger, OutboxSender]
) -> None:
    messenger, sender = chat
    ask(app)
    say(app, "anna", f"/ta {REF}")
    notices_since(messenger, sender, 0)
    seen = len(messenger.notices)
    reply = say(app, "anna", f"/släpp {REF}")
    assert reply == f"Du har släppt {REF}. Till Berit Ås, reserv för Vuxenpsykiatri Kristianstad."
    berit = person_id(app, "berit")
    with app.database.session() as session:
        row = session.scalar(select(QuestionRow).where(QuestionRow.ref == REF))
        assert row is not None
        assert (row.status, row.assignee_id, row.claimed_at) == ("ny", berit, None)
    assert notices_since(messenger, sender, seen) == [
        (
            "berit",
            f"Anna Berg har släppt {REF} (SGI och övriga förmåner, Vuxenpsykiatri Kristianstad)."
            " Den går nu till dig.",
        )
    ]
    assert messenger.updates[-1].status_label == "ny"


def test_release_among_two_contacts_goes_to_the_other(app: Bryggan) -> None:
    ref = ask(app, unit="hassleholm")
    holder = "anna" if status(app, ref)[1] == person_id(app, "anna") else "sofia"
    other = "sofia" if holder == "anna" else "anna"
    say(app, holder, f"/ta {ref}")
    say(app, holder, f"/släpp {ref}")
    assert status(app, ref) == ("ny", person_id(app, other))


@pytest.mark.parametrize(
    ("user", "prepare", "expected"),
    [
        ("lisa", "", "Det får bara"),
        ("rut", "", f"{REF} går vård → FK"),
        ("anna", "/stäng", "F-2026-0001 är stängd, så det går inte att släppa den nu."),
        ("maria", "nobody", texts.RELEASE_NOT_TAKEN.format(ref=REF)),
    ],
)
def test_a_release_that_cannot_be_done_changes_nothing(
    app: Bryggan, user: str, prepare: str, expected: str
) -> None:
    if prepare == "nobody":
        say(app, "anna", "/frånvaro 20/11 30/11")
        say(app, "berit", "/frånvaro 20/11 30/11")
    ask(app)
    if prepare == "/stäng":
        say(app, "anna", f"/stäng {REF}")
    before = snapshot(app)
    assert say(app, user, f"/släpp {REF}").startswith(expected)
    assert snapshot(app) == before


# --- 5. who may act: the question's direction -----------------------------------------------


@pytest.mark.parametrize(
    "line",
    ["/ta", "/svara {ref} Mitt svar", "/besvarad", "/stäng", "/flytta {ref} @berit", "/släpp"],
)
def test_the_contact_for_the_other_direction_may_read_but_not_act(app: Bryggan, line: str) -> None:
    ask(app)
    if line == "/släpp":
        say(app, "anna", f"/ta {REF}")
    before = snapshot(app)
    typed = line.format(ref=REF) if "{ref}" in line else f"{line} {REF}"
    assert say(app, "rut", typed) == texts.NOT_ALLOWED_DIRECTION.format(
        ref=REF, direction="vård → FK"
    )
    assert snapshot(app) == before
    assert "Hur påverkas SGI" in say(app, "rut", f"/visa {REF}")


def test_a_question_for_the_care_side_is_not_the_fk_contacts_to_answer(app: Bryggan) -> None:
    ref = ask(app, user="karl", way="fk-vård", text="Hur går planeringen?")
    assert status(app, ref)[1] == person_id(app, "rut")
    before = snapshot(app, ref)
    assert say(app, "anna", f"/svara {ref} Jag svarar ändå.").startswith(f"{ref} går FK → vård")
    assert snapshot(app, ref) == before
    assert say(app, "rut", f"/svara {ref} Planeringen är klar.") == texts.ANSWERED.format(ref=ref)


# --- 6. who is told when someone else acts, and the card says who ----------------------------


def test_someone_else_acting_tells_the_assignee_and_the_asker_once_each(
    app: Bryggan, clock: Clock, chat: tuple[RecordingMessenger, OutboxSender]
) -> None:
    messenger, sender = chat
    ask(app)
    notices_since(messenger, sender, 0)

    seen = len(messenger.notices)
    say(app, "berit", f"/svara {REF} Svar från reserven.")
    told = notices_since(messenger, sender, seen)
    assert sorted(told) == [
        ("anna", texts.NOTICE_ANSWERED_FOR_YOU.format(by="Berit Ås", ref=REF)),
        (
            "lisa",
            texts.NOTICE_ANSWER.format(by="Berit Ås", ref=REF)
            + texts.HELPED_PROMPT.format(ref=REF),
        ),
    ]
    card = messenger.updates[-1]
    assert ("Besvarad", "23 nov 2026 09:00 av Berit Ås") in card.times

    seen = len(messenger.notices)
    clock.advance(minutes=1)
    say(app, "maria", f"/stäng {REF}")
    assert sorted(notices_since(messenger, sender, seen)) == [
        ("anna", texts.NOTICE_CLOSED_ASSIGNEE.format(by="Maria Lund", ref=REF)),
        ("lisa", texts.NOTICE_CLOSED_ASKER.format(by="Maria Lund", ref=REF)),
    ]
    assert ("Stängd", "23 nov 2026 09:01 av Maria Lund") in messenger.updates[-1].times
    assert "Stängd 23 nov 2026 09:01 av Maria Lund" in say(app, "lisa", f"/visa {REF}")


def test_a_take_over_tells_the_former_assignee_and_the_asker(
    app: Bryggan, chat: tuple[RecordingMessenger, OutboxSender]
) -> None:
    messenger, sender = chat
    ask(app)
    say(app, "anna", f"/ta {REF}")
    notices_since(messenger, sender, 0)
    seen = len(messenger.notices)
    say(app, "berit", f"/ta {REF}")
    assert sorted(notices_since(messenger, sender, seen)) == [
        ("anna", texts.NOTICE_TAKEN_OVER.format(by="Berit Ås", ref=REF)),
        ("lisa", texts.NOTICE_CLAIMED_ASKER.format(by="Berit Ås", ref=REF)),
    ]
    seen = len(messenger.notices)
    say(app, "berit", f"/besvarad {REF}")
    assert notices_since(messenger, sender, seen) == [
        (
            "lisa",
            texts.NOTICE_MARKED_ASKER.format(by="Berit Ås", ref=REF)
            + texts.HELPED_PROMPT.format(ref=REF),
        ),
    ]
