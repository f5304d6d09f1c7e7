"""The core's front door: a neutral request in, a neutral reply out.

Every adapter (console, Slack, Matrix) turns what a person did into a `Request`: a line
they typed (`handle`), or a typed command built from a button or a form (`execute`). One
transaction per request: the reply is only returned after the commit, so a person told
"registered" can rely on it. Errors inside a command never escape.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from handlers.commands.builtin import core_commands
from handlers.commands.limits import InputLimits
from handlers.kernel import (
    Answer,
    Audience,
    Clock,
    Context,
    OnQuestion,
    OutboxKind,
    Refusal,
    Registry,
    Reply,
    Store,
    StoreBusy,
    StoreFactory,
    Unknown,
    UserError,
    command_refusal,
    identity_refusal,
    texts,
)
from handlers.questions import MAX_TEXT

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Request:
    """Who did it, where. `text` is what the person typed: a whole command line, or only
    the arguments when the platform named the command (`command`, e.g. Slack's `/fraga`).
    `thread_root` is set in a thread; `event_id` is the platform's id of the event, used
    to drop redeliveries; `message_id` the platform's id of the message, so that its later
    edits and deletion reach what it stored."""

    platform: str
    user: str
    text: str = ""
    channel: str | None = None
    thread_root: str | None = None
    event_id: str | None = None
    command: str | None = None
    message_id: str | None = None

    @property
    def source(self) -> str | None:
        """The message as stored beside what it caused: `platform:channel:message id`."""
        if not self.message_id:
            return None
        return f"{self.platform}:{self.channel or ''}:{self.message_id}"


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""NUL (PostgreSQL's text refuses it) and lone surrogates (not UTF-8; JSON can carry them
as escapes): replaced by U+FFFD before anything reads the text."""


def _storable(value: Any) -> Any:
    """`value` with characters no database can store replaced, in every string inside."""
    if type(value) is str:  # not an enum's value: those are ours, and stay enums
        return _UNSTORABLE.sub("\ufffd", value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _storable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_storable(item) for item in value)
    return value


def _strings(value: Any) -> Iterator[str]:
    """Every string a typed command carries (for the identity-number guard)."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _strings(item)


@dataclass(frozen=True)
class CoreSettings:
    max_text: int = MAX_TEXT
    retention_days: int = 90


@dataclass
class Core:
    stores: StoreFactory
    clock: Clock
    settings: CoreSettings = field(default_factory=CoreSettings)
    registry: Registry = field(default_factory=Registry)
    on_commit: list[Callable[[str], None]] = field(default_factory=list)
    before_commit: list[Callable[[Store, Request, Reply], None]] = field(default_factory=list)
    """Called inside the transaction of a request with an event id, with the reply being
    committed: an adapter that sends its reply after the commit keeps it there, so that a
    crash in between cannot lose it (a redelivered event only returns None)."""

    def __post_init__(self) -> None:
        if not self.registry.specs:
            self.registry = core_commands(max_text=self.settings.max_text)

    def handle(self, request: Request) -> Reply | None:
        """Run a line the person typed. None means a redelivered event already handled."""
        if over := self._over_limits(request.text):
            return over
        request = _storable(request)
        if request.command is None:
            command = self.registry.parse(request.text)
        else:
            command = self.registry.parse_arguments(request.command, request.text)
        return self._run(request, command, guarded=request.text)

    def execute(self, request: Request, command: object) -> Reply | None:
        """Run a typed command built from a button or a form (`request.text` is unused)."""
        request, command = _storable(request), _storable(command)
        guarded = " ".join(_strings(command))
        return self._over_limits(guarded) or self._run(request, command, guarded=guarded)

    def handle_thread_message(self, request: Request) -> Reply | None:
        """A plain message in a thread: an answer or follow-up if the thread is a card's.

        Returns None when the thread is not a question's (nothing to do)."""
        request = _storable(request)
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
        if over := self._over_limits(request.text):
            return over
        command = Answer(question.ref, request.text.strip())
        return self._run(request, command, guarded=request.text, from_thread=True)

    def handle_thread_edit(self, request: Request) -> Reply | None:
        """A thread message edited in the chat (`message_id` is the edited message's).

        An edit of a stored answer or follow-up replaces its text; an edit of a message that
        was refused (an identity number since removed) is taken as the reply, once."""
        request = _storable(request)
        source = request.source
        if source is None:
            return None
        with self.stores() as store:
            known = store.message_by_source(source=source)
        if known is None:  # refused before, or not handled yet: the edit is the message
            return self.handle_thread_message(replace(request, event_id=None))
        if over := self._over_limits(request.text):
            return over
        refusal = identity_refusal(request.text, "edit")
        if refusal:
            return Reply(refusal, field="text", identity_number=True)
        text = request.text.strip()
        if not text or len(text) > self.settings.max_text:
            return None
        with self.stores() as store:
            actor = store.person_by_identity(platform=request.platform, identity=request.user)
            if actor is None or actor.id != known.author_id:
                return None  # only the author edits her own message
            store.edit_message(message_id=known.id, text=text)
            store.audit(
                actor_id=actor.id,
                action="message_edited",
                at=self.clock(),
                question_id=known.question_id,
            )
            ref = store.question(question_id=known.question_id).ref
        return Reply(texts.ANSWER_EDITED.format(ref=ref), ref=ref)

    def handle_thread_deletion(self, request: Request) -> None:
        """A thread message deleted in the chat: what it stored is marked deleted and the
        question's card redrawn."""
        source = request.source
        if source is None:
            return
        with self.stores() as store:
            known = store.message_by_source(source=source)
            if known is None or known.deleted:
                return
            now = self.clock()
            store.edit_message(message_id=known.id, text=None, deleted_at=now)
            store.audit(
                actor_id=known.author_id,
                action="message_deleted",
                at=now,
                question_id=known.question_id,
            )
            question = store.question(question_id=known.question_id)
            store.enqueue(
                platform=question.origin_platform,
                kind=OutboxKind.CARD_UPDATE,
                at=now,
                question_id=question.id,
            )
        for listener in self.on_commit:
            listener(request.platform)

    def _over_limits(self, text: str) -> Reply | None:
        """A message beyond the input bounds, refused before anything reads it."""
        refusal = InputLimits(max_text=self.settings.max_text).refusal(text)
        return Reply(refusal, field="text") if refusal else None

    def _run(
        self, request: Request, command: object, *, guarded: str, from_thread: bool = False
    ) -> Reply | None:
        refused = command_refusal(command, guarded, from_thread=from_thread)
        if refused:
            logger.info("refused a message with an identity number on %s", request.platform)
            return Reply(refused, field="text", identity_number=True)
        try:
            with self.stores() as store:
                now = self.clock()
                if request.event_id and not store.claim_event(
                    platform=request.platform, event_id=request.event_id, at=now
                ):
                    return None
                if (
                    from_thread
                    and request.source
                    and not store.claim_event(
                        platform=request.platform, event_id=f"message:{request.source}", at=now
                    )
                ):
                    return None  # this chat message (or an edit of it) was taken already
                actor = store.person_by_identity(platform=request.platform, identity=request.user)
                if actor is None:
                    reply = Reply(texts.UNKNOWN_USER)
                else:
                    ctx = Context(
                        store,
                        actor,
                        now,
                        request.platform,
                        request.channel,
                        from_thread,
                        request.source,
                    )
                    reply = self._dispatch(ctx, request, command)
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
        except StoreBusy as busy:
            logger.warning("the database was busy on %s: %s", request.platform, busy)
            return Reply(texts.STORE_BUSY)
        except Exception:
            logger.exception("command failed on %s", request.platform)
            return Reply(texts.INTERNAL_ERROR)
        for listener in self.on_commit:
            listener(request.platform)
        return reply

    def _dispatch(self, ctx: Context, request: Request, command: object) -> Reply:
        if isinstance(command, Unknown):
            return Reply(self.registry.unknown(command.word))
        spec = self.registry.for_command(command)
        if spec is None:
            raise TypeError(f"no command runs {command!r}")
        if spec.audience is Audience.ADMINS and not ctx.actor.is_admin:
            return Reply(texts.ADMIN_ONLY)
        if isinstance(command, OnQuestion) and command.ref is None:
            if request.thread_root:
                command = self._thread_question(ctx, request, command)
            if command.ref is None:
                return Reply(texts.REF_MISSING.format(command=spec.name))
        reply: Reply = spec.run(ctx, command)
        return reply

    @staticmethod
    def _thread_question(ctx: Context, request: Request, command: OnQuestion) -> OnQuestion:
        """In a card's thread a command about one question means that card's question."""
        assert request.thread_root is not None
        question = ctx.store.question_by_location(
            platform=request.platform,
            channel=request.channel or "",
            thread_root=request.thread_root,
        )
        return replace(command, ref=question.ref) if question else command
