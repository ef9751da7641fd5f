"""The full-text indexes over SearchDocument.words, which differ by database (search/selectors.py queries
them the same way):

* PostgreSQL: the pg_trgm extension (trusted: the database owner may create it), a GIN index over
  to_tsvector('simple', words) for words and prefixes, and a pg_trgm GIN index for typos and partial words.
* SQLite: an FTS5 table over the same words, its content read from search_searchdocument and kept in step
  by triggers. A later migration that rebuilds search_searchdocument on SQLite (most field changes do) drops
  the triggers with the old table: it must run this migration's SQLite part again.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

POSTGRESQL = [
    "CREATE INDEX search_doc_words_fts ON search_searchdocument"
    " USING gin (to_tsvector('simple'::regconfig, words))",
    "CREATE INDEX search_doc_words_trgm ON search_searchdocument USING gin (words gin_trgm_ops)",
]
POSTGRESQL_REVERSE = ["DROP INDEX IF EXISTS search_doc_words_fts", "DROP INDEX IF EXISTS search_doc_words_trgm"]

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(words, content='search_searchdocument', content_rowid='id')",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, words) VALUES (new.id, new.words);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, words) VALUES ('delete', old.id, old.words);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, words) VALUES ('delete', old.id, old.words);
        INSERT INTO search_fts(rowid, words) VALUES (new.id, new.words);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TABLE IF EXISTS search_fts",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_document")]

    operations = [
        TrigramExtension(),  # a no-op on other databases
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
