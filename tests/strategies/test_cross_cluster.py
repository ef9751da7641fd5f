"""Other clusters' practice on the strategy page (selectors.practice_elsewhere): for advisors and
administrators, by the cosine of STORED vectors only, in a number of queries that does not grow with the
data."""

from decimal import Decimal

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategies import embeddings, selectors
from strategies.choices import StrategyStatus
from strategies.decision import semantic
from strategies.models import Project, Strategy, StrategyEmbedding
from tests.strategies.encoder import encoder_offline  # noqa: F401

pytestmark = pytest.mark.django_db

COFFEE = ("ส่งเสริมการปลูกกาแฟอาราบิก้าบนดอยสูง", "คั่วเมล็ดกาแฟ และสร้างตราสินค้ากาแฟชุมชน")
COFFEE_EN = ("Arabica coffee on the highlands", "Roasting the beans and a community coffee brand")
ROADS = ("ซ่อมแซมถนนลูกรังในหมู่บ้านชนบท", "ปรับปรุงผิวจราจรและท่อระบายน้ำของถนนในหมู่บ้าน")


def _no_encoder(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the strategy page encoded a text: it may only read stored vectors")

    monkeypatch.setattr(semantic, "encode", refuse)
    monkeypatch.setattr(semantic, "encoder", refuse)


@pytest.fixture
def elsewhere(make_strategy, cast, encoder_offline):  # noqa: F811 (a fixture)
    """Chiang Mai's coffee strategy (N-UP1) and, elsewhere: Chiang Rai's (N-UP2, in English) with two
    projects, a cluster's of the north-east, and what must not be shown — a coffee plan in Chiang Mai's own
    cluster, a dropped one, one three years later, an unrelated one."""
    admin = cast["admin"]
    made = {
        "cm": make_strategy("TH-50", cast["planner"], title_th=COFFEE[0], summary_th=COFFEE[1]),
        "chiang_rai": make_strategy("TH-57", admin, title_th=COFFEE_EN[0], summary_th=COFFEE_EN[1], fiscal_year=2571),
        "ne_cluster": make_strategy("NE-UP1", cast["secretariat_other"], title_th=COFFEE[0] + "ของกลุ่มจังหวัด",
                                    summary_th=COFFEE[1], fiscal_year=2569, a=(4, 4, 4), n=(4, 4, 4)),
        "same_cluster": make_strategy("TH-52", cast["planner_lampang"], title_th=COFFEE[0], summary_th=COFFEE[1]),
        "dropped": make_strategy("TH-40", admin, title_th=COFFEE[0], summary_th=COFFEE[1]),
        "later": make_strategy("TH-57", admin, title_th=COFFEE[0], summary_th=COFFEE[1], fiscal_year=2573),
        "roads": make_strategy("TH-40", admin, title_th=ROADS[0], summary_th=ROADS[1]),
    }  # fmt: skip
    Strategy.objects.filter(pk=made["dropped"].pk).update(status=StrategyStatus.DROPPED)
    made["dropped"].status = StrategyStatus.DROPPED
    for budget, progress in ((Decimal("1500000"), 40), (Decimal("500000"), 80)):
        Project.objects.create(strategy=made["chiang_rai"], title_th="โรงคั่วกาแฟชุมชน", lead_agency="เกษตรจังหวัด",
                               budget=budget, funding_source="provincial", start_fy=2571, end_fy=2571,
                               progress=progress)  # fmt: skip
    embeddings.embed_strategies()
    return made


def _panel(client, strategy) -> str:
    page = client.get(reverse("strategy_detail", args=[strategy.pk]))
    assert page.status_code == 200
    return page.content.decode()


def test_it_shows_advisors_what_other_clusters_do(elsewhere, cast, client_for, monkeypatch):
    _no_encoder(monkeypatch)
    page = _panel(client_for(cast["advisor"]), elsewhere["cm"])
    assert 'id="practice-elsewhere"' in page and "แนวทางที่กลุ่มจังหวัดอื่นทำ" in page
    panel = page[
        page.index('id="practice-elsewhere"') : page.index(
            "</section>", page.index('id="practice-elsewhere"')
        )
    ]
    rai, ne = elsewhere["chiang_rai"], elsewhere["ne_cluster"]
    assert reverse("strategy_detail", args=[rai.pk]) in panel and COFFEE_EN[0] in panel
    assert reverse("strategy_detail", args=[ne.pk]) in panel
    # Owner, its cluster, quadrant, total budget and the projects' mean progress (40 % and 80 %).
    assert "เชียงราย" in panel and "กลุ่มจังหวัดภาคเหนือตอนบน 2" in panel
    assert f"{rai.quadrant}</span>" in panel and f"{ne.quadrant}</span>" in panel
    assert "2,000,000" in panel and 'value="60"' in panel and "60%" in panel
    for name in ("same_cluster", "dropped", "later", "roads"):
        assert reverse("strategy_detail", args=[elsewhere[name].pk]) not in panel, name
    result = selectors.practice_elsewhere(user=cast["advisor"], strategy=elsewhere["cm"])
    assert result.ready and [s.pk for s in result.strategies][:2] and rai in result.strategies
    assert all(s.similarity >= selectors.PRACTICE_MIN_COSINE for s in result.strategies)
    assert [s.similarity for s in result.strategies] == sorted(
        (s.similarity for s in result.strategies), reverse=True
    )
    assert "แนวทางที่กลุ่มจังหวัดอื่นทำ" in _panel(client_for(cast["admin"]), elsewhere["cm"])


def test_it_is_not_shown_to_planners_or_secretariats(elsewhere, cast, client_for):
    for who in ("planner", "secretariat"):
        page = _panel(client_for(cast[who]), elsewhere["cm"])
        assert 'id="practice-elsewhere"' not in page, who
        assert COFFEE_EN[0] not in page, who


def test_it_says_when_the_vector_is_not_ready(elsewhere, cast, client_for, monkeypatch):
    _no_encoder(monkeypatch)
    cm = elsewhere["cm"]
    StrategyEmbedding.objects.filter(strategy=cm).delete()
    page = _panel(client_for(cast["advisor"]), cm)
    assert 'id="practice-not-ready"' in page and "ยังไม่มีเวกเตอร์ความหมาย" in page
    # A vector of an older text is not used either, here or for the others.
    Strategy.objects.filter(pk=elsewhere["chiang_rai"].pk).update(title_th="ซ่อมถนน", title_en="")
    result = selectors.practice_elsewhere(user=cast["advisor"], strategy=elsewhere["ne_cluster"])
    assert result.ready and elsewhere["chiang_rai"].pk not in [s.pk for s in result.strategies]


def _embed_near(near: np.ndarray, monkeypatch) -> None:
    """Store every missing meaning through the app's own path (embeddings.embed_strategies), with a stand-in
    encoder that puts each text close to ``near`` (fast, and whatever the storage holds)."""

    def fake(texts):
        rows = []
        for text in texts:
            rng = np.random.default_rng(abs(hash(text)) % 2**32)
            v = near + (0.3 / semantic.DIMENSIONS**0.5) * rng.standard_normal(semantic.DIMENSIONS)
            rows.append(v / np.linalg.norm(v))
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), semantic.DIMENSIONS)

    with monkeypatch.context() as m:
        m.setattr(semantic, "encode", fake)
        embeddings.embed_strategies()


def test_it_keeps_the_panel_query_count_independent_of_data_size(
    make_strategy, cast, client_for, monkeypatch
):
    near = np.random.default_rng(7).standard_normal(semantic.DIMENSIONS).astype(np.float32)
    near /= np.linalg.norm(near)
    cm = make_strategy("TH-50", cast["planner"], title_th=COFFEE[0], summary_th=COFFEE[1])
    client = client_for(cast["advisor"])
    counts, shown = [], []
    owners = ["TH-57", "TH-40", "NE-UP1", "TH-10", "S-AND"]  # Bangkok (TH-10): in no cluster, elsewhere too
    for extra in (3, 30):
        for i in range(extra):
            s = make_strategy(owners[i % len(owners)], cast["admin"], title_th=f"{COFFEE[0]} {i}",
                              summary_th=COFFEE[1])  # fmt: skip
            Project.objects.create(strategy=s, title_th="โครงการ", lead_agency="จังหวัด", budget=Decimal(1000 + i),
                                   funding_source="provincial", start_fy=2570, end_fy=2570, progress=i % 100)  # fmt: skip
        _embed_near(near, monkeypatch)
        with monkeypatch.context() as m:
            _no_encoder(m)
            _panel(client, cm)  # warm
            with CaptureQueriesContext(connection) as queries:
                page = _panel(client, cm)
        counts.append(len(queries))
        shown.append(page.count('class="border-top pt-2 mt-2 practice-item"'))
    assert counts[0] == counts[1], counts
    assert shown == [3, selectors.PRACTICE_LIMIT]
