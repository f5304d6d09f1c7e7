"""The core's front door: a neutral request in, a neutral reply out.

Every adapter (console, Slack, Matrix) turns what a user did into a `Request` and renders
the `Reply`. One transaction per request: the reply is only returned after the commit, so
a user told "registered" can rely on it. Errors inside a command never escape.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from handlers import texts
from handlers.absences import register_absence
from handlers.asking import MAX_TEXT, ask
from handlers.categories import manage_categories
from handlers.context import Context, Refusal, Reply, UserError
from handlers.grammar import (
    AbsenceCommand,
    Answer,
    Ask,
    CategoryCommand,
    Command,
    Forward,
    ListMine,
    RefCommand,
    Unknown,
    command_word,
    parse,
)
from handlers.ports import Clock, Store, StoreFactory
from handlers.privacy import find_identity_numbers
from handlers.questions import answer, claim, close, forward, mark_answered, reopen
from handlers.views import list_mine, show

logger = logging.getLogger(__name__)

Extension = Callable[[Context, str], Reply]
"""A command owned by another module (pulse meetings, statistics): context and arguments."""


@dataclass(frozen=True)
class Request:
    """Who said what, where. `thread_root` is set for replies in a thread; `event_id` is the
    platform's id of the event, used to drop redeliveries."""

    platform: str
    user: str
    text: str
    channel: str | None = None
    thread_root: str | None = None
    event_id: str | None = None


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""NUL (PostgreSQL's text refuses it) and lone surrogates (not UTF-8; JSON can carry them
as escapes): replaced by U+FFFD before anything reads the text."""


def storable(request: Request) -> Request:
    """The request with characters no database can store replaced."""
    if _UNSTORABLE.search(request.text):
        return replace(request, text=_UNSTORABLE.sub("\ufffd", request.text))
    return request


@dataclass(frozen=True)
class CoreSettings:
    max_text: int = MAX_TEXT
    retention_days: int = 90


@dataclass
class Core:
    stores: StoreFactory
    clock: Clock
    settings: CoreSettings = field(default_factory=CoreSettings)
    extensions: dict[str, Extension] = field(default_factory=dict)
    on_commit: list[Callable[[str], None]] = field(default_factory=list)
    before_commit: list[Callable[[Store, Request, Reply], None]] = field(default_factory=list)
    """Called inside the transaction of a request with an event id, with the reply being
    committed: an adapter that sends its reply after the commit keeps it there, so that a
    crash in between cannot lose it (a redelivered event only returns None)."""

    def handle(self, request: Request) -> Reply | None:
        """Run one command. None means a redelivered event that was already handled."""
        request = storable(request)
        return self._run(request, lambda ctx: self._dispatch(ctx, request.text))

    def ask_form(self, request: Request, fields: dict[str, str]) -> Reply | None:
        """A question from a form (Slack's modal): the same validation as the one-liner,
        with refusals naming the form field. `request.text` is the question text."""
        request = storable(request)
        fields = {key: _UNSTORABLE.sub("\ufffd", value) for key, value in fields.items()}
        command = Ask(dict(fields), request.text)
        return self._run(
            request,
            lambda ctx: ask(ctx, command, max_text=self.settings.max_text),
            guarded=" ".join([request.text, *fields.values()]),
        )

    def handle_thread_message(self, request: Request) -> Reply | None:
        """A plain message in a thread: an answer or follow-up if the thread is a card's.

        Returns None when the thread is not a question's (nothing to do)."""
        request = storable(request)
        if not request.channel or not request.thread_root:
            return None
        with self.stores() as store:
            question = store.question_by_location(
                platform=request.platform,
                channel=request.channel,
                thread_root=request.thread_root,
            )
        if question is None:
            return None
        limit = self.settings.max_text
        return self._run(
            request,
            lambda ctx: answer(ctx, question.ref, request.text.strip(), max_text=limit),
            thread=True,
        )

    def _run(
        self,
        request: Request,
        action: Callable[[Context], Reply],
        *,
        thread: bool = False,
        guarded: str | None = None,
    ) -> Reply | None:
        if find_identity_numbers(request.text if guarded is None else guarded):
            logger.info("refused a message with an identity number on %s", request.platform)
            return Reply(texts.IDENTITY_NUMBER, field="text")
        try:
            with self.stores() as store:
                now = self.clock()
                if request.event_id and not store.claim_event(
                    platform=request.platform, event_id=request.event_id, at=now
                ):
                    return None
                actor = store.person_by_identity(platform=request.platform, identity=request.user)
                if actor is None:
                    reply = Reply(texts.UNKNOWN_USER)
                else:
                    ctx = Context(store, actor, now, request.platform, request.channel, thread)
                    reply = action(ctx)
                for keep in self.before_commit if request.event_id else []:
                    keep(store, request, reply)
        except Refusal as refusal:
            with self.stores() as store:
                store.audit(
                    actor_id=refusal.actor_id,
                    action="refused",
                    at=self.clock(),
                    question_id=refusal.question_id,
                )
            return Reply(refusal.text)
        except UserError as error:
            return Reply(error.text, field=error.field)
        except Exception:
            logger.exception("command failed on %s", request.platform)
            return Reply(texts.INTERNAL_ERROR)
        for listener in self.on_commit:
            listener(request.platform)
        return reply

    def _dispatch(self, ctx: Context, line: str) -> Reply:
        word = command_word(line)
        if word in self.extensions:
            rest = line.strip().lstrip("/!").strip().partition(" ")[2].strip()
            return self.extensions[word](ctx, rest)
        return self._core_command(ctx, parse(line))

    def _core_command(self, ctx: Context, command: Command) -> Reply:
        match command:
            case Ask():
                return ask(ctx, command, max_text=self.settings.max_text)
            case ListMine():
                return list_mine(ctx)
            case RefCommand(action="visa", ref=ref):
                return show(ctx, ref)
            case RefCommand(action="ta", ref=ref):
                return claim(ctx, ref)
            case RefCommand(action="besvarad", ref=ref):
                return mark_answered(ctx, ref)
            case RefCommand(action="stäng", ref=ref):
                return close(ctx, ref)
            case RefCommand(action="återöppna", ref=ref):
                return reopen(ctx, ref)
            case Answer(ref=ref, text=text):
                return answer(ctx, ref, text, max_text=self.settings.max_text)
            case Forward(ref=ref, target=target):
                return forward(ctx, ref, target)
            case AbsenceCommand():
                return register_absence(ctx, command)
            case CategoryCommand():
                return manage_categories(ctx, command)
            case Unknown(word=word):
                return Reply(texts.UNKNOWN_COMMAND.format(word=word))
            case _:
                return Reply(texts.HELP)
