"""The knowledge bank through the core, on SQLite and PostgreSQL: saving (guard included),
Swedish search, suggestions at intake, "det löste min fråga", review and statistics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from bot.scheduler import run_due_now
from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.delivery.outbox import OutboxSender
from handlers.kernel import Context, texts
from handlers.knowledge import send_review_reminders, statistics_lines, suggestions_after_asking
from storage.models import KnowledgeEntryRow, QuestionRow
from tests.support import Clock, RecordingMessenger

ASK = "/fråga enhet:kristianstad kategori:sgi riktning:vård-fk {text}"
SGI_TEXT = "Vad händer med SGI om patienten går ner till halvtid?"
SGI_ENTRY = (
    "SGI vid deltid | Den som går ner i arbetstid får i regel en lägre sjukpenninggrundande "
    "inkomst, utom när SGI:n är skyddad. | bekräftat"
)


def say(app: Bryggan, user: str, text: str) -> str:
    reply = app.core.handle(Request("console", user, text))
    assert reply is not None
    return reply.text


def answered_question(app: Bryggan, text: str = SGI_TEXT) -> str:
    """A question from Lisa answered by Anna; its reference."""
    reply = say(app, "lisa", ASK.format(text=text))
    ref = reply.split()[3]
    assert ref.startswith("F-")
    say(app, "anna", f"/svara {ref} Ja, SGI sänks normalt vid lägre arbetstid.")
    return ref


def entries(app: Bryggan) -> int:
    with app.database.session() as session:
        return session.scalar(select(func.count()).select_from(KnowledgeEntryRow)) or 0


def save_entry(app: Bryggan, text: str = SGI_ENTRY, question: str = SGI_TEXT) -> str:
    ref = answered_question(app, question)
    reply = say(app, "anna", f"/kunskap spara {ref} {text}")
    assert reply.startswith("Sparat i kunskapsbanken som K-"), reply
    return reply.split()[4].rstrip(":")


# saving ------------------------------------------------------------------------------------


def test_the_contact_gets_a_draft_then_saves_with_a_confirmation(app: Bryggan) -> None:
    ref = answered_question(app)
    draft = say(app, "anna", f"/kunskap spara {ref}")
    assert f"Utkast från {ref}" in draft
    assert SGI_TEXT in draft and "SGI sänks normalt" in draft
    unconfirmed = say(app, "anna", f"/kunskap spara {ref} SGI vid deltid | Allmän text.")
    assert "Bekräfta att texten inte handlar om en enskild person" in unconfirmed
    assert entries(app) == 0
    saved = say(app, "anna", f"/kunskap spara {ref} {SGI_ENTRY}")
    assert saved.startswith("Sparat i kunskapsbanken som K-1: SGI vid deltid.")
    assert "granskas senast 23 nov 2027" in saved
    shown = say(app, "lisa", "/kunskap visa K-1")
    assert "lägre sjukpenninggrundande inkomst" in shown and "Anna Berg" in shown
    assert "SGI och övriga förmåner" in shown


def test_an_identity_number_in_any_field_is_refused_and_nothing_is_saved(app: Bryggan) -> None:
    ref = answered_question(app)
    for line in (
        f"/kunskap spara {ref} SGI 121212-1212 | Allmän text. | bekräftat",
        f"/kunskap spara {ref} SGI vid deltid | Gäller 19121212-1212. | bekräftat",
    ):
        refused = say(app, "anna", line)
        assert refused == texts.IDENTITY_NUMBER.format(
            place=texts.IDENTITY_PLACES["knowledge_text"]
        )
    assert entries(app) == 0


def test_only_a_contact_or_admin_saves_and_only_answered_questions(app: Bryggan) -> None:
    ref = answered_question(app)
    assert say(app, "lisa", f"/kunskap spara {ref} {SGI_ENTRY}") == texts.KNOWLEDGE_SAVE_WHO
    open_ref = say(app, "lisa", ASK.format(text="En öppen fråga om SGI.")).split()[3]
    refused = say(app, "anna", f"/kunskap spara {open_ref} {SGI_ENTRY}")
    assert refused == texts.KNOWLEDGE_NOT_ANSWERED.format(ref=open_ref)
    assert say(app, "maria", f"/kunskap spara {ref} {SGI_ENTRY}").startswith("Sparat")
    assert say(app, "anna", f"/kunskap spara {ref} | text | bekräftat").startswith(
        "Skriv en rubrik"
    )
    assert entries(app) == 1


def test_the_entry_outlives_the_purge_of_the_question_text(app: Bryggan, clock: Clock) -> None:
    label = save_entry(app)
    with app.database.session() as session:
        session.execute(update(QuestionRow).values(text=None))
    assert "lägre sjukpenninggrundande inkomst" in say(app, "lisa", f"/kunskap visa {label}")


# searching ---------------------------------------------------------------------------------


def test_inflections_and_compounds_find_the_entry(app: Bryggan) -> None:
    save_entry(
        app,
        "Deltidssjukskrivning och arbetstid | Vid deltidssjukskrivning minskas arbetstiden "
        "lika mycket varje dag. | bekräftat",
        "Hur förläggs arbetstiden?",
    )
    save_entry(
        app,
        "Vad en komplettering ska innehålla | Svara på just de frågor som ställs. | bekräftat",
        "Vad ska vi skriva i kompletteringen?",
    )
    for query in (
        "sjukskrivning",
        "sjukskrivningen",
        "deltidssjukskrivningen",
        "deltidssjukskrivningar",
    ):
        assert "K-1 Deltidssjukskrivning och arbetstid" in say(app, "lisa", f"/sök {query}")
    for query in ("kompletteringar", "kompletteringen", "Komplettering"):
        assert "K-2 Vad en komplettering ska innehålla" in say(app, "lisa", f"/kunskap {query}")
    nothing = say(app, "lisa", "/sök sjukresor")
    assert nothing == texts.KNOWLEDGE_NO_HITS.format(query="sjukresor")


def test_three_hits_then_a_way_to_see_more(app: Bryggan) -> None:
    for number in range(1, 6):
        save_entry(
            app,
            f"Avstämningsmöte {number} | Text nummer {number} om avstämningsmöten. | bekräftat",
            f"Fråga {number} om avstämningsmöte",
        )
    first = say(app, "lisa", "/sök avstämningsmöte")
    assert first.count("\nK-") == 3
    assert "Fler träffar: /sök avstämningsmöte sida:2" in first
    second = say(app, "lisa", "/sök avstämningsmöte sida:2")
    assert second.count("\nK-") == 2 and "Fler träffar" not in second
    shown = {line.split()[0] for line in (first + second).splitlines() if line.startswith("K-")}
    assert shown == {f"K-{n}" for n in range(1, 6)}


# before asking -----------------------------------------------------------------------------


def test_similar_entries_are_suggested_after_the_question_is_registered(app: Bryggan) -> None:
    save_entry(app)
    reply = app.core.handle(
        Request("console", "olle", ASK.format(text="Sänks SGI när man går ner i arbetstid?"))
    )
    assert reply is not None and reply.accepted
    assert "kunskapsbanken" not in reply.text  # the acknowledgement itself is not delayed
    suggestion = suggestions_after_asking(app.core.stores, reply.ref)
    assert suggestion is not None
    assert suggestion.splitlines()[1] == "K-1 SGI vid deltid"
    assert f"/kunskap löste {reply.ref} K-…" in suggestion
    unrelated = app.core.handle(
        Request("console", "olle", ASK.format(text="Hur bokar jag ett pulsmöte?"))
    )
    assert unrelated is not None
    assert suggestions_after_asking(app.core.stores, unrelated.ref) is None


def test_det_loste_min_fraga_closes_it_and_counts_it(app: Bryggan, clock: Clock) -> None:
    label = save_entry(app)
    messenger = RecordingMessenger()
    sender = OutboxSender(app.core.stores, messenger, clock)
    ref = say(app, "olle", ASK.format(text="Sänks SGI vid deltid?")).split()[3]
    sender.drain()
    assert say(app, "anna", f"/kunskap löste {ref} {label}") == (
        texts.KNOWLEDGE_RESOLVE_WHO.format(ref=ref)
    )
    reply = say(app, "olle", f"/kunskap löste {ref} {label}")
    assert reply == f"Skönt att {label} hjälpte! {ref} är stängd som besvarad ur kunskapsbanken."
    sender.drain()
    assert messenger.updates[-1].status == "stangd"
    assert any("besvarades ur kunskapsbanken" in text for _, text in messenger.thread)
    assert ("anna", texts.KNOWLEDGE_NOTICE_RESOLVED.format(ref=ref, label=label)) in (
        messenger.notices
    )
    assert say(app, "olle", f"/kunskap löste {ref} {label}") == (
        texts.KNOWLEDGE_RESOLVE_CLOSED.format(ref=ref)
    )
    with app.stores() as store:
        olle = store.person_by_key(key="maria")
        assert olle is not None
        ctx = Context(store, olle, clock(), "console")
        start = clock() - timedelta(days=1)
        lines = statistics_lines(ctx, start=start, end=clock() + timedelta(days=1), unit_ids=None)
        other_unit = statistics_lines(ctx, start=start, end=clock(), unit_ids=[999])
    assert lines[:2] == ["Lösta ur kunskapsbanken: 1", "  SGI och övriga förmåner: 1"]
    assert f"  {label} SGI vid deltid: 1" in lines
    assert other_unit[0] == "Lösta ur kunskapsbanken: 0"
    clock.advance(minutes=1)  # the current month's figures run up to now
    summary = say(app, "maria", "/statistik")
    assert "Lösta ur kunskapsbanken: 1" in summary.splitlines()
    assert len(summary.splitlines()) <= 8
    assert "Mest använda poster:" in say(app, "maria", "/statistik tabell")
    assert "kunskapsbanken" not in say(app, "olle", "/statistik")  # an asker's own figures


# keeping it true ---------------------------------------------------------------------------


def test_entries_past_review_go_weekly_to_author_and_admins(app: Bryggan, clock: Clock) -> None:
    label = save_entry(app)
    platforms = ["console"]
    assert send_review_reminders(app.core.stores, clock, platforms) == 0
    clock.now = datetime(2027, 11, 24, 8, 0, tzinfo=UTC)  # a year and a day later
    assert send_review_reminders(app.core.stores, clock, platforms) == 2
    assert send_review_reminders(app.core.stores, clock, platforms) == 0  # same week
    messenger = RecordingMessenger()
    OutboxSender(app.core.stores, messenger, clock).drain()
    reminders = [(who, text) for who, text in messenger.notices if texts.KNOWLEDGE_DUE in text]
    assert {person for person, _ in reminders} == {"anna", "maria"}
    assert all(f"{label} SGI vid deltid" in text for _, text in reminders)
    assert f"{label} SGI vid deltid" in say(app, "anna", "/kunskap granska")
    assert say(app, "lisa", f"/kunskap granskad {label}") == (
        texts.KNOWLEDGE_REVIEW_WHO.format(label=label)
    )
    assert "granskas" not in say(app, "anna", f"/kunskap granskad {label}")
    assert say(app, "maria", "/kunskap granska") == texts.KNOWLEDGE_NOTHING_DUE
    clock.advance(days=7)
    assert send_review_reminders(app.core.stores, clock, platforms) == 0


def test_the_minute_job_sends_the_weekly_review_reminders(app: Bryggan, clock: Clock) -> None:
    save_entry(app)
    clock.now = datetime(2027, 11, 24, 8, 0, tzinfo=UTC)  # a year and a day later
    run_due_now(app)
    run_due_now(app)  # the next minute: not again this week
    messenger = RecordingMessenger()
    OutboxSender(app.core.stores, messenger, clock).drain()
    told = [who for who, text in messenger.notices if texts.KNOWLEDGE_DUE in text]
    assert sorted(told) == ["anna", "maria"]


def test_admins_edit_retire_and_merge(app: Bryggan) -> None:
    first = save_entry(app)
    second = save_entry(
        app,
        "SGI och deltidsarbete | Lägre arbetstid ger lägre SGI. | bekräftat",
        "SGI när man arbetar deltid?",
    )
    assert say(app, "anna", f"/kunskap arkivera {first}") == texts.KNOWLEDGE_ADMIN_ONLY
    edited = say(app, "maria", f"/kunskap ändra {first} SGI vid deltidsarbete | Ny text om SGI.")
    assert edited == f"{first} är ändrad: SGI vid deltidsarbete."
    assert "Ny text om SGI." in say(app, "lisa", "/sök SGI")
    merged = say(app, "maria", f"/kunskap slå ihop {second} {first}")
    assert merged == f"{second} har gått upp i {first} och syns inte längre i sökningar."
    hits = say(app, "lisa", "/sök SGI")
    assert first in hits and second not in hits
    assert f"har gått upp i {first}" in say(app, "lisa", f"/kunskap visa {second}")
    assert say(app, "maria", f"/kunskap arkivera {first}") == (
        f"{first} är arkiverad och syns inte längre i sökningar."
    )
    assert say(app, "lisa", "/sök SGI") == texts.KNOWLEDGE_NO_HITS.format(query="SGI")
    assert say(app, "lisa", "/kunskap visa K-99") == texts.KNOWLEDGE_UNKNOWN_ENTRY.format(
        typed="K-99"
    )
