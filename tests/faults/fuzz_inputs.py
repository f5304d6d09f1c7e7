"""Generated user input for the fuzz test: command lines over every grammar, thread replies
and question forms, built from a seeded `random.Random` (deterministic, and fast enough to
produce 100,000 inputs in a few seconds).

The pieces are what users and attackers actually type: every command word and alias with
`/`, `!` or nothing in front, fields with good, half-good and bad values, references
well-formed and not, dates in every shape, people, identity-number-like strings (which
must be refused, never stored), very long text, and hostile Unicode: bidi overrides,
zero-width and combining characters, lone surrogates, NUL and other control characters.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urlencode

CORE_WORDS = [
    "fråga", "fraga", "FRÅGA", "frågor", "fragor", "mina", "visa", "ta", "svara", "besvarad",
    "stäng", "stang", "återöppna", "ateroppna", "flytta", "frånvaro", "franvaro", "hjälp",
    "hjalp", "help", "kategori", "kategorier", "okänt", "", "f", "fr",
]  # fmt: skip
EXTENSION_WORDS = {
    "puls": [
        "ny", "skapa", "lista", "nästa", "kommande", "flytta", "ställ in", "stall in", "avsluta",
        "punkt", "anteckning", "anteckningar", "dagordning", "agenda", "hjälp", "okänd", "",
    ],
    "statistik": [
        "förra veckan", "denna vecka", "vecka 47", "v47", "november", "förra månaden", "Q3",
        "kvartal 4 2026", "2026", "i år", "i fjol", "senaste 30 dagarna", "igår", "",
    ],
}  # fmt: skip
FIELD_KEYS = [
    "enhet", "unit", "kategori", "kat", "riktning", "frist", "senast", "deadline",
    "samtycke", "samtycke_av", "samtyckeav", "samtycke_datum", "puls", "okänt", "ENHET",
]  # fmt: skip
VALUES = [
    "kristianstad", "kristian", "hassl", "hässleholm", "Vuxenpsykiatri Lund", "lund", "ystad",
    "sgi", "sgi_formaner", "rehab", "sjukpenning", "vård-fk", "fk-vård", "vard-fk", "till fk",
    "muntligt", "skriftligt", "nej", "ja", "avidentifierad", "Anna Berg", '"två ord"', "'",
    '"', "15/12", "2026-12-15", "31/2", "99/99/9999", "igår", "i morgon", "nästa tisdag",
    "om två veckor", "kl 13", "0", "-1", "1e9", "∞", "",
]  # fmt: skip
REFS = [
    "F-2026-0001", "F-2026-0002", "F-2026-0003", "F-2026-9999", "f-2026-0001", "F2026-0001",
    "F-2026-1", "F-20-1", "F-2026-00000001", "F-0000-0000", "F--", "F-2026-",
]  # fmt: skip
PEOPLE = ["@anna", "@sofia", "@berit", "anna", "@nobody", "@", "@@", "@lisa:localhost", "<@UANNA>"]
WHEN = [
    "varannan torsdag kl 13", "första tisdagen i månaden kl 10", "var tredje månad från 15 januari",
    "måndagar 9", "24/12", "24/12 kl 10", "till 25/12 kl 10", "till halv tio", "den 30 februari",
    "kl 25:61", "enheter:kristianstad,hassleholm", "länk:https://möte.example/puls",
    "länk:javascript:alert(1)", "helgdag:flytta", "helgdag:hoppa", 'namn:"Puls syd"', "1", "2",
    "serie:1", "serie:99", "F-2026-0001",
]  # fmt: skip
WORDS = [
    "Hur", "påverkas", "SGI", "om", "patienten", "går", "ner", "till", "50", "%", "?", "deltid",
    "sjukskrivning", "läkarutlåtande", "kvinna, 45 år", "tel 070-123 45 67", "2026-11-22",
    "org.nr 556677-8899", "F43.2", "12 000 kr", "ärende 1234567", "postnr 291 31", "och", "—",
]  # fmt: skip
IDENTITY_LIKE = [
    "19121212-1212", "121212-1212", "1212121212", "201212121212", "19121272-1219",
    "121272+1219", "19 121212-1212", "pnr 121212–1212",
]  # fmt: skip
HOSTILE = [
    "\u202e", "\u200b", "\u200d", "\ufeff", "\u0301", "e\u0301\u0301\u0301", "\ud800", "\udfff",
    "\x00", "\x07", "\x1b[31m", "\r\n", "\t", "\u2028", "🧠", "👩‍⚕️", "ﷺ", "𝔉", "Ω", "ǅ",
    "<script>", "&amp;", "*fet*", "`kod`", "<!channel>", "<@U0>", "%s", "{ref}", "{}", "\\",
    "'; DROP TABLE questions; --", "ﬃ", "İ", "ß", "ǰ",
]  # fmt: skip
LONG = [200, 1999, 2000, 2001, 5000, 20000]


class Inputs:
    """One generator; every method returns a fresh random input."""

    def __init__(self, seed: int, extensions: Iterable[str]) -> None:
        self.random = random.Random(seed)
        self.extensions = sorted(extensions)

    def pick(self, pool: list[str]) -> str:
        return self.random.choice(pool)

    def piece(self) -> str:
        """One token of free text: mostly words, sometimes something nasty."""
        roll = self.random.random()
        if roll < 0.55:
            return self.pick(WORDS)
        if roll < 0.65:
            return self.pick(REFS)
        if roll < 0.72:
            return self.pick(IDENTITY_LIKE)
        if roll < 0.90:
            return self.pick(HOSTILE)
        if roll < 0.95:
            return self.pick(PEOPLE)
        return "".join(chr(self.random.randrange(1, 0x30000)) for _ in range(3))

    def text(self) -> str:
        """Free text: empty, a few pieces, or very long."""
        roll = self.random.random()
        if roll < 0.05:
            return ""
        if roll < 0.10:
            length = self.pick([str(n) for n in LONG])
            return (self.pick(WORDS) + " ") * (int(length) // 4)
        sep = self.pick([" ", " ", "  ", "\n", ""])
        return sep.join(self.piece() for _ in range(self.random.randint(1, 8)))

    def field(self) -> str:
        value = self.pick(VALUES) if self.random.random() < 0.85 else self.piece()
        return f"{self.pick(FIELD_KEYS)}:{value}"

    def command(self) -> str:
        """A command line in any grammar (console `/`, Matrix `!`, Slack's bare text)."""
        prefix = self.pick(["/", "/", "!", "", " /", "//"])
        if self.extensions and self.random.random() < 0.3:
            word = self.pick(self.extensions)
            sub = self.pick(EXTENSION_WORDS.get(word, [""]))
            args = [self.pick(WHEN) if self.random.random() < 0.7 else self.piece()]
            args += [self.text()] if self.random.random() < 0.3 else []
            return " ".join([f"{prefix}{self._case(word)}", sub, *args])
        word = self._case(self.pick(CORE_WORDS))
        parts: list[str] = []
        for _ in range(self.random.randint(0, 4)):
            kind = self.random.random()
            if kind < 0.35:
                parts.append(self.field())
            elif kind < 0.6:
                parts.append(self.pick(REFS))
            elif kind < 0.7:
                parts.append(self.pick(PEOPLE))
            elif kind < 0.8:
                parts.append(self.pick(WHEN))
            else:
                parts.append(self.text())
        return " ".join([f"{prefix}{word}", *parts])

    def form(self) -> dict[str, str]:
        """Fields of a question form: any subset, any values."""
        keys = ["enhet", "kategori", "riktning", "frist", "samtycke", "samtycke_av"]
        keys += ["samtycke_datum", "puls"]
        return {
            key: self.pick(VALUES) if self.random.random() < 0.8 else self.piece()
            for key in keys
            if self.random.random() < 0.7
        }

    def _case(self, word: str) -> str:
        roll = self.random.random()
        if roll < 0.1:
            return word.upper()
        if roll < 0.2:
            return word.capitalize()
        return word


# -- malformed Slack requests for the HTTP layer --------------------------------------------

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
WRONG = {
    "text": [5, 1.5, True, [], ["U1"], {"id": "U1"}],
    "object": ["U1", 5, True, [], [{"id": "U1"}]],
    "list": ["x", 5, {"action_id": "a"}, [5], ["x"], [None]],
    "ref": [5, 1.5, True, [], ["C1"], {"id": 5}],
}
"""Values of the wrong JSON type for a field that is text, an object, a list of objects, or
a reference (text, or an object whose id is text: a channel, a team)."""
USER = {"id": "ULISA", "username": "lisa", "team_id": "T0BRYGGAN"}
VIEW = {
    "id": "V1", "type": "modal", "callback_id": "bryggan_fraga", "hash": "1.x",
    "private_metadata": '{"channel": "CYSTAD"}',
    "state": {"values": {"fraga": {"fraga": {"type": "plain_text_input", "value": "Hur?"}}}},
}  # fmt: skip
TEMPLATES: dict[str, dict[str, Any]] = {
    "block_actions": {
        "type": "block_actions", "user": USER, "trigger_id": "1.2.x", "team": {"id": "T0BRYGGAN"},
        "channel": {"id": "CYSTAD"}, "container": {"type": "message", "message_ts": "1.1"},
        "actions": [{"type": "button", "action_id": "bryggan_ta", "value": "F-2026-0001"}],
    },
    "view_submission": {"type": "view_submission", "user": USER, "view": VIEW},
    "shortcut": {"type": "shortcut", "user": USER, "callback_id": "sc", "trigger_id": "1.2.x"},
    "dialog_submission": {
        "type": "dialog_submission", "user": USER, "callback_id": "d", "submission": {"a": "b"},
    },
    "block_suggestion": {
        "type": "block_suggestion", "user": USER, "action_id": "a", "block_id": "b", "value": "x",
    },
    "event_callback": {
        "type": "event_callback", "team_id": "T0BRYGGAN", "event_id": "Ev1",
        "authorizations": [{"team_id": "T0BRYGGAN", "user_id": "U0BRYGGAN", "is_bot": True}],
        "event": {
            "type": "message", "user": "UANNA", "text": "Nej.", "ts": "2.2", "thread_ts": "1.1",
            "channel": "CYSTAD", "channel_type": "channel",
        },
    },
    "url_verification": {"type": "url_verification", "token": "t", "challenge": "abc"},
}  # fmt: skip
FIELDS: dict[str, list[tuple[str, str]]] = {
    "block_actions": [
        ("user", "object"), ("user.id", "text"), ("actions", "list"), ("trigger_id", "text"),
        ("channel", "ref"), ("channel.id", "text"), ("container", "object"), ("team", "ref"),
        ("view", "object"),
    ],
    "view_submission": [
        ("user", "object"), ("user.id", "text"), ("view", "object"), ("view.callback_id", "text"),
        ("view.state", "object"), ("view.state.values", "object"), ("view.id", "text"),
        ("view.private_metadata", "text"),
    ],
    "shortcut": [("user", "object"), ("callback_id", "text"), ("trigger_id", "text")],
    "dialog_submission": [("user.id", "text"), ("callback_id", "text"), ("submission", "object")],
    "block_suggestion": [("user", "object"), ("action_id", "text"), ("value", "text")],
    "event_callback": [
        ("event", "object"), ("event.type", "text"), ("event_id", "text"), ("event.user", "text"),
        ("event.text", "text"), ("event.ts", "text"), ("event.thread_ts", "text"),
        ("event.channel", "ref"), ("authorizations", "list"), ("team_id", "text"),
    ],
    "url_verification": [("challenge", "text"), ("type", "text")],
}  # fmt: skip
"""The fields of each kind that bolt or the listeners read, with their JSON type."""
COMMAND = {
    "token": "t", "team_id": "T0BRYGGAN", "channel_id": "CYSTAD", "user_id": "ULISA",
    "command": "/fraga", "text": "kategori:sgi Hur?", "trigger_id": "1.2.x",
    "response_url": "https://hooks.slack.com/commands/1",
}  # fmt: skip


def encode(kind: str, data: Any) -> tuple[bytes, str]:
    """A Slack kind's body as Slack sends it: events as JSON, interactions as a form."""
    text = json.dumps(data)
    if kind in ("event_callback", "url_verification"):
        return text.encode(), JSON
    return urlencode({"payload": text}).encode(), FORM


def fixed_slack_requests() -> list[tuple[str, bytes, str]]:
    """(what, body, content type): the malformed shapes of every kind that are not a
    field's type: missing fields, bodies that are not what their content type says, bad
    encodings, empty and huge bodies."""
    cases: list[tuple[str, bytes, str]] = []
    for name in ("command", "text", "user_id", "channel_id", "team_id", "trigger_id"):
        form = {k: v for k, v in COMMAND.items() if k != name}
        cases.append((f"slash command without {name}", urlencode(form).encode(), FORM))
    for what, body in [
        ("slash command named without /", urlencode({**COMMAND, "command": "fraga"})),
        ("form of nothing", "&&&="), ("not a form", "Hur påverkas SGI?"), ("bad escapes", "%zz%"),
        ("payload not JSON", "payload=%7Bnot+json"), ("payload a list", "payload=%5B%5D"),
        ("payload a number", "payload=12"), ("payload null", "payload=null"),
        ("payload empty", "payload="), ("payload of no type", "payload=%7B%7D"),
        ("payload of unknown type", "payload=" + quote('{"type": "x", "user": {"id": "U"}}')),
        ("payload nested deep", "payload=" + "%5B" * 100_000),
        ("payload huge number", "payload=" + "9" * 5000), ("JSON sent as a form", '{"a": 1}'),
    ]:  # fmt: skip
        cases.append((what, body.encode(), FORM))
    for what, body in [
        ("JSON truncated", '{"type": "event_callback", "event": {'), ("JSON a list", "[]"),
        ("JSON a string", '"event_callback"'), ("JSON null", "null"), ("JSON empty", "{}"),
        ("JSON NaN id", '{"type": "event_callback", "event_id": NaN, "event": {"type": "m"}}'),
        ("JSON nested deep", "[" * 200_000), ("a form sent as JSON", urlencode(COMMAND)),
        ("JSON huge number", '{"type": "event_callback", "event_id": ' + "9" * 5000 + "}"),
    ]:  # fmt: skip
        cases.append((what, body.encode(), JSON))
    command = urlencode(COMMAND).encode()
    event, _ = encode("event_callback", TEMPLATES["event_callback"])
    cases += [
        ("empty form", b"", FORM),
        ("empty JSON", b"", JSON),
        ("command as text/plain", command, "text/plain"),
        ("command, no type", command, ""),
        ("event as multipart", event, "multipart/form-data; boundary=x"),
        ("event as a form", event, FORM),
        ("command as JSON", command, JSON),
        ("JSON not UTF-8", event.replace(b"Nej.", b"N\xe4j."), JSON),
        ("form not UTF-8", command + b"&x=\xff\xfe", FORM),
        ("JSON in UTF-16", json.dumps(TEMPLATES["url_verification"]).encode("utf-16"), JSON),
        ("overlong UTF-8", event.replace(b"Nej.", b"\xc0\xaf"), JSON),
        ("JSON nearly at the limit", b"[" + b"1," * 450_000 + b"1]", JSON),
    ]
    return cases


def mutated_slack_requests(rng: random.Random, count: int) -> list[tuple[str, bytes, str]]:
    """`count` bodies of every kind with one field (or a nested one) removed or of the
    wrong type; each is malformed (a field that may be absent is only ever retyped)."""
    cases = []
    for _ in range(count):
        kind = rng.choice(sorted(TEMPLATES))
        path, sort = rng.choice(FIELDS[kind])
        data = json.loads(json.dumps(TEMPLATES[kind]))
        *parents, name = path.split(".")
        holder = data
        for parent in parents:
            holder = holder[parent]
        required = name in holder and path not in OPTIONAL
        if required and rng.random() < 0.3:
            del holder[name]
            what = f"{kind} without {path}"
        else:
            holder[name] = rng.choice(WRONG[sort])
            what = f"{kind} with {path} = {holder[name]!r}"
        body, content_type = encode(kind, data)
        cases.append((what, body, content_type))
    return cases


OPTIONAL = {
    "trigger_id", "channel", "channel.id", "container", "team", "view", "view.state",
    "view.state.values", "view.id", "view.private_metadata", "event.user", "event.text",
    "event.ts", "event.thread_ts", "event.channel", "authorizations", "team_id",
}  # fmt: skip
"""Fields Slack may leave out: mutated only to a wrong type, never removed."""
