"""Finding people from what users type: @mentions, platform ids, keys and names."""

from __future__ import annotations

import re

from handlers.kernel import Person, Store, UserError, match_choice, texts

_SLACK_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


def resolve_person(store: Store, platform: str, typed: str) -> Person:
    """The person meant by `typed`: a platform mention or id, a config key or a name."""
    token = typed.strip()
    if not token:
        raise UserError(texts.PERSON_UNKNOWN.format(typed=typed))
    slack = _SLACK_MENTION.fullmatch(token)
    candidates = [slack.group(1)] if slack else [token, token.lstrip("@")]
    for candidate in candidates:
        found = store.person_by_identity(platform=platform, identity=candidate)
        if found is not None:
            return found
    bare = token.lstrip("@").split(":", 1)[0]
    match = match_choice(bare, ((p, (p.key, p.name)) for p in store.people()))
    if match.value is not None:
        return match.value
    if match.ambiguous:
        names = texts.choices(p.name for p in match.candidates)
        raise UserError(texts.FIELD_AMBIGUOUS.format(typed=bare, plural="personer", valid=names))
    raise UserError(texts.PERSON_UNKNOWN.format(typed=token[:60]))
