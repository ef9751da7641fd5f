"""Synthetic strategies for timing the overlap finder on national-scale data (no database)."""

import random

from readiness.choices import DIMENSIONS

from .overlaps import Doc

CLUSTERS = [
    "N-UP1", "N-UP2", "N-LO1", "N-LO2", "NE-UP1", "NE-UP2", "NE-MID", "NE-LO1", "NE-LO2",
    "C-UP", "C-MET", "C-LO1", "C-LO2", "E-1", "E-2", "S-GULF", "S-AND", "S-BDR",
]  # fmt: skip
VERBS = ["พัฒนา", "ยกระดับ", "ส่งเสริม", "เสริมสร้าง", "ปรับปรุง", "สนับสนุน", "บูรณาการ", "ฟื้นฟู"]
SUBJECTS = [
    "ด่านชายแดนและการค้าชายแดน", "แรงงานข้ามชาติและบริการสุขภาพ", "การท่องเที่ยวเชิงวัฒนธรรม",
    "สินค้าเกษตรปลอดภัยมาตรฐาน GAP", "ผลิตภัณฑ์ชุมชนและบรรจุภัณฑ์", "ทักษะภาษาอังกฤษของบุคลากร",
    "ระบบโลจิสติกส์และศูนย์กระจายสินค้า", "การป้องกันยาเสพติดตามแนวชายแดน", "อาหารฮาลาลเพื่อการส่งออก",
    "การจัดการขยะทะเลและชายฝั่ง", "การแก้ไขปัญหาหมอกควันและไฟป่า", "การบริหารจัดการน้ำและป้องกันน้ำท่วม",
    "ฝีมือแรงงานภาคอุตสาหกรรม", "ผู้ประกอบการ SME และการค้าออนไลน์", "การแพทย์ฉุกเฉินและสาธารณสุข",
    "การศึกษาและทุนการศึกษาของเยาวชน", "ยางพาราและการแปรรูป", "ผลไม้คุณภาพเพื่อการส่งออก",
    "เส้นทางท่องเที่ยวริมแม่น้ำโขง", "การประชุมนานาชาติและนิทรรศการ", "ระบบรางและท่าเรือ",
    "ความปลอดภัยในชีวิตและทรัพย์สิน", "ผู้สูงอายุและคุณภาพชีวิต", "ประมงพื้นบ้านและการแปรรูปสัตว์น้ำ",
]  # fmt: skip
PLACES = ["เชียงใหม่", "ลำพูน", "หนองคาย", "อุดรธานี", "ระยอง", "ชลบุรี", "ปัตตานี", "สงขลา", "ภูเก็ต", "ตาก"]
CLAUSES = [
    "ร่วมกับภาคเอกชนและองค์กรปกครองส่วนท้องถิ่น", "เชื่อมโยงกับประเทศเพื่อนบ้านในอาเซียน",
    "จัดอบรมและศึกษาดูงาน", "จัดทำฐานข้อมูลและระบบติดตามผล", "เพิ่มมูลค่าและเปิดตลาดใหม่",
    "ปรับปรุงโครงสร้างพื้นฐานและอาคาร", "สร้างเครือข่ายชุมชนเฝ้าระวัง", "รับรองมาตรฐานสากล",
]  # fmt: skip


def synthetic_docs(n: int, *, seed: int = 2570, fiscal_years: tuple[int, ...] = (2570,)) -> list[Doc]:
    """n strategies spread over the 18 clusters (about five owners each), titles and summaries of a few
    dozen Thai words built from plan phrases, so that many pairs share words and some truly overlap."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        cluster = CLUSTERS[i % len(CLUSTERS)]
        owner = cluster if rng.random() < 0.2 else f"TH-{rng.randint(10, 15)}"
        subject = rng.choice(SUBJECTS)
        title = f"{rng.choice(VERBS)}{subject}{rng.choice(PLACES)}"
        summary = " ".join(
            f"{rng.choice(VERBS)}{rng.choice(SUBJECTS if rng.random() < 0.3 else [subject])} {rng.choice(CLAUSES)}"
            for _ in range(rng.randint(2, 5))
        )
        docs.append(
            Doc(
                id=i + 1,
                cluster=cluster,
                fiscal_year=rng.choice(fiscal_years),
                owner=owner,
                title=title,
                summary=summary,
                pillar=rng.choice(["economic", "socio_cultural", "political_security"]),
                work_area=rng.choice(["development", "public_service", "law_enforcement"]),
                dimensions=frozenset(rng.sample(DIMENSIONS, rng.randint(0, 2))),
            )
        )
    return docs


def synthetic_meanings(docs: list[Doc]) -> dict:
    """Stand-in meanings for timing (no encoder): seeded random unit vectors, one per distinct word, so
    that strategies sharing subject words have similar word vectors, as real ones do."""
    import zlib

    import numpy as np

    from . import semantic

    def unit(seed: int) -> np.ndarray:
        v = np.random.default_rng(seed).standard_normal(semantic.DIMENSIONS).astype(np.float32)
        return v / np.linalg.norm(v)

    result = {}
    for d in docs:
        words = semantic.subject_words(d.title, d.summary)
        vectors = np.stack([unit(zlib.crc32(w.encode())) for w in words]) if words else None
        full = vectors.mean(0) if vectors is not None else unit(d.id)
        result[d.id] = semantic.Meaning(
            full=full / np.linalg.norm(full),
            subject=full / np.linalg.norm(full),
            words=words,
            word_vectors=vectors if vectors is not None else np.zeros((0, semantic.DIMENSIONS), np.float32),
        )
    return result
