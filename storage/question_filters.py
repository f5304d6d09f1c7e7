"""Which questions a statistics statement counts, as bind parameters.

Statements are built once per `Shape` (which filters they have) and cached; each run binds
the window, the units and the asker. Building SQLAlchemy expressions costs more than
running the small grouped queries, so this matters for a quick /statistik.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, bindparam

from handlers.dates import Window
from handlers.statistics import Scope
from storage.models import QuestionRow


@dataclass(frozen=True)
class Shape:
    """The filters of a statement: a created_at window, a unit list, an asker."""

    window: bool = True
    units: bool = False
    asker: bool = False

    @classmethod
    def of(cls, scope: Scope, *, window: bool = True) -> Shape:
        return cls(window, scope.unit_ids is not None, scope.asker_id is not None)


def conditions(shape: Shape) -> tuple[ColumnElement[bool], ...]:
    q = QuestionRow
    found: list[ColumnElement[bool]] = []
    if shape.window:
        found += [q.created_at >= bindparam("start"), q.created_at < bindparam("end")]
    if shape.units:
        found.append(q.unit_id.in_(bindparam("unit_ids", expanding=True)))
    if shape.asker:
        found.append(q.asker_id == bindparam("asker_id"))
    return tuple(found)


def parameters(scope: Scope, window: Window | None = None, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(extra)
    if window is not None:
        values.update(start=window.start, end=window.end)
    if scope.unit_ids is not None:
        values["unit_ids"] = list(scope.unit_ids)
    if scope.asker_id is not None:
        values["asker_id"] = scope.asker_id
    return values
