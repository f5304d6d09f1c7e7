"""The console chat: Bryggan on the terminal, the same commands and replies as in Slack.

Interactive on a terminal; when stdin is not a terminal it reads lines, so a whole
conversation can be scripted. A line starting with `@name:` speaks as that configured user
(the key or first name, in any case); `>F-2026-0001 text` replies in that question's thread;
`/klocka +2d` moves the console's clock so that reminders and the weekly summary can be tried.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TextIO

from bot.console_clock import ConsoleClock, read_moment
from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.delivery import OutboxSender
from handlers.kernel import (
    STOCKHOLM,
    Ask,
    ChatLocation,
    Help,
    Person,
    redact_identity_numbers,
    texts,
)
from handlers.knowledge import suggestions_after_asking
from handlers.questions import CardView, card_lines
from storage.directory import PersonSpec, UnitSpec

PLATFORM = "console"
_SPEAKER = re.compile(r"^@(?P<name>[\w.\-åäöÅÄÖ]+):\s*(?P<text>.*)$")
_THREAD = re.compile(r"^>\s*(?P<ref>[Ff]-\d{4}-\d{1,6})\s+(?P<text>.+)$")
_CLOCK = re.compile(r"^/klocka(?:\s+(?P<when>.*))?$", re.IGNORECASE)
_STEP = timedelta(hours=1)
_MAX_STEPS = 14 * 24


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
        assignee = (
            texts.CONSOLE_CARD_ASSIGNEE.format(name=card.assignee.name)
            if card.assignee
            else texts.CONSOLE_CARD_NOBODY
        )
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


def clock_text(moment: datetime) -> str:
    """`måndag 7 december 2026 kl 09:00` (Stockholm time)."""
    local = moment.astimezone(STOCKHOLM)
    return texts.CONSOLE_NOW.format(day=texts.long_day(local.date()), time=f"{local:%H:%M}")


def person_line(person: PersonSpec, units: Sequence[UnitSpec]) -> str:
    """`@lisa: Lisa Ek, frågeställare (vården, Vuxenpsykiatri Kristianstad)`; a contact with
    the units she covers."""
    roles = ", ".join(texts.CONSOLE_ROLES.get(r, r) for r in person.roles)
    details = [texts.CONSOLE_SIDES.get(person.default_direction or "", "")]
    details += [u.name for u in units if u.slug == person.default_unit]
    details += [
        u.name
        for u in units
        if u.slug != person.default_unit and any(person.key in k for k in u.contacts.values())
    ]
    extra = ", ".join(d for d in details if d)
    return texts.CONSOLE_PERSON.format(
        key=person.key, name=person.name, roles=roles, extra=f" ({extra})" if extra else ""
    )


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
        self.since = app.core.clock()
        """Weekly summaries whose moment passes after this are shown (no catch-up at start)."""
        self._lock = threading.RLock()

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def _reply(self, text: str) -> None:
        self._print("Bryggan: " + text.replace("\n", "\n  "))

    def person_key(self, typed: str) -> str | None:
        """The configured person `@typed` means: her key or first name, in any case."""
        wanted = typed.casefold()
        for person in self.app.config.people:
            if wanted in (person.key.casefold(), person.name.split()[0].casefold()):
                return person.key
        return None

    def say(self, line: str) -> None:
        """Handle one typed line, as the current user or as `@name:`."""
        line = line.strip()
        if not line or line.startswith("#"):
            return
        with self._lock:
            speaker = _SPEAKER.match(line)
            if speaker:
                key = self.person_key(speaker.group("name"))
                if key is None:
                    people = ", ".join(f"@{p.key}" for p in self.app.config.people)
                    typed = speaker.group("name")
                    self._reply(texts.CONSOLE_UNKNOWN_PERSON.format(typed=typed, people=people))
                    return
                self.user, line = key, speaker.group("text")
                if not line:
                    return
            if self.echo:  # `--echo`: a piped transcript reads as a chat, numbers masked
                self._print(f"{self.user}> {redact_identity_numbers(line)}")
            clock = _CLOCK.match(line)
            if clock:
                self._clock(clock.group("when") or "")
                return
            self._handle(line)
            self.sender.drain()

    def _handle(self, line: str) -> None:
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
        if reply is None:
            return
        command = self.app.core.registry.parse(line) if not thread else None
        text = reply.text
        if isinstance(command, Help) and not command.topic.strip():
            text += "\n" + self.console_help()
        self._reply(text)
        if reply.accepted and isinstance(command, Ask):
            self._suggest(reply.ref)

    def console_help(self) -> str:
        """What only the console has: who you can be, and its clock."""
        lines = [texts.CONSOLE_HELP.format(user=self.user, now=clock_text(self.app.core.clock()))]
        lines += [person_line(p, self.app.config.units) for p in self.app.config.people]
        return "\n".join(lines)

    def _clock(self, typed: str) -> None:
        """`/klocka` shows the console's time; `/klocka <when>` moves it and runs what fell due."""
        clock = self.app.core.clock
        if not typed.strip():
            self._reply(texts.CONSOLE_CLOCK.format(now=clock_text(clock())))
            return
        moment = read_moment(typed, clock())
        if moment is None or not isinstance(clock, ConsoleClock):
            self._reply(texts.CONSOLE_CLOCK_BAD.format(typed=typed[:40]))
            return
        self._reply(texts.CONSOLE_CLOCK_MOVED.format(now=clock_text(moment)))
        self.advance(clock, moment)

    def advance(self, clock: ConsoleClock, moment: datetime) -> None:
        """Move the clock to `moment` an hour at a time (up to two weeks of steps), running
        what falls due at each step: a reminder is sent in its hour, as in a running
        Bryggan, not dropped as missed after a jump."""
        from bot.scheduler import run_due_now

        step = clock() + _STEP
        for _ in range(_MAX_STEPS):
            if step >= moment:
                break
            clock.move_to(step)
            run_due_now(self.app)
            self.sender.drain()
            step += _STEP
        clock.move_to(moment)
        self.tick()

    def tick(self) -> None:
        """Send what has fallen due (reminders, escalations, agendas) and the weekly summaries
        whose moment has passed since the console started, then print the deliveries."""
        from bot.scheduler import run_due_now
        from bot.weekly import (
            latest_moment,
            post_weekly_summary,
            weekly_settings,
            weekly_targets,
        )

        with self._lock:
            run_due_now(self.app)
            now = self.app.core.clock()
            settings = weekly_settings(self.app.config)
            for target in weekly_targets(self.app, settings):
                if self.since < latest_moment(target, now) <= now:
                    post_weekly_summary(
                        self.app.core.stores, self.app.core.clock, target, settings.chart_dir
                    )
            self.sender.drain()

    def _suggest(self, ref: str | None) -> None:
        """Entries like the question just registered, after its reply (never before)."""
        suggestion = suggestions_after_asking(self.app.core.stores, ref)
        if suggestion:
            self._reply(suggestion)

    def _channel_of(self, ref: str) -> str | None:
        with self.app.stores() as store:
            question = store.question_by_ref(ref=ref)
            return question.location.channel if question and question.location else None

    def run(self, lines: Iterable[str]) -> None:
        self.tick()
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
