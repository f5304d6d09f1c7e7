"""Migrations create the whole schema on an empty database and can be rolled back."""

from __future__ import annotations

from sqlalchemy import inspect

from storage.db import downgrade, make_engine, upgrade
from storage.knowledge_repo import is_search_structure
from storage.models import Base


def test_upgrade_creates_every_table_and_downgrade_removes_them(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert "alembic_version" in tables
        upgrade(engine)  # idempotent at head
        downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_models_match_the_migrations(database_url: str) -> None:
    """Autogenerate finds nothing to add: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(database_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            # The knowledge bank's search structures differ by database (FTS5 tables,
            # a tsvector column, GIN indexes) and are made by migration 0005 only.
            options = {
                "include_name": lambda name, kind, parents: (
                    not is_search_structure(name, kind, parents)
                )
            }
            context = MigrationContext.configure(connection, opts=options)
            diff = compare_metadata(context, Base.metadata)
        assert diff == []
    finally:
        engine.dispose()
