"""Searching costs the same whatever the size of the index (search/selectors.py):

* A document's strategy indexed with its source: a user's strategies' documents of one source are found
  without visiting the others.
* PostgreSQL: the words stored as a text-search vector (``words_tsv``, written by a trigger from ``words``), so
  that checking a row is cheap and a user's few documents can be checked one by one; a GIN index over it per
  source (a kind is searched source by source, each through its own index, up to a cap); the old expression
  index and the trigram index over every document's words dropped.
* The index's words once each (``SearchWord``): typos are matched against them (pg_trgm, GIN index) rather
  than against every document.

SQLite keeps its FTS5 table (migration 0002); ``words_tsv`` stays empty there.
"""

from django.db import migrations, models

import search.models

# Frozen here: the sources as they were when this migration was written (search.choices.SOURCES).
SOURCES = (
    "provinces.province",
    "provinces.cluster",
    "strategies.strategy",
    "strategies.project",
    "readiness.indicator",
    "strategies.strategyreview",
    "readiness.reviewevent",
    "readiness.reviewcomment",
)
MAX_WORD_CHARS = 64
BATCH = 2000


def _index(source: str) -> str:
    return "search_doc_fts_" + source.split(".")[1]


POSTGRESQL = [
    "UPDATE search_searchdocument SET words_tsv = to_tsvector('simple'::regconfig, words)",
    "CREATE TRIGGER search_doc_words_tsv BEFORE INSERT OR UPDATE ON search_searchdocument FOR EACH ROW"
    " EXECUTE FUNCTION tsvector_update_trigger(words_tsv, 'pg_catalog.simple', words)",
    *(
        f"CREATE INDEX {_index(s)} ON search_searchdocument USING gin (words_tsv) WHERE source = '{s}'"
        for s in SOURCES
    ),
    "DROP INDEX IF EXISTS search_doc_words_fts",
    "DROP INDEX IF EXISTS search_doc_words_trgm",
    "CREATE INDEX search_word_trgm ON search_searchword USING gin (word gin_trgm_ops)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_word_trgm",
    "CREATE INDEX search_doc_words_fts ON search_searchdocument"
    " USING gin (to_tsvector('simple'::regconfig, words))",
    "CREATE INDEX search_doc_words_trgm ON search_searchdocument USING gin (words gin_trgm_ops)",
    *(f"DROP INDEX IF EXISTS {_index(s)}" for s in SOURCES),
    "DROP TRIGGER IF EXISTS search_doc_words_tsv ON search_searchdocument",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def fill_words(apps, schema_editor):
    alias = schema_editor.connection.alias
    documents = apps.get_model("search", "SearchDocument").objects.db_manager(alias)
    words = apps.get_model("search", "SearchWord").objects.db_manager(alias)
    Word = words.model
    found: set[str] = set()
    for text in documents.values_list("words", flat=True).iterator(chunk_size=BATCH):
        found.update(w for w in text.split() if len(w) <= MAX_WORD_CHARS)
    words.bulk_create((Word(word=w) for w in sorted(found)), batch_size=BATCH, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_indexes")]

    operations = [
        migrations.RemoveIndex(model_name="searchdocument", name="search_doc_strategy"),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["strategy_id", "source"], name="search_doc_strategy_source"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="words_tsv",
            field=search.models.TextSearchVectorField(
                editable=False, null=True, verbose_name="words as a text-search vector"
            ),
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=64, verbose_name="word")),
            ],
            options={
                "verbose_name": "indexed word",
                "verbose_name_plural": "indexed words",
                "constraints": [models.UniqueConstraint(fields=("word",), name="search_word_once")],
            },
        ),
        migrations.RunPython(fill_words, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL}),
            _run({"postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
