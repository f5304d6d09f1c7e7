"""`/kunskap` and `/sök`: the knowledge bank's commands, declared here and registered at
wiring like `/puls` and `/statistik`.

`/kunskap <sökord>` and `/sök <sökord>` search; `/kunskap spara|visa|löste|granska|granskad|
ändra|arkivera|slå ihop|hjälp …` do the rest (see `texts.KNOWLEDGE_DETAILS`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from handlers.kernel import (
    Audience,
    CommandSpec,
    Context,
    Extension,
    Reply,
    UserError,
    canonical_ref,
    extension,
    fold,
    texts,
)
from handlers.kernel.commands import ResolvedByKnowledge, SaveKnowledge
from handlers.knowledge.bank import ENTRY_PATTERN, draft, entry_id, save, search, show
from handlers.knowledge.intake import resolved_by_entry
from handlers.knowledge.keeping import edit, list_due, merge, retire, reviewed

_PAGE = re.compile(r"\bsida:(\d{1,3})\b", re.IGNORECASE)
_CONFIRMED = {"bekraftat", "bekraftar", "bekrafta", "ja"}


def _split(rest: str) -> list[str]:
    return [part.strip() for part in rest.split("|")]


def _save(ctx: Context, rest: str) -> Reply:
    """`spara F-…` shows the draft; `spara F-… <rubrik> | <text> | bekräftat` saves."""
    command = _parse_save(rest)
    if not command.title and not command.body:
        return draft(ctx, command.ref)
    return save(ctx, command.ref, command.title, command.body, confirmed=command.confirmed)


def _resolved(ctx: Context, rest: str) -> Reply:
    return resolved_by_entry(ctx, canonical_ref(rest), rest)


def _edit(ctx: Context, rest: str) -> Reply:
    entry, _, text = rest.strip().partition(" ")
    parts = _split(text)
    return edit(ctx, entry, parts[0], " | ".join(parts[1:]))


def _merge(ctx: Context, rest: str) -> Reply:
    labels = ENTRY_PATTERN.findall(rest)
    if len(labels) != 2:
        raise UserError(texts.KNOWLEDGE_ENTRY_MISSING)
    return merge(ctx, f"K-{labels[0]}", f"K-{labels[1]}")


def _search(ctx: Context, arguments: str) -> Reply:
    page = _PAGE.search(arguments)
    query = _PAGE.sub(" ", arguments)
    return search(ctx, query, int(page.group(1)) if page else 1)


def knowledge_command(ctx: Context, arguments: str) -> Reply:
    """The /kunskap extension: a subcommand, or else a search."""
    head, _, rest = arguments.strip().partition(" ")
    action = fold(head)
    if action == "sla" and fold(rest.split(" ", 1)[0]) == "ihop":
        return _merge(ctx, rest)
    runs: dict[str, Callable[[Context, str], Reply]] = {
        "spara": _save,
        "visa": show,
        "loste": _resolved,
        "granska": lambda ctx, _rest: list_due(ctx),
        "granskad": reviewed,
        "andra": _edit,
        "arkivera": retire,
        "hjalp": lambda _ctx, _rest: Reply(texts.KNOWLEDGE_DETAILS),
    }
    if action in runs:
        return runs[action](ctx, rest)
    if not action:
        return Reply(texts.KNOWLEDGE_DETAILS)
    return _search(ctx, arguments)


KNOWLEDGE_COMMAND: CommandSpec[Extension] = extension(
    "kunskap",
    knowledge_command,
    summary=texts.KNOWLEDGE_SUMMARY,
    usage=texts.KNOWLEDGE_USAGE,
    details=texts.KNOWLEDGE_DETAILS,
    aliases=("kunskapsbanken",),
)
"""`/kunskap …`, registered with the core at wiring."""

SEARCH_COMMAND: CommandSpec[Extension] = extension(
    "sök",
    _search,
    summary=texts.KNOWLEDGE_SEARCH_SUMMARY,
    usage="<sökord>",
    details=texts.KNOWLEDGE_DETAILS,
)
"""`/sök <sökord>`, registered with the core at wiring."""


def _parse_save(arguments: str) -> SaveKnowledge:
    """`F-… <rubrik> | <text> | bekräftat`, as typed after `/spara-kunskap`."""
    ref = canonical_ref(arguments)
    after_ref = re.sub(r"^\s*[Ff]-?\d{4}-\d{1,6}", "", arguments, count=1).strip()
    parts = _split(after_ref) if after_ref else [""]
    confirmed = len(parts) > 2 and fold(parts[-1]) in _CONFIRMED
    body = " | ".join(parts[1:-1] if confirmed else parts[1:])
    return SaveKnowledge(ref, parts[0], body, confirmed)


SAVE_COMMAND: CommandSpec[SaveKnowledge] = CommandSpec(
    name="spara-kunskap",
    kind=SaveKnowledge,
    parse=_parse_save,
    run=lambda ctx, c: save(ctx, c.ref, c.title, c.body, confirmed=c.confirmed),
    summary=texts.KNOWLEDGE_SAVE_SUMMARY,
    usage="F-… <rubrik> | <text> | bekräftat",
    audience=Audience.CONTACTS,
    listed=False,
)
"""The typed form of `/kunskap spara` (Slack's modal builds `SaveKnowledge` directly)."""

RESOLVED_COMMAND: CommandSpec[ResolvedByKnowledge] = CommandSpec(
    name="löste",
    kind=ResolvedByKnowledge,
    parse=lambda arguments: ResolvedByKnowledge(canonical_ref(arguments), entry_id(arguments) or 0),
    run=lambda ctx, c: resolved_by_entry(ctx, c.ref, f"K-{c.entry}" if c.entry else ""),
    summary=texts.KNOWLEDGE_RESOLVED_SUMMARY,
    usage="F-… K-…",
    listed=False,
)
"""The typed form of `/kunskap löste` (Slack's "Det löste min fråga" button)."""
