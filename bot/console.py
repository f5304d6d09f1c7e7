"""The console chat: Bryggan on the terminal, the same commands and replies as in Slack.

Interactive on a terminal; when stdin is not a terminal it reads lines, so a whole
conversation can be scripted. A line starting with `@name:` speaks as that configured user;
`>F-2026-0001 text` replies in that question's thread.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TextIO

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.delivery import OutboxSender
from handlers.kernel import Ask, ChatLocation, Person, redact_identity_numbers, texts
from handlers.knowledge import suggestions_after_asking
from handlers.questions import CardView, card_lines

PLATFORM = "console"
_SPEAKER = re.compile(r"^@(?P<name>[\w.\-åäöÅÄÖ]+):\s*(?P<text>.*)$")
_THREAD = re.compile(r"^>\s*(?P<ref>[Ff]-\d{4}-\d{1,6})\s+(?P<text>.+)$")


@dataclass
class ConsoleMessenger:
    """Prints what would be posted in a channel, a thread or a direct message (the
    delivery's `key` is not needed: nothing here can be sent twice)."""

    write: Callable[[str], None]
    platform: str = PLATFORM
    posted: list[str] = field(default_factory=list)

    def post_card(self, *, channel: str, card: CardView, key: str) -> ChatLocation:
        self._out(f"[#{channel}] " + "\n    ".join(card_lines(card)))
        return ChatLocation(PLATFORM, channel, card.ref)

    def update_card(self, *, location: ChatLocation, card: CardView, key: str) -> None:
        assignee = card.assignee.name if card.assignee else texts.NO_ONE
        update = texts.CONSOLE_CARD_UPDATE.format(
            emoji=card.status_emoji, ref=card.ref, status=card.status_label, assignee=assignee
        )
        self._out(f"[#{location.channel}] {update}")

    def post_in_thread(self, *, location: ChatLocation, text: str, key: str) -> None:
        self._out(f"[#{location.channel} ↳ {location.thread_root}] " + text.replace("\n", " "))

    def notify(self, *, person: Person, identity: str | None, text: str, key: str) -> None:
        self._out(f"[{texts.CONSOLE_TO.format(name=person.name)}] {text}")

    def post_message(self, *, channel: str, text: str, attachment: str | None, key: str) -> None:
        suffix = f"\n    ({texts.CONSOLE_ATTACHMENT.format(path=attachment)})" if attachment else ""
        self._out(f"[#{channel}] " + text.replace("\n", "\n    ") + suffix)

    def _out(self, text: str) -> None:
        self.posted.append(text)
        self.write(text)


class Console:
    """Reads lines, speaks as the current user, prints replies and deliveries."""

    def __init__(self, app: Bryggan, out: TextIO = sys.stdout, *, echo: bool = True) -> None:
        self.app = app
        self.out = out
        self.echo = echo
        self.user = app.config.console_user or (
            app.config.people[0].key if app.config.people else ""
        )
        self.messenger = ConsoleMessenger(self._print)
        self.sender = OutboxSender(app.core.stores, self.messenger, app.core.clock)

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def say(self, line: str) -> None:
        """Handle one typed line, as the current user or as `@name:`."""
        line = line.strip()
        if not line or line.startswith("#"):
            return
        speaker = _SPEAKER.match(line)
        if speaker:
            self.user, line = speaker.group("name"), speaker.group("text")
            if not line:
                return
        if self.echo:  # piped lines are echoed so a transcript reads as a chat, numbers masked
            self._print(f"{self.user}> {redact_identity_numbers(line)}")
        thread = _THREAD.match(line)
        if thread:
            ref = thread.group("ref").upper()
            request = Request(
                PLATFORM,
                self.user,
                thread.group("text"),
                channel=self._channel_of(ref),
                thread_root=ref,
            )
            reply = self.app.core.handle_thread_message(request)
        else:
            reply = self.app.core.handle(Request(PLATFORM, self.user, line))
        if reply is not None:
            self._print("Bryggan: " + reply.text.replace("\n", "\n  "))
            if reply.accepted and isinstance(self.app.core.registry.parse(line), Ask):
                self._suggest(reply.ref)
        self.sender.drain()

    def _suggest(self, ref: str | None) -> None:
        """Entries like the question just registered, after its reply (never before)."""
        suggestion = suggestions_after_asking(self.app.core.stores, ref)
        if suggestion:
            self._print("Bryggan: " + suggestion.replace("\n", "\n  "))

    def _channel_of(self, ref: str) -> str | None:
        with self.app.stores() as store:
            question = store.question_by_ref(ref=ref)
            return question.location.channel if question and question.location else None

    def run(self, lines: Iterable[str]) -> None:
        self.sender.drain()
        for line in lines:
            self.say(line)


def interactive_lines(console: Console) -> Iterable[str]:
    """Prompted input on a terminal; plain lines otherwise."""
    if not sys.stdin.isatty():
        yield from sys.stdin
        return
    console.echo = False
    print(texts.CONSOLE_GREETING)
    while True:
        try:
            yield input(f"{console.user}> ")
        except EOFError:
            return
