"""The short Swedish refusal of a text that holds an identity number.

Says where the number was typed (the question text, a field, a thread reply, a meeting
point…) and, when a number could as well be a phone number written without spaces, how to
write a phone number so that it passes. The number itself is never echoed.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from handlers.kernel import texts
from handlers.kernel.commands import Answer, Ask, Extension
from handlers.kernel.privacy import find_identity_numbers

_BARE_TEN_DIGITS = re.compile(r"0\d{9}")
"""A bare ten-digit number starting with 0: a mobile or area code, or someone born 2000-09."""
_ASK_FIELDS = {
    "unit": "enhet",
    "category": "kategori",
    "direction": "riktning",
    "deadline": "frist",
    "consent": "samtycke_av",
    "pulse": "puls",
}
_EXTENSION_PLACES = {
    "punkt": "pulse_item",
    "anteckning": "pulse_note",
    "anteckna": "pulse_note",
}


def identity_refusal(text: str, place: str = "message", field: str = "") -> str | None:
    """The refusal for `text` typed at `place` (a key of `texts.IDENTITY_PLACES`; `field`
    names the field for "field"), or None when the text holds no identity number."""
    found = find_identity_numbers(text)
    if not found:
        return None
    where = texts.IDENTITY_PLACES[place].format(field=field)
    refusal = texts.IDENTITY_NUMBER.format(place=where)
    if any(_BARE_TEN_DIGITS.fullmatch(number) for number in found):
        refusal += texts.IDENTITY_NUMBER_PHONE
    return refusal


def command_refusal(command: object, guarded: str, *, from_thread: bool = False) -> str | None:
    """The refusal for a command whose text (`guarded`: what was typed, or every string of
    a typed command) holds an identity number, naming the part of the command it was in."""
    if not find_identity_numbers(guarded):
        return None
    place, field = _place(command, from_thread)
    return identity_refusal(guarded, place, field)


def _place(command: object, from_thread: bool) -> tuple[str, str]:
    if from_thread:
        return "thread", ""
    if isinstance(command, Answer):
        return "answer", ""
    if isinstance(command, Ask):
        if find_identity_numbers(command.text):
            return "question", ""
        for attribute, key in _ASK_FIELDS.items():
            if any(find_identity_numbers(s) for s in _strings(getattr(command, attribute))):
                return "field", key
        return "question", ""
    if isinstance(command, Extension):
        words = command.arguments.split(maxsplit=1)
        if command.name == "puls" and words:
            return _EXTENSION_PLACES.get(words[0].lower(), "message"), ""
        if command.name == "kunskap":
            return "knowledge_text", ""
    return "message", ""


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in _strings(getattr(value, f.name))]
    return []
