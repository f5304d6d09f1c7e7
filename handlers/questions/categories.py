"""Categories: the start set from DOMAIN.md, listed for everyone, changed by admins."""

from __future__ import annotations

import re

from handlers.kernel import Context, ManageCategories, Reply, UserError, fold, texts

START_SET: tuple[tuple[str, str], ...] = (
    ("behandlingsresultat", "Resultat av genomförda behandlingar/insatser"),
    ("planering", "Planering framåt"),
    ("prognos", "Medicinsk prognos"),
    ("arbetsformaga", "Arbetsförmåga och återgång i arbete"),
    ("komplext", "Åtgärder/insatser i komplexa sjukfall"),
    ("komplettering", "Komplettering av läkarintyg"),
    ("intyg", "Övriga frågor om läkarintyg/läkarutlåtande"),
    ("sa_ae", "Sjuk- och aktivitetsersättning"),
    ("arendeplanering", "Aktuell planering i sjukskrivningsärendet"),
    ("sgi_formaner", "SGI och övriga förmåner"),
    ("avstamningsmote", "Avstämningsmöte"),
    ("regler", "Regler i sjukförsäkringen"),
    ("rehabbehov", "Behov av arbetslivsinriktad rehabilitering"),
    ("ovrigt", "Övrigt"),
)
_SLUG = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MAX_NAME = 60
"""A category name fits a Slack option (75 characters), a card's header line and one or
two lines of the weekly chart's legend; the start set's longest is 43."""
MAX_SLUG = 30
"""A new slug is typed in `kategori:` fields; the start set's longest is 15. Slugs saved
before the bound (up to 40) can still be renamed."""


def manage_categories(ctx: Context, command: ManageCategories) -> Reply:
    """List categories, or (admins) add, rename and retire them."""
    store = ctx.store
    if command.action in {"lista", ""}:
        lines = [f"• {c.slug}: {c.name}" for c in store.categories()]
        return Reply("Kategorier:\n" + "\n".join(lines))
    if not ctx.actor.is_admin:
        raise UserError(texts.ADMIN_ONLY)
    slug = command.slug.lower()
    known = {c.slug: c for c in store.categories(include_inactive=True)}
    if command.action == "ny" and len(slug) > MAX_SLUG and slug not in known:
        raise UserError(texts.CATEGORY_SLUG_TOO_LONG.format(length=len(slug), limit=MAX_SLUG))
    if command.action in {"ny", "byt"} and _SLUG.match(slug) and command.name.strip():
        if command.action == "byt" and slug not in known:
            raise UserError(
                texts.FIELD_UNKNOWN.format(typed=slug, label="kategori", valid=texts.choices(known))
            )
        name = command.name.strip()
        if len(name) > MAX_NAME:
            raise UserError(texts.CATEGORY_NAME_TOO_LONG.format(length=len(name), limit=MAX_NAME))
        store.save_category(slug=slug, name=name)
        store.audit(
            actor_id=ctx.actor.id, action=f"category_{command.action}", at=ctx.now, detail=slug
        )
        return Reply(texts.CATEGORY_SAVED.format(slug=slug, name=name))
    if fold(command.action) in {"tabort", "ta"} and slug in known:
        store.save_category(slug=slug, name=known[slug].name, active=False)
        store.audit(actor_id=ctx.actor.id, action="category_retired", at=ctx.now, detail=slug)
        return Reply(texts.CATEGORY_REMOVED.format(slug=slug))
    raise UserError(texts.CATEGORY_USAGE)
