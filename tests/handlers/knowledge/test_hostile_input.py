"""Any text typed to the knowledge bank's commands gets a Swedish reply, never a crash or a
database error, on SQLite and PostgreSQL (FTS5 and tsquery syntax included)."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.knowledge import KnowledgeEntry, knowledge_store
from storage.knowledge_text import search_terms

SYNTAX = st.sampled_from(
    ['"', "'", "*", "^", ":", "(", ")", "|", "&", "!", "<->", "NEAR(", "OR", "AND", "NOT", "-"]
)
WORD = st.sampled_from(
    ["sjukskrivning", "deltidssjukskrivningen", "SGI", "kompletteringar", "K-1", "F-2026-0001"]
)
TEXT = st.lists(st.one_of(SYNTAX, WORD, st.text(max_size=12)), max_size=8).map(" ".join)
COMMANDS = st.sampled_from(
    [
        "/sök",
        "/kunskap",
        "/kunskap visa",
        "/kunskap spara",
        "/kunskap spara F-2026-0001",
        "/kunskap löste F-2026-0002",
        "/kunskap ändra K-1",
        "/kunskap slå ihop",
        "/kunskap granskad",
        "/löste",
        "/spara-kunskap",
    ]
)


def with_an_entry(app: Bryggan) -> None:
    """One entry in the bank, so every search reaches its indexes with words in them."""
    now = app.core.clock()
    with app.stores() as store:
        bank = knowledge_store(store)
        if bank.entry(entry_id=1) is None:
            author = store.person_by_key(key="anna")
            assert author is not None
            entry = KnowledgeEntry(
                0,
                "Deltidssjukskrivning och SGI",
                "Vid sjukskrivning på deltid behålls SGI; kompletteringar besvaras av läkaren.",
                "sgi_formaner",
                None,
                author.id,
                now,
                now,
                date(2027, 11, 23),
            )
            bank.add_entry(entry=entry)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(command=COMMANDS, rest=TEXT, user=st.sampled_from(["lisa", "anna", "maria"]))
def test_hostile_text_gets_a_reply_and_never_an_error(
    app: Bryggan, command: str, rest: str, user: str
) -> None:
    with_an_entry(app)
    reply = app.core.handle(Request("console", user, f"{command} {rest}"))
    assert reply is not None and reply.text
    assert "Något gick fel" not in reply.text


@given(st.text(max_size=60))
def test_query_terms_are_plain_words(query: str) -> None:
    terms = search_terms(query)
    for term in (*terms.words, *terms.stems, *terms.parts):
        assert term and all(ch.isalnum() for ch in term)
