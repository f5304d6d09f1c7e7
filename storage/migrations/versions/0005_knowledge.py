"""knowledge bank

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

The knowledge bank's entries and their uses (a question closed as answered from the bank),
and the search structures of each database, named `knowledge_search…` (the models leave
them out; see storage/knowledge_repo.py):

- SQLite: an FTS5 table over Snowball stems keyed by the entry id (the repository stems,
  SQLite cannot), and the bank's vocabulary with an FTS5 trigram index over it;
- PostgreSQL: a stored `search_vector` (`to_tsvector('swedish', …)`, title weighted A,
  text B) with a GIN index, and the bank's vocabulary with a pg_trgm GIN index (pg_trgm
  is created in `public` when missing).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
"""The type of `questions.id`, which the entries and uses refer to."""


def upgrade() -> None:
    op.create_table(
        "knowledge_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("source_question_id", _BIG_ID, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["category"], ["categories.slug"]),
        sa.ForeignKeyConstraint(["merged_into_id"], ["knowledge_entries.id"]),
        sa.ForeignKeyConstraint(["source_question_id"], ["questions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_knowledge_review", "knowledge_entries", ["retired_at", "review_on"])
    op.create_table(
        "knowledge_uses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("question_id", _BIG_ID, nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["knowledge_entries.id"]),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("question_id"),
    )
    op.create_index("ix_knowledge_uses_at", "knowledge_uses", ["at", "unit_id"])
    op.create_index("ix_knowledge_uses_entry_id", "knowledge_uses", ["entry_id"])
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_search()
    else:
        _postgresql_search()


def _sqlite_search() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE knowledge_search_stems USING fts5("
        "title, body, tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(_WORDS.format(id="INTEGER PRIMARY KEY"))
    op.execute(
        "CREATE VIRTUAL TABLE knowledge_search_word_trigrams USING fts5(term,"
        " content='knowledge_search_words', content_rowid='id', tokenize='trigram')"
    )
    op.execute(
        "CREATE TRIGGER knowledge_search_words_indexed AFTER INSERT ON knowledge_search_words"
        " BEGIN INSERT INTO knowledge_search_word_trigrams (rowid, term)"
        " VALUES (new.id, new.term); END"
    )


def _postgresql_search() -> None:
    schema = _trigram_schema()
    op.execute(
        "ALTER TABLE knowledge_entries ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('swedish', title), 'A') || "
        "setweight(to_tsvector('swedish', body), 'B')) STORED"
    )
    op.execute(
        "CREATE INDEX knowledge_search_vector ON knowledge_entries USING gin (search_vector)"
    )
    op.execute(_WORDS.format(id="SERIAL PRIMARY KEY"))
    op.execute(
        "CREATE INDEX knowledge_search_words_trigram ON knowledge_search_words"
        f' USING gin ((term COLLATE "C") "{schema}".gin_trgm_ops)'
    )  # on `term COLLATE "C"`: looking a word up by equality keeps to the unique index


_WORDS = "CREATE TABLE knowledge_search_words (id {id}, term TEXT NOT NULL UNIQUE)"
"""The bank's vocabulary: one row per distinct stem (SQLite) or lexeme (PostgreSQL)."""


def _trigram_schema() -> str:
    """Where pg_trgm is: installed in `public` when missing (trusted since PostgreSQL 13),
    never in a schema a test run drops."""
    bind = op.get_bind()
    find = sa.text(
        "SELECT n.nspname FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace"
        " WHERE x.extname = 'pg_trgm'"
    )
    schema = bind.execute(find).scalar()
    if schema is None:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
        schema = bind.execute(find).scalar_one()
    return str(schema)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER knowledge_search_words_indexed")
        op.execute("DROP TABLE knowledge_search_word_trigrams")
        op.execute("DROP TABLE knowledge_search_stems")
    op.execute("DROP TABLE knowledge_search_words")
    op.drop_index("ix_knowledge_uses_entry_id", table_name="knowledge_uses")
    op.drop_index("ix_knowledge_uses_at", table_name="knowledge_uses")
    op.drop_table("knowledge_uses")
    op.drop_index("ix_knowledge_review", table_name="knowledge_entries")
    op.drop_table("knowledge_entries")
