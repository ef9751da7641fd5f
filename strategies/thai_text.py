"""Thai text for the overlap finder: tokenise, normalise, drop stop words, make character n-grams.

Thai is written without spaces between words, so titles are cut into words with PyThaiNLP's ``newmm``
engine (dictionary-based maximal matching; the dictionary ships inside the package, nothing is downloaded
at run time). Then each word is normalised:

* lower case, punctuation, digits and stray marks stripped; the prefixes การ/ความ dropped
  (การท่องเที่ยว → ท่องเที่ยว, ความมั่นคง → มั่นคง);
* phrases the tokeniser cuts in two are joined again (แรงงาน + ต่างด้าว → แรงงานต่างด้าว) and a few
  common mis-cuts are repaired (แรง + งานอุตสาหกรรม → แรงงาน + อุตสาหกรรม);
* synonyms common in Thai plans map onto one word (ยกระดับ/เสริมสร้าง/ส่งเสริม → พัฒนา,
  แรงงานต่างด้าว/แรงงานต่างชาติ → แรงงานข้ามชาติ, จุดผ่านแดน/ด่านพรมแดน → ด่านชายแดน, ...);
* stop words — grammar words and words every plan uses (จังหวัด, อาเซียน, โครงการ, ...) — are dropped.
  A second list, GENERIC, holds words that carry a little meaning but appear everywhere (พัฒนา, ระบบ,
  บริการ, ...): they are kept but weigh less (see GENERIC_WEIGHT).

The lists are small and curated on purpose: a planner or an administrator can read them and see why two
strategies were matched. Add a synonym where planners use two words for one thing.
"""

import re
import unicodedata
from functools import lru_cache

# canonical word → the variants planners write for it. Variants may be phrases that the tokeniser cuts
# into several words; they are joined again before the look-up.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "พัฒนา": ("ยกระดับ", "เสริมสร้าง", "ส่งเสริม", "สนับสนุน", "ปรับปรุง", "เพิ่มศักยภาพ", "develop", "promote"),
    "แรงงานข้ามชาติ": (
        "แรงงานต่างด้าว",
        "แรงงานต่างชาติ",
        "แรงงานต่างประเทศ",
        "แรงงานเพื่อนบ้าน",
        "แรงงานข้ามแดน",
        "migrant",
    ),
    "ด่านชายแดน": (
        "จุดผ่านแดน",
        "จุดผ่านแดนถาวร",
        "ด่านพรมแดน",
        "ด่านศุลกากร",
        "ด่าน",
        "จุดผ่อนปรน",
        "จุดผ่อนปรนการค้า",
        "ช่องทางผ่านแดน",
        "checkpoint",
    ),
    "ชายแดน": ("พรมแดน", "แนวชายแดน", "ตะเข็บชายแดน", "border"),
    "ท่องเที่ยว": ("นักท่องเที่ยว", "ท่องเที่ยว", "tourism", "tourist", "tourists"),
    "สินค้า": ("ผลิตภัณฑ์", "product", "products"),
    "ทักษะ": ("สมรรถนะ", "ศักยภาพ", "ขีดความสามารถ", "ความสามารถ", "skill", "skills"),
    "ฝึกอบรม": ("อบรม", "training"),
    "บุคลากร": ("เจ้าหน้าที่", "พนักงาน", "ข้าราชการ", "staff", "officer", "officers"),
    "ผู้ประกอบการ": ("วิสาหกิจ", "เอสเอ็มอี", "sme", "smes", "entrepreneur", "entrepreneurs"),
    "ลาว": ("สปปลาว", "สาธารณรัฐประชาธิปไตยประชาชนลาว", "laos", "lao"),
    "เมียนมา": ("พม่า", "เมียนมาร์", "myanmar"),
    "กัมพูชา": ("เขมร", "cambodia"),
    "มาเลเซีย": ("malaysia",),
    "ยาเสพติด": ("ยาเสพย์ติด", "ยาบ้า", "drug", "drugs", "narcotics"),
    "ค้ามนุษย์": ("trafficking",),
    "ขยะ": ("ขยะมูลฝอย", "ของเสีย", "waste"),
    "ชายฝั่ง": ("ชายหาด", "หาด", "coast", "coastal", "beach"),
    "ทะเล": ("ทางทะเล", "marine", "sea"),
    "ข้อมูล": ("ฐานข้อมูล", "ระบบข้อมูล", "สารสนเทศ", "data", "database"),
    "สาธารณสุข": ("health",),
    "โลจิสติกส์": ("ขนส่ง", "ขนส่งสินค้า", "logistics", "transport"),
    "ศูนย์กระจายสินค้า": ("คลังสินค้า", "ศูนย์โลจิสติกส์", "warehouse"),
    "เกษตร": ("เกษตรกรรม", "agriculture", "agricultural"),
    "ฮาลาล": ("halal",),
    "วัฒนธรรม": ("ประเพณี", "culture", "cultural"),
    "เทศกาล": ("งานประจำปี", "festival"),
    "ภาษาต่างประเทศ": (
        "ภาษาอังกฤษ",
        "ภาษาจีน",
        "ภาษาเมียนมา",
        "ภาษาลาว",
        "ภาษามลายู",
        "ภาษาอาเซียน",
        "english",
        "language",
    ),
    "ป้องกัน": ("สกัดกั้น", "ปราบปราม", "เฝ้าระวัง"),
    "ประชุมนานาชาติ": ("ไมซ์", "mice"),
    "แรงงานฝีมือ": ("ฝีมือแรงงาน",),
    "น้ำท่วม": ("อุทกภัย", "flood", "flooding"),
    "หมอกควัน": ("ฝุ่นควัน", "ฝุ่นละออง", "haze", "smog"),
}

# Words joined or repaired after tokenising, beyond the synonym variants (newmm cuts these apart).
PHRASES = ("แรงงานฝีมือ", "ฝีมือแรงงาน", "แรงงาน", "ขยะทะเล", "ศูนย์กระจายสินค้า", "ด่านหน้า", "จุดร้อน")
# "X เชิง Y" (ท่องเที่ยวเชิงศาสนา, เกษตรเชิงพาณิชย์) is one subject: joined, so that religious and marine
# tourism do not look alike merely because both say ท่องเที่ยว.
QUALIFIER = "เชิง"

STOP_WORDS = frozenset(
    [
        "การ",
        "ความ",
        "ของ",
        "และ",
        "หรือ",
        "เพื่อ",
        "ใน",
        "ให้",
        "กับ",
        "สู่",
        "ที่",
        "ซึ่ง",
        "ด้วย",
        "โดย",
        "จาก",
        "ตาม",
        "เป็น",
        "มี",
        "ได้",
        "ไป",
        "มา",
        "แก่",
        "แห่ง",
        "ต่อ",
        "ทั้ง",
        "อย่าง",
        "เช่น",
        "ระหว่าง",
        "เรื่อง",
        "ด้าน",
        "ร่วม",
        "ร่วมกับ",
        "รวม",
        "ทุก",
        "ต่างๆ",
        "ต่าง",
        "ๆ",
        "นี้",
        "นั้น",
        "ไว้",
        "ยัง",
        "อื่น",
        "สำหรับ",
        "จัด",
        "จัดทำ",
        "ทำ",
        "ผ่าน",
        "เชิง",
        "ได้แก่",
        "ตลอด",
        "รวมถึง",
        "ควบคู่",
        "ณ",
        "ดำเนินการ",
        "ดำเนินงาน",
        "จังหวัด",
        "กลุ่มจังหวัด",
        "กลุ่ม",
        "จว",
        "อาเซียน",
        "ประชาคม",
        "ประชาคมอาเซียน",
        "โครงการ",
        "ยุทธศาสตร์",
        "แผน",
        "แผนงาน",
        "กิจกรรม",
        "เป้าหมาย",
        "มาตรการ",
        "แนวทาง",
        "ประจำปี",
        "ปีงบประมาณ",
        "งบประมาณ",
        "ภายใต้",
        "รองรับ",
        "มุ่ง",
        "สร้าง",
        "ตอน",
        "บน",
        "ล่าง",
        "the",
        "of",
        "and",
        "or",
        "for",
        "to",
        "in",
        "on",
        "a",
        "an",
        "with",
        "by",
        "from",
        "at",
        "as",
        "into",
        "its",
        "their",
        "our",
    ]
)

# Kept, but weigh GENERIC_WEIGHT of an ordinary word: they say little about what a strategy is about.
GENERIC = frozenset(
    [
        "พัฒนา",
        "ระบบ",
        "บริการ",
        "คุณภาพ",
        "มาตรฐาน",
        "เศรษฐกิจ",
        "ชุมชน",
        "ประชาชน",
        "พื้นที่",
        "เครือข่าย",
        "บริหาร",
        "จัดการ",
        "เชื่อมโยง",
        "เชื่อม",
        "ประเทศ",
        "เพื่อนบ้าน",
        "ภาค",
        "ศูนย์",
        "กลาง",
        "เมือง",
        "ทักษะ",
        "เพิ่ม",
        "ตลาด",
        "ขับเคลื่อน",
        "ยั่งยืน",
        "ศูนย์กลาง",
        "ความร่วมมือ",
        "ภาคี",
        "นานาชาติ",
        "สากล",
        "ระดับ",
    ]
)
GENERIC_WEIGHT = 0.35
# Places weigh as generic words too: a cluster's strategies all name its provinces and its region, which
# says where, not what. The province names come from the reference data (provinces/data/provinces.csv).
REGIONS = frozenset(
    [
        "ภาคเหนือ",
        "ภาคใต้",
        "ภาคกลาง",
        "ภาคตะวันออก",
        "ภาคตะวันตก",
        "ภาคตะวันออกเฉียงเหนือ",
        "ภาคอีสาน",
        "อีสาน",
        "เหนือ",
        "ใต้",
        "ตะวันออก",
        "ตะวันตก",
        "อนุภูมิภาค",
        "ภูมิภาค",
        "ชายแดนใต้",
        "ปริมณฑล",
    ]
)

_VARIANT_TO_CANONICAL = {
    variant: canonical for canonical, variants in SYNONYMS.items() for variant in (canonical, *variants)
}
# Joined phrases, longest first; the join looks ahead at most this many tokens.
_JOINABLE = frozenset(w for w in (*_VARIANT_TO_CANONICAL, *PHRASES) if len(w) >= 4)
_MAX_JOIN = 4
# Prefer these heads when the tokeniser cut across them (แรง|งานอุตสาหกรรม → แรงงาน|อุตสาหกรรม).
_REPAIR_HEADS = ("แรงงาน", "ท่องเที่ยว", "ชายแดน", "ผลิตภัณฑ์", "สินค้า")

_THAI_CONSONANT_OR_LEADING_VOWEL = re.compile(r"[\u0E01-\u0E2E\u0E40-\u0E44]")
_KEEP = re.compile(r"[^a-z\u0E01-\u0E2E\u0E30-\u0E3A\u0E40-\u0E45\u0E47-\u0E4E]+")
# Variants written with punctuation or spaces inside, replaced before tokenising.
_PRE = [
    (re.compile(r"สปป\s*\.?\s*ลาว"), "ลาว"),
    (re.compile(r"ส\s*\.?\s*ป\s*\.?\s*ป\s*\.?\s*ลาว"), "ลาว"),
    (re.compile(r"จ\s*\.\s*"), " "),  # จ. (province abbreviation)
    (re.compile(r"(?<=[\u0E01-\u0E4E])-(?=[\u0E01-\u0E4E])"), ""),  # สุไหงโก-ลก → สุไหงโกลก
]

MAX_CHARS = 3000  # a very long summary is cut here: its first paragraphs say what it is about


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from pythainlp.corpus.common import thai_words

    return thai_words()


@lru_cache(maxsize=16384)
def _tokenize_chunk(chunk: str) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize

    return tuple(word_tokenize(chunk, engine="newmm", keep_whitespace=False))


def _tokenize(text: str) -> list[str]:
    """newmm on each space-separated chunk (Thai writes spaces between phrases): phrases that plans repeat,
    such as ร่วมกับภาคเอกชน, are cut once per process."""
    return [t for chunk in text.split() for t in _tokenize_chunk(chunk)]


def _clean(token: str) -> str:
    token = _KEEP.sub("", token.lower())
    if len(token) > 4 and token[:3] in ("การ",) and _THAI_CONSONANT_OR_LEADING_VOWEL.match(token[3]):
        token = token[3:]
    elif len(token) > 5 and token[:4] == "ความ" and _THAI_CONSONANT_OR_LEADING_VOWEL.match(token[4]):
        token = token[4:]
    return token


def _join(tokens: list[str]) -> list[str]:
    """Join runs of tokens that spell a known phrase, and repair cuts across a preferred head word."""
    words = _dictionary()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + _MAX_JOIN), i + 1, -1):
            joined = "".join(tokens[i:j])
            if joined in _JOINABLE:
                out.append(joined)
                i = j
                break
        else:
            token = tokens[i]
            if token == QUALIFIER and out and i + 1 < len(tokens):
                out[-1] = out[-1] + QUALIFIER + tokens[i + 1]
                i += 2
                continue
            if i + 1 < len(tokens):
                pair = token + tokens[i + 1]
                head = next(
                    (
                        h
                        for h in _REPAIR_HEADS
                        if pair.startswith(h) and len(h) > len(token) and len(pair) > len(h)
                    ),
                    None,
                )
                if head and pair[len(head) :] in words:
                    out.extend((head, pair[len(head) :]))
                    i += 2
                    continue
            out.append(token)
            i += 1
    return out


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """The normalised content words of a text, in order (synonyms merged, stop words dropped)."""
    if not text or not text.strip():
        return ()
    text = unicodedata.normalize("NFC", text[:MAX_CHARS])
    for pattern, replacement in _PRE:
        text = pattern.sub(replacement, text)
    raw = [t for t in (_clean(t) for t in _tokenize(text)) if t]
    result = []
    for token in _join(raw):
        token = _VARIANT_TO_CANONICAL.get(token, token)
        if token in STOP_WORDS or len(token) < 2:
            continue
        result.append(token)
    return tuple(result)


@lru_cache(maxsize=65536)
def grams_of(token: str, n: int = 3) -> tuple[str, ...]:
    """Character n-grams of one normalised word, padded so that the word's start and end count."""
    padded = f"_{token}_"
    if len(padded) <= n:
        return (padded,)
    return tuple(padded[i : i + n] for i in range(len(padded) - n + 1))


def char_ngrams(tokens: tuple[str, ...], n: int = 3) -> list[str]:
    """Character n-grams of each normalised word."""
    return [g for token in tokens for g in grams_of(token, n)]


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "provinces" / "data" / "provinces.csv"
    try:
        with path.open(encoding="utf-8") as f:
            names = {row["name_th"].strip() for row in csv.DictReader(f)}
    except (OSError, KeyError):
        names = set()
    return frozenset(names | REGIONS | {"กรุงเทพ"})


def is_generic(word: str) -> bool:
    return word in GENERIC or word in place_names()


def weight_of(word: str) -> float:
    return GENERIC_WEIGHT if is_generic(word) else 1.0


MAX_SUBJECT_WORDS = 32  # distinct subject words kept per strategy (title first): what the summary adds later


def subject_words(title: str, summary: str) -> tuple[str, ...]:
    """The words that say what a strategy is ABOUT: its content words without the generic ones and the place
    names (see GENERIC and place_names), title first, each once, at most MAX_SUBJECT_WORDS."""
    seen: dict[str, None] = {}
    for word in (*words(title), *words(summary)):
        if not is_generic(word):
            seen.setdefault(word, None)
            if len(seen) >= MAX_SUBJECT_WORDS:
                break
    return tuple(seen)


def subject_text(title: str, summary: str) -> str:
    """The title's and the summary's subject words in their order (repeats kept), joined by spaces: the plan
    with its boilerplate (ส่งเสริม…, พัฒนา…, the province names) taken out. The title when nothing is left."""
    kept = [w for w in (*words(title), *words(summary)) if not is_generic(w)]
    return " ".join(kept) if kept else (title or "").strip()


_THAI_LETTER = re.compile(r"[\u0E00-\u0E7F]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def mainly_thai(text: str) -> bool:
    """Whether at least half of the letters of a text are Thai (an English-only plan is not)."""
    text = text[:MAX_CHARS]
    thai = len(_THAI_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    return thai >= 0.5 * max(1, thai + latin)
