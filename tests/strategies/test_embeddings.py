"""Stored meaning vectors (strategies/embeddings.py): computed after commit, once per version of the text,
in bulk by the command, and only read — never computed — by the pages and find_overlaps."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from config.celery_app import app
from strategies import embeddings, services
from strategies.decision import semantic
from strategies.models import Strategy, StrategyEmbedding
from tests.strategies.conftest import data, scores

pytestmark = pytest.mark.django_db

SOLAR_EN = (
    "Solar rooftops for government offices",
    "Install solar panels on the roofs of government offices",
)
SOLAR_TH = ("ติดตั้งแผงพลังงานแสงอาทิตย์บนหลังคาสถานที่ราชการ", "ลดค่าไฟฟ้าของหน่วยงานราชการด้วยไฟฟ้าจากแสงอาทิตย์")
COFFEE = ("ส่งเสริมการปลูกกาแฟอาราบิก้าบนดอยสูง", "คั่วเมล็ดกาแฟ และสร้างตราสินค้ากาแฟชุมชน")


@pytest.fixture
def automatic(settings, monkeypatch):
    """Vectors computed on save, with Celery eager even where a Redis broker is configured."""
    settings.STRATEGY_EMBEDDINGS_AUTO = True
    monkeypatch.setitem(app.conf, "task_always_eager", True)


def _no_encoder(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the encoder ran where only stored vectors may be read")

    monkeypatch.setattr(semantic, "encode", refuse)
    monkeypatch.setattr(semantic, "encoder", refuse)


def test_it_stores_a_vector_after_commit_and_recomputes_it_only_when_the_text_changes(
    automatic, encoded, make_strategy, criteria, planner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        strategy = make_strategy("TH-50", planner, title_th=COFFEE[0], summary_th=COFFEE[1])
        assert not StrategyEmbedding.objects.exists()  # not before the strategy is committed
    stored = StrategyEmbedding.objects.get(strategy=strategy)
    assert (
        stored.text_hash == embeddings.hash_of(strategy)
        and len(bytes(stored.vector)) == len(bytes(stored.subject_vector)) == 4 * semantic.DIMENSIONS
    )
    # Its subject words without the boilerplate (ส่งเสริม, the province), each with a half-precision vector.
    assert "กาแฟ" in stored.words and "ส่งเสริม" not in stored.words
    assert len(bytes(stored.word_vectors)) == 2 * semantic.DIMENSIONS * len(stored.words)
    assert len(encoded) == 1 and any(COFFEE[0] in text for text in encoded[0])
    assert set(embeddings.vectors_for([strategy])) == {strategy.pk}

    # Another field changes, the text does not: nothing is encoded again.
    same_text = data(title_th=COFFEE[0], summary_th=COFFEE[1], pillar="socio_cultural")
    with django_capture_on_commit_callbacks(execute=True):
        services.strategy_update(strategy=strategy, data=same_text, scores=scores(criteria), by=planner)
    assert len(encoded) == 1
    assert StrategyEmbedding.objects.get(strategy=strategy).text_hash == stored.text_hash

    # The summary changes: encoded once more, with the new text's hash.
    new_text = data(title_th=COFFEE[0], summary_th="แปรรูปเมล็ดกาแฟและเปิดร้านกาแฟชุมชน")
    with django_capture_on_commit_callbacks(execute=True):
        strategy = services.strategy_update(
            strategy=strategy, data=new_text, scores=scores(criteria), by=planner
        )
    assert len(encoded) == 2 and any("เปิดร้านกาแฟชุมชน" in text for text in encoded[1])
    assert (
        StrategyEmbedding.objects.get(strategy=strategy).text_hash
        == embeddings.hash_of(strategy)
        != (stored.text_hash)
    )


def test_it_ignores_a_stale_vector_and_the_command_refreshes_it(make_strategy, planner, encoded):
    strategy = make_strategy("TH-50", planner, title_th=COFFEE[0], summary_th=COFFEE[1])
    assert not StrategyEmbedding.objects.exists()  # automatic embedding is off in the tests' settings
    out = StringIO()
    call_command("embed_strategies", stdout=out)
    assert "Encoded 1" in out.getvalue()
    # Changed behind the services' back (an admin edit, a data fix): the stored vector no longer fits.
    Strategy.objects.filter(pk=strategy.pk).update(title_th="ซ่อมแซมถนนลูกรังในหมู่บ้าน")
    strategy.refresh_from_db()
    assert embeddings.vectors_for([strategy]) == {}
    call_command("embed_strategies", stdout=out)
    call_command("embed_strategies", stdout=out)
    assert out.getvalue().count("Encoded 1") == 2 and "Encoded 0" in out.getvalue()
    assert set(embeddings.vectors_for([strategy])) == {strategy.pk}
    assert len(encoded) == 2


def test_it_keeps_the_strategy_when_the_encoder_cannot_load(automatic, monkeypatch, make_strategy, planner,
                                                             django_capture_on_commit_callbacks):  # fmt: skip
    monkeypatch.setattr(semantic, "_MODEL", None)

    def broken():
        raise OSError("weights.npz: no such file")

    monkeypatch.setattr(semantic, "_load", broken)
    with django_capture_on_commit_callbacks(execute=True):
        strategy = make_strategy("TH-50", planner, title_th=COFFEE[0], summary_th=COFFEE[1])
    assert Strategy.objects.filter(pk=strategy.pk).exists() and not StrategyEmbedding.objects.exists()
    with pytest.raises(Exception, match="encoder could not be loaded"):
        call_command("embed_strategies", stdout=StringIO())


def test_it_reads_only_stored_vectors_in_pages_and_find_overlaps(
    make_strategy, planner, planner_lampang, secretariat, client_for, monkeypatch
):
    en = make_strategy("TH-50", planner, title_th=SOLAR_EN[0], summary_th=SOLAR_EN[1])
    th = make_strategy("TH-52", planner_lampang, title_th=SOLAR_TH[0], summary_th=SOLAR_TH[1])
    embeddings.embed_strategies()
    # A strategy saved after: no vector yet.
    late = make_strategy("TH-52", planner_lampang, title_th=COFFEE[0], summary_th=COFFEE[1])
    _no_encoder(monkeypatch)

    url = reverse("decision_cluster", args=["N-UP1"]) + "?fy=2570"
    body = client_for(secretariat).get(url).content.decode()
    assert 'id="lexical-only"' in body  # says that one strategy is matched by words alone
    assert "ความหมายใกล้เคียงกัน" in body  # the English and the Thai solar plans: "similar in meaning"
    assert SOLAR_EN[0] in body and SOLAR_TH[0] in body

    out = StringIO()
    call_command("find_overlaps", "--cluster", "N-UP1", "--fiscal-year", "2570", "--json", stdout=out)
    groups = json.loads(out.getvalue())
    assert [sorted(g["strategies"]) for g in groups] == [sorted([str(en.pk), str(th.pk)])]
    assert set(groups[0]) == {"cluster", "fiscal_year", "strategies", "score", "terms"}
    assert str(late.pk) not in groups[0]["strategies"]


def test_it_embeds_imported_strategies_after_the_import_commits(
    automatic, encoded, admin_user, django_capture_on_commit_callbacks
):
    from strategies.importing import strategies_import
    from tests.strategies.test_import import data_file

    with django_capture_on_commit_callbacks(execute=True):
        strategies_import(strategies=data_file("strategies_good.csv"), by=admin_user)
        assert not StrategyEmbedding.objects.exists()
    imported = list(Strategy.objects.all())
    assert len(imported) == 2 and set(embeddings.vectors_for(imported)) == {s.pk for s in imported}
    assert len(encoded) == 1  # one batch
    # The same file again changes nothing: nothing is encoded again.
    with django_capture_on_commit_callbacks(execute=True):
        strategies_import(strategies=data_file("strategies_good.csv"), by=admin_user)
    assert len(encoded) == 1


def test_it_recomputes_a_meaning_stored_by_the_earlier_recipe(make_strategy, planner, encoded):
    strategy = make_strategy("TH-50", planner, title_th=COFFEE[0], summary_th=COFFEE[1])
    embeddings.embed_strategies()
    row = StrategyEmbedding.objects.get(strategy=strategy)
    # As a row of the first recipe looked: the whole text's vector only, under its own hash.
    StrategyEmbedding.objects.filter(pk=row.pk).update(subject_vector=b"", words=[], word_vectors=b"")
    assert embeddings.vectors_for([strategy]) == {}  # incomplete: matched by words alone
    StrategyEmbedding.objects.filter(pk=row.pk).update(text_hash="0" * 64)
    assert embeddings.embed_strategies() == 1 and len(encoded) == 2
    meaning = embeddings.vectors_for([strategy])[strategy.pk]
    assert meaning.words == tuple(StrategyEmbedding.objects.get(pk=row.pk).words) and "กาแฟ" in meaning.words
    assert meaning.word_vectors.shape == (len(meaning.words), semantic.DIMENSIONS)
