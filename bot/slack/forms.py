"""The modals: a new question (with consent details when samtycke is chosen), the
confirmation that replaces it, and "Flytta" (pick a person).

The ask modal's block ids are the core's form field names, so a refusal naming a field
(`Reply.field`) becomes an error on that block without a lookup table per field.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.slack.blocks import MAX_VIEW_BLOCKS, SEARCH_KNOWLEDGE_ACTION, Block, button, clip, plain
from handlers.kernel import Ask, ConsentForm, ConsentGiven, Direction, Typed, texts
from handlers.questions import AskChoices

ASK_VIEW = "bryggan_fraga"
FORWARD_VIEW = "bryggan_flytta"
CONSENT_ACTION = "bryggan_samtycke"
FORWARD_BLOCK = "person"
TEXT_BLOCK = "text"
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_TITLE = 24
_DEIDENTIFIED, _CONSENT = "avidentifierad", "samtycke"
_OLD_DIRECTIONS = {"vård-fk": Direction.VARD_TILL_FK, "fk-vård": Direction.FK_TILL_VARD}
"""Option values of forms opened before the options carried `Direction` values."""


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text, MAX_OPTION_TEXT), "value": value}


def _input(block_id: str, label: str, element: Block, *, optional: bool = False) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": {"action_id": block_id, **element},
        "optional": optional,
    }
    return block


def _choice(kind: str, options: list[dict[str, Any]], initial: str | None) -> Block:
    element: Block = {"type": kind, "options": options[:MAX_OPTIONS]}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    return element


def modal(callback_id: str, title: str, blocks: list[Block], **extra: Any) -> Block:
    """A modal view with Swedish close (and, when `submit` is given, submit) labels."""
    view: Block = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MAX_TITLE),
        "close": plain(texts.SLACK_CANCEL, MAX_TITLE),
        "blocks": blocks[:MAX_VIEW_BLOCKS],
    }
    if "submit" in extra:
        extra["submit"] = plain(extra["submit"], MAX_TITLE)
    return {**view, **extra}


def ask_modal(choices: AskChoices, channel: str | None, *, consent: bool = False) -> Block:
    """The question form from the core's choices; with `consent`, also who obtained
    consent, when and how. `channel` is where the form was opened (its unit's default)."""
    units = [_option(u.name, u.slug) for u in choices.units]
    categories = [_option(c.name, c.slug) for c in choices.categories]
    directions = [_option(texts.DIRECTION[d], d.value) for d in Direction]
    direction = choices.direction.value if choices.direction else None
    modes = [
        _option(texts.SLACK_CONSENT_NONE, _DEIDENTIFIED),
        _option(texts.SLACK_CONSENT_GIVEN, _CONSENT),
    ]
    consent_element = _choice("radio_buttons", modes, _CONSENT if consent else _DEIDENTIFIED)
    consent_block = _input("samtycke_val", texts.CARD_LABELS["consent"], consent_element)
    consent_block["dispatch_action"] = True
    consent_block["element"]["action_id"] = CONSENT_ACTION
    search_first = button(texts.SLACK_FORM_SEARCH_FIRST, SEARCH_KNOWLEDGE_ACTION, "fraga")
    blocks = [
        {"type": "actions", "block_id": "kunskapsbanken", "elements": [search_first]},
        _input("enhet", texts.CARD_LABELS["unit"], _choice("static_select", units, choices.unit)),
        _input(
            "kategori", texts.CARD_LABELS["category"], _choice("static_select", categories, None)
        ),
        _input(
            "riktning",
            texts.CARD_LABELS["direction"],
            _choice("radio_buttons", directions, direction),
        ),
        consent_block,
    ]
    if consent:
        blocks += _consent_blocks()
    blocks += [
        _input("frist", texts.CARD_LABELS["deadline"], {"type": "datepicker"}, optional=True),
        _input(
            TEXT_BLOCK,
            texts.SLACK_LABEL_QUESTION,
            {"type": "plain_text_input", "multiline": True, "max_length": 2000},
        ),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": texts.SLACK_FORM_PRIVACY}]},
    ]
    metadata = json.dumps({"channel": channel})
    return modal(
        ASK_VIEW,
        texts.SLACK_FORM_TITLE,
        blocks,
        submit=texts.SLACK_FORM_SUBMIT,
        private_metadata=metadata,
    )


def _consent_blocks() -> list[Block]:
    forms = [_option(texts.SLACK_CONSENT_FORMS[f.value], f.value) for f in ConsentForm]
    obtained_by = {"type": "plain_text_input", "max_length": 80}
    obtained_by["placeholder"] = plain(texts.SLACK_CONSENT_BY_HINT, 150)
    return [
        _input("samtycke", texts.SLACK_LABEL_CONSENT_FORM, _choice("radio_buttons", forms, None)),
        _input("samtycke_av", texts.SLACK_LABEL_CONSENT_BY, obtained_by, optional=True),
        _input("samtycke_datum", texts.SLACK_LABEL_CONSENT_DATE, {"type": "datepicker"}),
    ]


def consent_chosen(values: dict[str, Any]) -> bool:
    """Whether the form's consent radio says "med samtycke"."""
    return _value(values, "samtycke_val", CONSENT_ACTION) == _CONSENT


def ask_command(values: dict[str, Any]) -> Ask:
    """The typed question from a submitted ask modal: the pickers' values as they are.
    Raises ValueError for a value no form of ours sends."""
    consent = None
    if consent_chosen(values):
        form = _value(values, "samtycke")
        consent = ConsentGiven(
            form=ConsentForm(form) if form else Typed(""),  # refused on its field
            obtained_by=_value(values, "samtycke_av") or None,
            obtained_on=_day(_value(values, "samtycke_datum")),
        )
    direction = _value(values, "riktning")
    return Ask(
        text=_value(values, TEXT_BLOCK),
        unit=_value(values, "enhet") or None,
        category=_value(values, "kategori") or None,
        direction=_OLD_DIRECTIONS.get(direction) or (Direction(direction) if direction else None),
        deadline=_day(_value(values, "frist")),
        consent=consent,
    )


def _day(picked: str) -> date | None:
    """A date picker's `YYYY-MM-DD`, or None when nothing was picked."""
    return date.fromisoformat(picked) if picked else None


def _value(values: dict[str, Any], block_id: str, action_id: str | None = None) -> str:
    state = values.get(block_id, {}).get(action_id or block_id) or {}
    option = state.get("selected_option") or {}
    found = state.get("value") or option.get("value") or state.get("selected_date")
    return str(found or state.get("selected_user") or "").strip()


def field_errors(field: str | None, text: str, values: dict[str, Any]) -> dict[str, str]:
    """`response_action: errors` for a refusal: on its field's block, else on the text."""
    block = field if field in values else TEXT_BLOCK
    return {block: clip(text, 2000)}


def confirmation(text: str) -> Block:
    """The view that replaces the form once the question is registered."""
    return modal(
        "bryggan_tack",
        texts.SLACK_THANKS_TITLE,
        [{"type": "section", "text": plain(text)}],
    )


def forward_modal(ref: str, channel: str | None) -> Block:
    """ "Flytta": pick the person who takes over `ref`."""
    picker = {"type": "users_select", "placeholder": plain(texts.SLACK_FORWARD_HINT, 150)}
    return modal(
        FORWARD_VIEW,
        texts.SLACK_FORWARD_TITLE,
        [_input(FORWARD_BLOCK, texts.SLACK_FORWARD_LABEL.format(ref=ref), picker)],
        submit=texts.SLACK_BUTTON_FORWARD,
        private_metadata=json.dumps({"ref": ref, "channel": channel}),
    )


def forward_target(values: dict[str, Any]) -> str:
    """The Slack user id picked in the "Flytta" modal."""
    return _value(values, FORWARD_BLOCK)


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    """A view's `private_metadata`, decoded; {} when absent or not ours."""
    try:
        found = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
