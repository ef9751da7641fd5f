"""Strategies' stored title sort keys: SQL ordering by them is Python's Thai dictionary order (thai_sort_key) on
whichever database the suite runs on, and every write path keeps them — save, the queryset's bulk writes and
the national data generator."""

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from provinces.models import Province
from provinces.thai import thai_sort_key, thai_sort_text
from strategies.models import Strategy

from .test_lists import titles

pytestmark = pytest.mark.django_db

# Leading vowels (read after their consonant), tone marks (deciding only between the same letters), one
# string the start of another, digits Thai and Arabic, English in both cases, spaces, a control character.
TRICKY = [
    "เชียงใหม่", "แม่ฮ่องสอน", "โคราช", "ใบไม้", "ไม้สัก", "ไก่", "ไก้", "ไก", "เก็บ", "เกบ", "กา", "กาก", "ก่า", "ก้า",
    "ก", "กาแฟ", "น้ำ", "ฤดูกาล", "ยุทธศาสตร์ 10", "ยุทธศาสตร์ 2", "ยุทธศาสตร์ ๒", "2570", "๒๕๗๐", "  เว้นวรรคหน้า",
    "apple", "Apple", "Zebra", "zebra crossing", "ท่องเที่ยว\x01ชุมชน", "ท่องเที่ยวชุมชน", "ท่องเทียวชุมชน",
]  # fmt: skip
# English titles for some of them: the rest sort by their Thai title in English too.
ENGLISH = {"เชียงใหม่": "Chiang Mai", "ไก่": "chicken", "กาแฟ": "Coffee", "2570": "", "apple": "Banana"}


def _strategies(titles_th, **extra) -> list[Strategy]:
    owner = Province.objects.get(code="TH-50")
    return Strategy.objects.bulk_create(
        Strategy(
            province=owner,
            fiscal_year=2570,
            title_th=title,
            title_en=ENGLISH.get(title, ""),
            work_area="public_service",
            pillar="economic",
            **extra,
        )
        for title in titles_th
    )


def _python_order(strategies: list[Strategy], *, english: bool, descending: bool = False) -> list[int]:
    """What the list did before the keys: a stable sort by thai_sort_key of rows in the tiebreak's order."""

    def name(s: Strategy) -> str:
        return (s.title_en or s.title_th) if english else s.title_th

    by_pk = sorted(strategies, key=lambda s: s.pk)
    return [s.pk for s in sorted(by_pk, key=lambda s: thai_sort_key(name(s)), reverse=descending)]


def _keys(pk: int) -> tuple[str, str]:
    return Strategy.objects.values_list("title_sort_key", "title_sort_key_en").get(pk=pk)


def test_it_sorts_by_the_stored_key_in_sql_as_python_sorts_by_thai_sort_key(reference):
    made = _strategies(TRICKY)
    for english, field in ((False, "title_sort_key"), (True, "title_sort_key_en")):
        up = Strategy.objects.order_by(field, "pk").values_list("pk", flat=True)
        down = Strategy.objects.order_by(F(field).desc(), "pk").values_list("pk", flat=True)
        assert list(up) == _python_order(made, english=english), field
        assert list(down) == _python_order(made, english=english, descending=True), field
    # The dictionary's own order, spelled out: leading vowels after their consonant, tones only between equals.
    thai = list(Strategy.objects.order_by("title_sort_key", "pk").values_list("title_th", flat=True))
    assert thai.index("กา") < thai.index("ก่า") < thai.index("ก้า") < thai.index("กาก") < thai.index("กาแฟ")
    assert thai.index("ไก") < thai.index("ไก่") < thai.index("ไก้") < thai.index("ใบไม้")
    assert thai.index("เกบ") < thai.index("เก็บ") < thai.index("เชียงใหม่") < thai.index("แม่ฮ่องสอน")


def test_the_list_sorts_by_the_keys_in_both_languages(client_for, advisor):
    _strategies(["ไม้สัก", "เชียงใหม่", "กาแฟ", "ไก่", "apple"])
    client = client_for(advisor)
    html = client.get(reverse("strategy_list"), {"sort": "title"}).content.decode()
    assert titles(html) == ["apple", "กาแฟ", "ไก่", "เชียงใหม่", "ไม้สัก"]
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("strategy_list"), {"sort": "-title"}).content.decode()
    assert titles(html) == ["ไม้สัก", "Coffee", "chicken", "Chiang Mai", "Banana"]


def test_save_and_every_bulk_write_keep_the_keys(reference):
    a, b = _strategies(["เชียงใหม่", "ลำปาง"])  # bulk_create
    assert _keys(a.pk) == (thai_sort_text("เชียงใหม่"), thai_sort_text("Chiang Mai"))
    assert _keys(b.pk) == (thai_sort_text("ลำปาง"),) * 2

    a.title_th, b.title_th = "แพร่", "น่าน"
    Strategy.objects.bulk_update([a, b], ["title_th"])
    assert _keys(a.pk) == (thai_sort_text("แพร่"), thai_sort_text("Chiang Mai"))
    assert _keys(b.pk) == (thai_sort_text("น่าน"),) * 2

    # update(): the English key follows a new Thai title only where there is no English title.
    Strategy.objects.filter(pk__in=[a.pk, b.pk]).update(title_th="ไม้สัก")
    assert _keys(a.pk) == (thai_sort_text("ไม้สัก"), thai_sort_text("Chiang Mai"))
    assert _keys(b.pk) == (thai_sort_text("ไม้สัก"),) * 2
    Strategy.objects.filter(pk=b.pk).update(title_en="Teak")
    assert _keys(b.pk) == (thai_sort_text("ไม้สัก"), thai_sort_text("Teak"))
    Strategy.objects.filter(pk=a.pk).update(title_en="")
    assert _keys(a.pk) == (thai_sort_text("ไม้สัก"),) * 2
    Strategy.objects.filter(pk=a.pk).update(title_th="กาแฟ", title_en="Coffee")
    assert _keys(a.pk) == (thai_sort_text("กาแฟ"), thai_sort_text("Coffee"))
    with pytest.raises(TypeError):
        Strategy.objects.filter(pk=a.pk).update(title_th=F("title_en"))

    # save(), also with update_fields naming only a title.
    a.refresh_from_db()
    a.title_th = "อุตรดิตถ์"
    a.save(update_fields=["title_th"])
    assert _keys(a.pk) == (thai_sort_text("อุตรดิตถ์"), thai_sort_text("Coffee"))
    # Through a province's related manager too (the model's queryset class).
    Province.objects.get(code="TH-50").strategies.filter(pk=b.pk).update(title_th="ลำพูน")
    assert _keys(b.pk)[0] == thai_sort_text("ลำพูน")


def test_the_national_data_generator_writes_the_keys(reference):
    call_command(
        "generate_national_data", "--seed", "2", "--rounds", "1", "--strategies", "30", "--projects", "30"
    )
    rows = list(Strategy.objects.values_list("title_th", "title_en", "title_sort_key", "title_sort_key_en"))
    assert len(rows) == 30
    assert all(k == thai_sort_text(th) and ke == thai_sort_text(en or th) for th, en, k, ke in rows)


def test_the_migration_fills_the_keys_of_existing_rows(reference):
    from importlib import import_module
    from types import SimpleNamespace

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    made = _strategies(["เชียงใหม่", "ลำปาง"])
    Strategy.objects.filter(pk__in=[s.pk for s in made]).update(title_sort_key="", title_sort_key_en="")
    migration = import_module("strategies.migrations.0005_title_sort_keys")
    # The model as the migration sees it: a plain manager, nothing of StrategyQuerySet's.
    state = MigrationLoader(connection).project_state(("strategies", "0005_title_sort_keys"))
    migration.fill(state.apps, SimpleNamespace(connection=connection))
    assert _keys(made[0].pk) == (thai_sort_text("เชียงใหม่"), thai_sort_text("Chiang Mai"))
    assert _keys(made[1].pk) == (thai_sort_text("ลำปาง"),) * 2


def test_on_postgresql_the_keys_compare_byte_by_byte_whatever_the_database_collation():
    from django.db import connection

    from tests.conftest import services_or_skip

    services_or_skip("PostgreSQL", connection.vendor == "postgresql")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, collation_name FROM information_schema.columns"
            " WHERE table_name = 'strategies_strategy' AND column_name LIKE 'title_sort_key%%'"
        )
        assert dict(cursor.fetchall()) == {"title_sort_key": "C", "title_sort_key_en": "C"}
