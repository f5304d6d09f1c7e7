"""Is a signed request one Slack could have sent? Checked at the HTTP edge, before bolt.

bolt and the listeners index the fields Slack always sends (`body["user"]["id"]`,
`payload["actions"][0]`, `view["state"]["values"]`, …) and parse the body while building a
`BoltRequest`; a body of another shape (signed by someone holding the secret, or mangled on
the way) made them raise, and the server answered 500 with a traceback in the log. So the
edge answers 400 instead for a body whose shape is not one of Slack's kinds: a slash
command form, an interactive `payload=<json>` form, an Events API JSON body, or Slack's
`ssl_check`. `problem` returns a short reason for the log (never the payload), or None.

The shapes are Slack's, as its request reference documents them; only the fields that bolt
or Bryggan's listeners read are checked, and for those only their JSON type.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

COMMAND_FIELDS = ("command", "text", "user_id", "channel_id", "team_id", "trigger_id")
"""What Slack sends with every slash command (values of a form are always text)."""

TEXTS = (
    "type", "subtype", "text", "ts", "thread_ts", "event_ts", "deleted_ts", "event_id",
    "team_id", "user_id", "channel_id", "trigger_id", "callback_id", "action_id", "block_id",
    "response_url", "api_app_id", "token", "private_metadata", "tab", "value", "hash", "id",
    "challenge", "enterprise_id", "user_team", "bot_id",
)  # fmt: skip
"""Fields that are text wherever Slack sends them (checked when present)."""
OBJECTS = (
    "event", "message", "previous_message", "item", "container", "view", "state",
    "function_data", "assistant_thread", "submission", "selected_option",
)  # fmt: skip
"""Fields that are JSON objects wherever Slack sends them (or null)."""
NESTED = ("event", "message", "previous_message", "item", "container", "view")


def problem(body: str, content_type: str) -> str | None:
    """Why `body` is not a Slack request of a known kind; None when it is one."""
    kind = content_type.split(";")[0].strip().lower()
    if kind == JSON:
        return _event_problem(body)
    if kind == FORM:
        return _form_problem(body)
    return "content type"


def _form_problem(body: str) -> str | None:
    if body.lstrip().startswith("{"):
        return "JSON in a form"  # bolt would read it as JSON whatever the content type
    form = dict(parse_qsl(body, keep_blank_values=True))
    if "payload" in form:
        return _interaction_problem(form["payload"])
    if "ssl_check" in form:
        return None
    missing = [name for name in COMMAND_FIELDS if name not in form]
    if missing:
        return f"slash command without {', '.join(missing)}"
    return None if form["command"].startswith("/") else "slash command name"


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        found = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return found if isinstance(found, dict) else None


def _event_problem(body: str) -> str | None:
    data = _json_object(body)
    if data is None:
        return "not a JSON object"
    kind = data.get("type")
    if kind == "url_verification":
        return None if isinstance(data.get("challenge"), str) else "challenge"
    if kind != "event_callback":
        return "event type"
    event = data.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return "event"
    if not isinstance(data.get("event_id"), str):
        return "event id"
    return _typed(data) or _people(event)


def _interaction_problem(payload: str) -> str | None:
    data = _json_object(payload)
    if data is None:
        return "payload not a JSON object"
    check = INTERACTIONS.get(str(data.get("type")))
    if check is None:
        return "payload type"
    user = data.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        return "user"
    return _typed(data) or check(data)


def _typed(data: dict[str, Any], depth: int = 0) -> str | None:
    """The fields of TEXTS and OBJECTS have their type, here and in the nested objects."""
    for name in TEXTS:
        if data.get(name) is not None and not isinstance(data[name], str):
            return name
    for name in OBJECTS:
        if data.get(name) is not None and not isinstance(data[name], dict):
            return name
    for name in ("team", "enterprise", "channel"):
        value = data.get(name)
        if isinstance(value, dict) and not isinstance(value.get("id", ""), str):
            return f"{name} id"
        if value is not None and not isinstance(value, str | dict):
            return name
    for name in ("authorizations", "response_urls", "actions"):
        value = data.get(name)
        if value is not None and not _objects(value):
            return name
    if depth < 2:
        for name in NESTED:
            if isinstance(data.get(name), dict):
                found = _typed(data[name], depth + 1)
                if found:
                    return f"{name}.{found}"
    return None


def _objects(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _people(event: dict[str, Any]) -> str | None:
    """An event's `user` is a user id (text); in a Home tab event too."""
    for where in (event, event.get("message") or {}, event.get("previous_message") or {}):
        if where.get("user") is not None and not isinstance(where["user"], str):
            return "event user"
    return None


def _actions(data: dict[str, Any]) -> str | None:
    actions = data.get("actions")
    if not actions or not all(isinstance(a.get("action_id"), str) for a in actions):
        return "actions"
    return _view(data, required=False)


def _view(data: dict[str, Any], required: bool = True) -> str | None:
    view = data.get("view")
    if view is None and not required:
        return None
    if not isinstance(view, dict) or not isinstance(view.get("callback_id", ""), str):
        return "view"
    values = (view.get("state") or {}).get("values", {})
    blocks = values.values() if isinstance(values, dict) else [None]
    if not all(isinstance(b, dict) and _objects(list(b.values())) for b in blocks):
        return "view state"
    if required and not isinstance(view.get("callback_id"), str):
        return "view callback"
    meta = _json_object(view.get("private_metadata") or "{}") or {}
    if any(meta.get(k) is not None and not isinstance(meta[k], str) for k in ("channel", "ref")):
        return "view metadata"
    return None


def _needs(*names: str) -> Callable[[dict[str, Any]], str | None]:
    def check(data: dict[str, Any]) -> str | None:
        missing = [name for name in names if not isinstance(data.get(name), str)]
        return f"payload without {', '.join(missing)}" if missing else None

    return check


INTERACTIONS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "block_actions": _actions,
    "view_submission": _view,
    "view_closed": _view,
    "shortcut": _needs("callback_id", "trigger_id"),
    "message_action": _needs("callback_id", "trigger_id"),
    "block_suggestion": _needs("action_id", "block_id", "value"),
    "dialog_submission": lambda data: (
        _needs("callback_id")(data)
        or (None if isinstance(data.get("submission"), dict) else "submission")
    ),
    "dialog_cancellation": _needs("callback_id"),
    "dialog_suggestion": _needs("callback_id", "value"),
    "interactive_message": _needs("callback_id"),
}
"""Slack's interactive payload types, each with what its shape needs."""
