"""Category names and slugs have a length a Slack option, a card and the chart can show;
a longer one is refused in Swedish, naming the limit, and nothing is saved."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.questions.categories import MAX_NAME, MAX_SLUG
from storage.models import AuditRow, CategoryRow


def say(app: Bryggan, user: str, text: str) -> str:
    reply = app.core.handle(Request("console", user, text))
    assert reply is not None
    return reply.text


def saved(app: Bryggan) -> tuple[list[tuple[str, str, bool]], int]:
    with app.database.session() as session:
        rows = session.scalars(select(CategoryRow).order_by(CategoryRow.slug))
        categories = [(row.slug, row.name, row.active) for row in rows]
        return categories, session.scalar(select(func.count()).select_from(AuditRow)) or 0


LONG_NAME = " ".join(["Utbildning"] * 220)  # about 2,400 characters, as a colleague typed


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            f"/kategori ny utbildning {LONG_NAME}",
            f"är {len(LONG_NAME)} tecken; det får vara högst 60",
        ),
        (f"/kategori ny utbildning {'x' * 61}", "namn är 61 tecken; det får vara högst 60"),
        (f"/kategori byt regler {'Regler ' * 10}", "namn är 69 tecken; det får vara högst 60"),
        (
            f"/kategori ny {'u' * 31} Utbildning",
            "Kortnamnet (<slug>) är 31 tecken; det får vara högst 30",
        ),
    ],
)
def test_too_long_category_is_refused_and_nothing_saved(
    app: Bryggan, line: str, expected: str
) -> None:
    before = saved(app)
    assert expected in say(app, "maria", line)
    assert saved(app) == before
    assert "Regler i sjukförsäkringen" in say(app, "lisa", "/kategori")


def test_names_and_slugs_at_the_limit_are_saved(app: Bryggan) -> None:
    slug, name = "u" * MAX_SLUG, "Å" * MAX_NAME
    assert f"heter nu ”{name}”" in say(app, "maria", f"/kategori ny {slug} {name}")
    assert f"{slug}: {name}" in say(app, "lisa", "/kategori")
