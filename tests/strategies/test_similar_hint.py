"""The similar-plans hint of the strategy form (strategies/similar.py, /strategies/similar/) and the
notification to the owners of similar strategies on save. The encoder is the real one, loaded once per
session with the network cut (tests/strategies/encoder.py)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.selectors import items
from strategies import embeddings, services, similar
from strategies.choices import StrategyStatus
from strategies.decision import semantic
from strategies.models import Strategy
from tests.strategies.conftest import data, scores
from tests.strategies.encoder import encoder_broken, encoder_offline  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/strategies/similar/"
COFFEE_CM = ("ส่งเสริมการปลูกกาแฟอาราบิก้าบนดอยสูง", "คั่วเมล็ดกาแฟ และสร้างตราสินค้ากาแฟชุมชน")
COFFEE_LP = ("ส่งเสริมการปลูกกาแฟอาราบิก้าบนพื้นที่สูง", "แปรรูปเมล็ดกาแฟและสร้างตราสินค้ากาแฟชุมชน")
COFFEE_CLUSTER = ("พัฒนาการปลูกกาแฟอาราบิก้าบนดอยสูงของกลุ่มจังหวัด", "ตราสินค้ากาแฟชุมชนและการคั่วเมล็ดกาแฟ")
SOLAR_TH = ("ติดตั้งแผงพลังงานแสงอาทิตย์บนหลังคาสถานที่ราชการ", "ลดค่าไฟฟ้าของหน่วยงานราชการด้วยไฟฟ้าจากแสงอาทิตย์")
SOLAR_EN = "Solar rooftops for government offices: install solar panels on the roofs of offices"
ROADS = ("ซ่อมแซมถนนลูกรังในหมู่บ้านชนบท", "ปรับปรุงผิวจราจรและท่อระบายน้ำของถนนในหมู่บ้าน")


@pytest.fixture
def cluster_plans(make_strategy, cast, encoder_offline):  # noqa: F811
    """Lampang's and the cluster's coffee strategies, Lampang's solar roofs and an unrelated road plan of
    the cluster, with their vectors stored; another cluster's coffee strategy (never a candidate)."""
    made = {
        "lp_coffee": make_strategy("TH-52", cast["planner_lampang"], title_th=COFFEE_LP[0], summary_th=COFFEE_LP[1]),
        "cluster_coffee": make_strategy("N-UP1", cast["secretariat"], title_th=COFFEE_CLUSTER[0],
                                        summary_th=COFFEE_CLUSTER[1]),
        "lp_solar": make_strategy("TH-52", cast["planner_lampang"], title_th=SOLAR_TH[0], summary_th=SOLAR_TH[1]),
        "roads": make_strategy("N-UP1", cast["secretariat"], title_th=ROADS[0], summary_th=ROADS[1]),
        "other_cluster": make_strategy("NE-UP1", cast["secretariat_other"], title_th=COFFEE_CM[0],
                                       summary_th=COFFEE_CM[1]),
    }  # fmt: skip
    assert embeddings.embed_strategies() == len(made)
    return made


def _hint(client, **fields) -> tuple[int, str]:
    response = client.post(URL, fields)
    return response.status_code, response.content.decode()


def _coffee(**extra) -> dict:
    return {
        "owner": "TH-50",
        "fiscal_year": "2570",
        "title_th": COFFEE_CM[0],
        "summary_th": COFFEE_CM[1],
        **extra,
    }


def test_it_names_only_what_the_planner_may_open(cluster_plans, cast, client_for):
    status, page = _hint(client_for(cast["planner"]), **_coffee())
    assert status == 200
    assert "แผนที่คล้ายกันในกลุ่มจังหวัดของท่านปีงบประมาณนี้" in page
    cluster_coffee, lp_coffee = cluster_plans["cluster_coffee"], cluster_plans["lp_coffee"]
    # The cluster's own strategy: title and link. Lampang's: only "a strategy of Lampang".
    assert cluster_coffee.title_th in page
    assert f'href="{reverse("strategy_detail", args=[cluster_coffee.pk])}"' in page
    assert "ยุทธศาสตร์ของจังหวัดลำปาง" in page
    assert lp_coffee.title_th not in page and reverse("strategy_detail", args=[lp_coffee.pk]) not in page
    # Explained as the finder explains a pair; another cluster's and unrelated plans are not listed.
    assert "ถ้อยคำที่ตรงกัน" in page and "กาแฟ" in page
    assert cluster_plans["other_cluster"].title_th not in page and ROADS[0] not in page
    # A planner cannot create a cluster strategy: told who can, with the cluster named.
    assert 'id="similar-joint-explained"' in page and "ฝ่ายเลขานุการกลุ่มจังหวัด" in page
    assert "กลุ่มจังหวัดภาคเหนือตอนบน 1" in page and 'id="similar-joint"' not in page
    # Lampang's planner sees their own strategy by name (no joint offer needed to learn of it).
    status, page = _hint(client_for(cast["planner_lampang"]), **_coffee(owner="TH-52"))
    assert status == 200 and lp_coffee.title_th in page


def test_it_answers_404_outside_the_cluster_or_for_an_owner_not_theirs(cluster_plans, cast, client_for):
    lp_coffee = cluster_plans["lp_coffee"]
    assert _hint(client_for(cast["secretariat_other"]), **_coffee())[0] == 404
    assert _hint(client_for(cast["planner"]), **_coffee(owner="TH-52"))[0] == 404
    assert _hint(client_for(cast["planner"]), **_coffee(owner="N-UP1"))[0] == 404
    assert _hint(client_for(cast["secretariat"]), **_coffee())[0] == 404  # a member province's: not theirs
    assert _hint(client_for(cast["advisor"]), **_coffee())[0] == 404  # advisors write no strategy
    # Editing: a strategy the user may not change (or see) is a 404 too.
    assert _hint(client_for(cast["planner"]), **_coffee(strategy=str(lp_coffee.pk)))[0] == 404
    assert _hint(client_for(cast["secretariat"]), **_coffee(strategy=str(lp_coffee.pk)))[0] == 404
    assert _hint(client_for(cast["planner"]), **_coffee(strategy="12abc"))[0] == 404
    assert client_for(None).post(URL, _coffee()).status_code == 302  # to the login page


def test_it_encodes_the_draft_once_and_reads_the_stored_vectors(cluster_plans, cast, client_for, encoded):
    status, page = _hint(client_for(cast["planner"]), **_coffee())
    assert status == 200 and cluster_plans["cluster_coffee"].title_th in page
    # One call of the encoder, with the draft's texts only (its whole text first): never a stored strategy's.
    assert len(encoded) == 1 and COFFEE_CM[0] in encoded[0][0]
    stored = [s.title_th for name, s in cluster_plans.items() if name != "other_cluster"]
    assert not any(title in text for text in encoded[0] for title in stored)
    # A draft too short is not even encoded.
    status, page = _hint(client_for(cast["planner"]), owner="TH-50", title_th="กาแฟ")
    assert status == 200 and 'id="similar-too-short"' in page and len(encoded) == 1


def _finder_explains(a: Strategy, b: Strategy):
    """How the decision tab's finder explains the pair (None: not reported), over the stored meanings."""
    from provinces.models import Cluster
    from strategies.decision import selectors as decision

    finding = decision.overlap_finding(cluster=Cluster.objects.get(code="N-UP1"), fiscal_year=2570)
    explained = finding.explained.get(frozenset((a.pk, b.pk)))
    return explained.kind if explained else None


def test_it_judges_an_english_draft_by_meaning_as_the_finder_would(
    cluster_plans, make_strategy, cast, client_for
):
    # Chiang Mai writes in English only; Lampang's Thai solar plan shares no word with it.
    status, page = _hint(client_for(cast["planner"]), owner="TH-50", title_th=SOLAR_EN)
    assert status == 200 and SOLAR_TH[0] not in page  # never the title of what the planner may not open
    shown = "ยุทธศาสตร์ของจังหวัดลำปาง" in page
    # The draft saved and its meaning stored: the finder's verdict on the same pair is the hint's.
    saved = make_strategy("TH-50", cast["planner"], title_th=SOLAR_EN)
    embeddings.embed_strategies()
    kind = _finder_explains(saved, cluster_plans["lp_solar"])
    assert shown == (kind is not None), kind
    if kind is not None:
        assert kind == semantic.MEANING and "ความหมายใกล้เคียงกัน" in page


def test_it_falls_back_to_words_when_the_encoder_cannot_load(cluster_plans, cast, client_for, encoder_broken):  # noqa: F811
    status, page = _hint(client_for(cast["planner"]), **_coffee())
    assert status == 200
    assert 'id="similar-words-only"' in page and "เทียบจากถ้อยคำเท่านั้น" in page
    assert cluster_plans["cluster_coffee"].title_th in page  # the words still find it
    status, page = _hint(client_for(cast["planner"]), owner="TH-50", title_th=SOLAR_EN)
    assert status == 200 and "ยุทธศาสตร์ของจังหวัดลำปาง" not in page  # meaning alone: not without the encoder


def test_it_says_which_plans_are_compared_by_words_alone(make_strategy, cast, client_for, encoder_offline):  # noqa: F811
    make_strategy("N-UP1", cast["secretariat"], title_th=COFFEE_CLUSTER[0], summary_th=COFFEE_CLUSTER[1])
    status, page = _hint(client_for(cast["planner"]), **_coffee())
    assert status == 200 and COFFEE_CLUSTER[0] in page  # no vector stored: matched by its words
    assert 'id="similar-without-vector"' in page and "ยังไม่มีเวกเตอร์ความหมาย" in page


BAD_INPUTS = {
    "nothing": {},
    "empty": {"title_th": ""},
    "one word": {"title_th": "กาแฟ"},
    "blank": {"title_th": "   ", "summary_th": "\t"},
    "an English word": {"title_th": "Coffee"},
    "English only": {"title_th": "Arabica coffee on the highlands", "summary_th": "roasting and a community brand"},
    "10,000 characters and more": {"title_th": COFFEE_CM[0] * 300, "summary_th": "กาแฟ " * 2500},
    "NUL characters": {"title_th": "ก\x00ข\x00ค", "summary_th": COFFEE_CM[1] + "\x00"},
    "hostile": {"title_th": "=HYPERLINK(1) <script>alert(1)</script> ๑๒๓ ก์์์ 😀", "summary_th": "ᚠᚢᚦ"},
    "a C.E. year": {"title_th": COFFEE_CM[0], "fiscal_year": "2026"},
    "junk fields": {"title_th": COFFEE_CM[0], "fiscal_year": "\x00", "pillar": "x" * 50, "builds_place": "on",
                    "owner": "TH-50\x00"},
}  # fmt: skip


def test_it_takes_bad_input_without_error(cluster_plans, cast, client_for):
    client = client_for(cast["planner"])
    for name, fields in BAD_INPUTS.items():
        fields = {"owner": "TH-50", **fields}
        status, page = _hint(client, **fields)
        # An owner code that is not theirs (here: with a NUL) is a 404 like any other; the rest is shown.
        assert status == (404 if fields["owner"] != "TH-50" else 200), name
        assert "<script>" not in page, name
        # The same through GET (a link, the benchmark).
        assert client.get(URL, fields).status_code == status, name


def test_it_says_why_nothing_is_shown_for_a_short_draft_or_no_owner(cluster_plans, cast, client_for):
    status, page = _hint(client_for(cast["planner"]), owner="TH-50", title_th="กาแฟ")
    assert status == 200 and "พิมพ์ชื่อหรือสาระสำคัญเพิ่ม" in page
    status, page = _hint(client_for(cast["admin"]), title_th=COFFEE_CM[0])  # several owners, none chosen
    assert status == 200 and 'id="similar-choose-owner"' in page


def test_it_leaves_out_the_strategy_being_edited_and_dropped_ones(
    cluster_plans, make_strategy, cast, client_for
):
    client = client_for(cast["secretariat"])
    coffee = cluster_plans["cluster_coffee"]
    status, page = _hint(
        client, strategy=str(coffee.pk), title_th=COFFEE_CLUSTER[0], summary_th=COFFEE_CLUSTER[1]
    )
    assert status == 200 and 'id="similar-result"' in page
    assert reverse("strategy_detail", args=[coffee.pk]) not in page
    # Lampang's coffee, which the secretariat may open: by name. The cluster's own: no offer of itself.
    assert cluster_plans["lp_coffee"].title_th in page and "ยุทธศาสตร์ของจังหวัดลำปาง" not in page
    assert 'id="similar-joint' not in page
    Strategy.objects.filter(pk=cluster_plans["lp_coffee"].pk).update(status=StrategyStatus.DROPPED)
    status, page = _hint(
        client, strategy=str(coffee.pk), title_th=COFFEE_CLUSTER[0], summary_th=COFFEE_CLUSTER[1]
    )
    assert cluster_plans["lp_coffee"].title_th not in page and 'id="similar-none"' in page  # fmt: skip


def test_it_offers_whoever_may_own_a_cluster_strategy_the_prefilled_form(cluster_plans, cast, client_for):
    client = client_for(cast["admin"])
    long_summary = COFFEE_CM[1] + " " + "ขยายตลาดกาแฟ" * 400
    status, page = _hint(client, **_coffee(summary_th=long_summary))
    assert status == 200
    link = re.search(r'id="similar-joint" href="([^"]+)"', page)[1].replace("&amp;", "&")
    assert len(link) < 4000  # within a server's request line, however long the summary
    query = parse_qs(urlsplit(link).query)
    assert query["owner"] == ["N-UP1"] and query["fy"] == ["2570"] and query["title_th"] == [COFFEE_CM[0]]
    form = client.get(link).content.decode()
    assert f'value="{COFFEE_CM[0]}"' in form and COFFEE_CM[1] in form
    assert '<option value="N-UP1" selected>' in form
    # The form asks for similar plans as the text is typed.
    assert 'hx-post="/strategies/similar/"' in form and 'hx-trigger="input changed delay:600ms"' in form


def test_it_keeps_the_hint_query_count_independent_of_data_size(
    cluster_plans, make_strategy, cast, client_for
):
    client = client_for(cast["planner"])
    counts = []
    for extra in (0, 12):
        for i in range(extra):
            make_strategy(
                "TH-51", cast["admin"], title_th=f"{COFFEE_LP[0]} ระยะที่ {i}", summary_th=COFFEE_LP[1]
            )
        embeddings.embed_strategies()
        client.post(URL, _coffee())  # warm (sessions, the content types)
        with CaptureQueriesContext(connection) as queries:
            assert client.post(URL, _coffee()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 10, counts


# --- the notification on save -----------------------------------------------------------------------------


def test_it_tells_the_owners_of_similar_strategies_on_save(
    make_strategy, criteria, cast, django_capture_on_commit_callbacks
):
    cluster_coffee = make_strategy("N-UP1", cast["secretariat"], title_th=COFFEE_CLUSTER[0],
                                   summary_th=COFFEE_CLUSTER[1])  # fmt: skip
    lp_coffee = make_strategy(
        "TH-52", cast["planner_lampang"], title_th=COFFEE_LP[0], summary_th=COFFEE_LP[1]
    )
    make_strategy("N-UP1", cast["secretariat"], title_th=ROADS[0], summary_th=ROADS[1])
    with django_capture_on_commit_callbacks(execute=True):
        mine = make_strategy("TH-50", cast["planner"], title_th=COFFEE_CM[0], summary_th=COFFEE_CM[1])
    rows = list(Notification.objects.filter(kind=NotificationKind.SIMILAR_STRATEGY))
    # The secretariat (owner of the cluster's coffee strategy) may open Chiang Mai's: told, once. Lampang's
    # planner may not open Chiang Mai's strategy: not told. The actor: never.
    assert [(n.recipient, n.target) for n in rows] == [(cast["secretariat"], mine)]
    assert rows[0].url == reverse("strategy_detail", args=[mine.pk]) and rows[0].actor == cast["planner"]
    text = items(cast["secretariat"], rows)[0].message.text
    assert (
        text == f"สมศรี ใจดี ร่างยุทธศาสตร์ “{COFFEE_CM[0]}” ซึ่งคล้ายกับยุทธศาสตร์ “{cluster_coffee.title_th}” ของท่าน"
    )
    # Saving again with the same text announces nothing; a re-worded text tells each pair once only.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.strategy_update(strategy=mine, data=data(title_th=COFFEE_CM[0], summary_th=COFFEE_CM[1],
                                 pillar="socio_cultural"), scores=scores(criteria), by=cast["planner"])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.strategy_update(strategy=mine, data=data(title_th=COFFEE_CM[0], summary_th=COFFEE_CM[1] + " ดอยสูง"),
                                 scores=scores(criteria), by=cast["planner"])  # fmt: skip
    assert Notification.objects.filter(kind=NotificationKind.SIMILAR_STRATEGY).count() == 1
    assert not callbacks  # no signal for a save that kept the text
    # A cluster strategy similar to provinces' plans: their planners may open it, and are told.
    with django_capture_on_commit_callbacks(execute=True):
        joint = make_strategy("N-UP1", cast["secretariat"], title_th=COFFEE_LP[0] + "ร่วมกัน",
                              summary_th=COFFEE_LP[1])  # fmt: skip
    told = {n.recipient.username for n in Notification.objects.filter(target_id=joint.pk)}
    assert told == {"planner_cm", "planner_lp"}
    assert lp_coffee.title_th in str(Notification.objects.get(target_id=joint.pk, recipient=cast["planner_lampang"]).params)  # fmt: skip


def test_it_notifies_nobody_when_the_text_says_too_little(
    make_strategy, cast, django_capture_on_commit_callbacks
):
    make_strategy("N-UP1", cast["secretariat"], title_th=COFFEE_CLUSTER[0], summary_th=COFFEE_CLUSTER[1])
    with django_capture_on_commit_callbacks(execute=True):
        make_strategy("TH-50", cast["planner"], title_th="กาแฟ")
    assert not Notification.objects.filter(kind=NotificationKind.SIMILAR_STRATEGY).exists()
    assert similar.similar_on_save(Strategy.objects.get(title_th="กาแฟ")) == []


def test_it_uses_the_rule_and_thresholds_of_the_finder(cluster_plans):
    # The hint's pairs are those the finder reports: the same function, with the settings' thresholds.
    lp = cluster_plans["lp_coffee"]
    from strategies.decision import selectors as decision

    subject = decision.doc_of(cluster_plans["cluster_coffee"])
    candidates = [lp, cluster_plans["roads"]]
    found = similar.score(subject, None, candidates, {})
    assert [m.strategy for m in found] == [lp] and found[0].kind == semantic.WORDS and found[0].by_words_only
    assert "กาแฟ" in found[0].terms


def test_it_scores_only_the_drafts_row_with_the_whole_buckets_numbers(
    cluster_plans, cast, client_for, monkeypatch
):
    # The hint asks for the draft's pairs only; they are those, and scored as, the whole bucket reports.
    calls = []
    real = semantic.score_bucket

    def spy(bucket, vectors, **kwargs):
        result = real(bucket, vectors, **kwargs)
        calls.append((bucket, vectors, kwargs, result))
        return result

    monkeypatch.setattr(semantic, "score_bucket", spy)
    status, page = _hint(client_for(cast["secretariat"]), **_coffee(owner="N-UP1", title_en="Arabica coffee"))
    assert status == 200 and cluster_plans["lp_coffee"].title_th in page
    [(bucket, vectors, kwargs, (explained, _))] = calls
    assert kwargs["rows"] == [0] and bucket[0].id == similar.DRAFT_ID and len(vectors) == len(bucket)
    whole, _ = real(bucket, vectors, **{k: v for k, v in kwargs.items() if k != "rows"})
    rows = [(e.pair.key, e.pair.score, e.kind) for e in explained]
    assert rows and rows == [
        (e.pair.key, e.pair.score, e.kind) for e in whole if similar.DRAFT_ID in e.pair.key
    ]


def test_it_checks_a_save_with_its_stored_meaning_where_it_is_stored_first(
    make_strategy,
    cast,
    settings,
    monkeypatch,
    encoder_offline,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from config.celery_app import app

    # Where Celery runs eagerly (development), the new text's meaning is stored by the embedding callback,
    # registered before the announcement: the save-time check then compares by meaning too, and tells the
    # owners exactly when the finder reports the pair.
    settings.STRATEGY_EMBEDDINGS_AUTO = True
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    with django_capture_on_commit_callbacks(execute=True):
        thai = make_strategy("TH-50", cast["planner"], title_th=SOLAR_TH[0], summary_th=SOLAR_TH[1])
    assert not Notification.objects.exists()
    used = []
    real = similar.score
    monkeypatch.setattr(
        similar, "score", lambda subject, meaning, *a: used.append(meaning) or real(subject, meaning, *a)
    )
    with django_capture_on_commit_callbacks(execute=True):
        english = make_strategy("N-UP1", cast["secretariat"], title_th=SOLAR_EN)
    assert used and used[0] is not None  # its own stored meaning, not words alone
    rows = list(Notification.objects.filter(kind=NotificationKind.SIMILAR_STRATEGY))
    kind = _finder_explains(thai, english)
    assert [(n.recipient, n.target) for n in rows] == ([(cast["planner"], english)] if kind else [])
    if kind:
        assert rows[0].params == {"other": thai.title_th, "created": True, "how": kind}
