"""Strategies' stored title sort keys (Thai dictionary order, compared byte by byte), filled for the rows that
exist: a list sorted by title then sorts in SQL, a page at a time, instead of reading every title."""

from django.db import migrations, models

import strategies.models
from provinces.thai import thai_sort_text

BATCH = 1000
KEYS = ["title_sort_key", "title_sort_key_en"]


def fill(apps, schema_editor):
    strategies = apps.get_model("strategies", "Strategy").objects.db_manager(schema_editor.connection.alias)
    batch = []
    for strategy in strategies.only("title_th", "title_en").order_by("pk").iterator(chunk_size=BATCH):
        strategy.title_sort_key = thai_sort_text(strategy.title_th)
        strategy.title_sort_key_en = thai_sort_text(strategy.title_en or strategy.title_th)
        batch.append(strategy)
        if len(batch) >= BATCH:
            strategies.bulk_update(batch, KEYS)
            batch = []
    if batch:
        strategies.bulk_update(batch, KEYS)


class Migration(migrations.Migration):
    dependencies = [("strategies", "0004_strategy_embeddings")]

    operations = [
        migrations.AddField(
            model_name="strategy",
            name="title_sort_key",
            field=strategies.models.SortKeyField(
                blank=True, editable=False, max_length=600, verbose_name="title sort key (Thai)"
            ),
        ),
        migrations.AddField(
            model_name="strategy",
            name="title_sort_key_en",
            field=strategies.models.SortKeyField(
                blank=True, editable=False, max_length=600, verbose_name="title sort key (English)"
            ),
        ),
        migrations.AddIndex(
            model_name="strategy",
            index=models.Index(fields=["title_sort_key"], name="strategy_title_sort"),
        ),
        migrations.AddIndex(
            model_name="strategy",
            index=models.Index(fields=["title_sort_key_en"], name="strategy_title_sort_en"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
