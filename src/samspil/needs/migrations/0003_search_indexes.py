"""Search and matching indexes, each in its database's own kind.

PostgreSQL: GIN indexes on the stored tsvectors and a pg_trgm GIN index on ``match_text``.
SQLite: FTS5 tables for needs and challenges (the rowid is the record's id).
"""

from django.db import migrations

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS needs_need_search_gin ON needs_need USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS needs_challenge_search_gin "
    "ON needs_challenge USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS needs_need_match_trgm "
    "ON needs_need USING gin (match_text gin_trgm_ops)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS needs_need_search_gin",
    "DROP INDEX IF EXISTS needs_challenge_search_gin",
    "DROP INDEX IF EXISTS needs_need_match_trgm",
]
SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS needs_need_fts USING fts5("
    "title, body, tokenize='unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS needs_challenge_fts USING fts5("
    "title, body, tokenize='unicode61 remove_diacritics 0')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS needs_need_fts", "DROP TABLE IF EXISTS needs_challenge_fts"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("needs", "0002_themes")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
