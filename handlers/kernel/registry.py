"""The command registry: every command declared once.

A `CommandSpec` holds a command's name, its other words (ASCII forms come from folding),
its arguments, who may run it, its one-line and full help, how typed arguments become a
typed command and what runs it. Parsing, `/hjälp`, `/hjälp <kommando>`, "menade du …?" and
every adapter's command hints come from the registry, so a command added here appears in
the console, Slack and Matrix at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from handlers.kernel import texts
from handlers.kernel.commands import Extension, Help, OnQuestion, Unknown
from handlers.kernel.context import Context, Reply
from handlers.kernel.matching import fold

C = TypeVar("C")

PREFIXES = "/!"
"""A typed command starts with `/` (console, Slack) or `!` (Matrix), or nothing (Slack's
`/bryggan <command>` carries the rest of the line)."""
_HINT = re.compile(r"(?<![\w/!])/(?P<word>[^\W\d_][\w-]*)")


class Audience(StrEnum):
    """Who may run a command (questions also check their own audience)."""

    ANYONE = "anyone"
    CONTACTS = "contacts"
    ADMINS = "admins"


@dataclass(frozen=True)
class CommandSpec(Generic[C]):
    name: str
    """The Swedish command word, as help shows it: `fråga`."""
    kind: type[C]
    """The typed command it produces; the core finds the spec to run by this type."""
    parse: Callable[[str], C]
    """Typed arguments (the rest of the line) → the typed command."""
    run: Callable[[Context, C], Reply]
    summary: str
    """One line for `/hjälp`."""
    usage: str = ""
    """The arguments, for `/hjälp`: `F-… <text>`."""
    details: str = ""
    """The full help for `/hjälp <kommando>`; the summary when empty."""
    aliases: tuple[str, ...] = ()
    """Other words for it (`mina`, `help`); folded ASCII forms (`fraga`) come by themselves."""
    audience: Audience = Audience.ANYONE
    listed: bool = True
    """Shown in `/hjälp` (the help command itself is not)."""

    @property
    def needs_ref(self) -> bool:
        """It acts on one question; in a card's thread the reference may be left out."""
        return issubclass(self.kind, OnQuestion)

    @property
    def words(self) -> frozenset[str]:
        """Every folded word that names this command."""
        return frozenset(fold(word) for word in (self.name, *self.aliases))

    def line(self) -> str:
        """`/ta F-… – ta en fråga`: the command's line in `/hjälp`."""
        usage = f" {self.usage}" if self.usage else ""
        return f"/{self.name}{usage} – {self.summary}"


Invocation = Callable[[CommandSpec[Any], str], str]
"""How a person invokes a command on one platform, given its spec and the word used:
`/frågor` in the console, `!frågor` in Matrix, `/bryggan frågor` in Slack."""


@dataclass
class Registry:
    """The commands one core understands; extensions register theirs at wiring."""

    specs: list[CommandSpec[Any]] = field(default_factory=list)

    def register(self, spec: CommandSpec[Any]) -> None:
        taken = {word for known in self.specs for word in known.words}
        clash = spec.words & taken
        if clash:
            raise ValueError(f"command words already taken: {sorted(clash)}")
        self.specs.append(spec)

    def __iter__(self) -> Iterator[CommandSpec[Any]]:
        return iter(self.specs)

    def find(self, word: str) -> CommandSpec[Any] | None:
        """The command a typed word names (case, å/ä/ö and a leading `/` or `!` forgiven)."""
        key = fold(word.lstrip(PREFIXES))
        return next((spec for spec in self.specs if key in spec.words), None)

    def for_command(self, command: object) -> CommandSpec[Any] | None:
        """The spec that runs a typed command."""
        if isinstance(command, Extension):
            return self.find(command.name)
        return next((spec for spec in self.specs if isinstance(command, spec.kind)), None)

    # typed lines -------------------------------------------------------------------------

    def parse(self, line: str) -> object:
        """One typed line (`/ta F-2026-0042`, `!frågor`, `ta F-1`) → a typed command."""
        stripped = line.strip().lstrip(PREFIXES).strip()
        if not stripped:
            return Help()
        head, _, rest = stripped.partition(" ")
        spec = self.find(head)
        if spec is None:
            return Unknown(head[:40])
        return spec.parse(rest.strip())

    def parse_arguments(self, name: str, arguments: str) -> object:
        """A command whose word the platform gave (Slack's `/fraga`) with typed arguments."""
        spec = self.find(name)
        return spec.parse(arguments.strip()) if spec else Unknown(name[:40])

    # help ----------------------------------------------------------------------------------

    def help(self, topic: str = "") -> str:
        """`/hjälp`: every command on a line; `/hjälp <kommando>`: that command in full."""
        if topic.strip():
            spec = self.find(topic.split()[0][:40])
            if spec is None:
                return self.unknown(topic.split()[0])
            return f"/{spec.name} {spec.usage}".rstrip() + "\n" + (spec.details or spec.summary)
        lines = [spec.line() for spec in self.specs if spec.listed]
        return "\n".join([texts.HELP_INTRO, *lines, texts.HELP_OUTRO])

    def suggest(self, word: str) -> str | None:
        """The command a misspelled word most likely meant. Only the first 40 characters
        are compared: difflib's work grows with the square of a word's length, and no
        command word is that long."""
        key = fold(word[:40])
        if not key:
            return None
        names = {w: spec for spec in self.specs for w in spec.words}
        close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.6)
        starts = [w for w in names if w.startswith(key) or key.startswith(w)]
        best = close[0] if close else (starts[0] if len(starts) == 1 else None)
        return names[best].name if best else None

    def unknown(self, word: str) -> str:
        """The refusal of an unknown command word, with a "menade du …?" when one is near."""
        suggestion = self.suggest(word)
        if suggestion:
            return texts.UNKNOWN_COMMAND_SUGGEST.format(word=word[:40], suggestion=suggestion)
        return texts.UNKNOWN_COMMAND.format(word=word[:40])

    # hints ---------------------------------------------------------------------------------

    def render_hints(self, text: str, invoke: Invocation) -> str:
        """Rewrite the command hints in a core text (`/ta F-…`) the way a platform's users
        type them; words that are not commands (`/12`, `vård/FK`) stay as they are."""

        def swap(found: re.Match[str]) -> str:
            spec = self.find(found.group("word"))
            return invoke(spec, found.group("word")) if spec else found.group(0)

        return _HINT.sub(swap, text)


def prefixed(prefix: str) -> Invocation:
    """Commands typed with a prefix: `/frågor` (console) or `!frågor` (Matrix)."""
    return lambda _spec, word: f"{prefix}{word}"


def extension(
    name: str,
    run: Callable[[Context, str], Reply],
    *,
    summary: str,
    usage: str = "",
    details: str = "",
    aliases: tuple[str, ...] = (),
) -> CommandSpec[Extension]:
    """A command with its own sub-grammar (`puls`, `statistik`): it reads its arguments."""
    return CommandSpec(
        name=name,
        kind=Extension,
        parse=lambda arguments: Extension(name, arguments),
        run=lambda ctx, command: run(ctx, command.arguments),
        summary=summary,
        usage=usage,
        details=details,
        aliases=aliases,
    )
