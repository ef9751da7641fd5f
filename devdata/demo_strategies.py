"""Demo strategies and projects: several clusters, all four quadrants, some carried forward from FY 2569,
some overridden by the advisor with a reason, some waiting for review. Deterministic and idempotent."""

from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from provinces.models import Cluster, Province
from strategies.choices import ReviewKind, StrategyStatus
from strategies.models import Criterion, CriterionScore, Project, Strategy, StrategyReview
from strategies.services import active_criteria, effect_from_scores

# owner, ref, title, summary, work area, pillar, dimensions, scores A1 A2 A3 N1 N2 N3, status, projects
# project: title, lead agency, partners, budget (baht), funding, provinces (empty = owner's)
DEMO = [
    (
        "N-UP1",
        "NUP1-01",
        "พัฒนาเส้นทางโลจิสติกส์เชื่อมโยงภาคเหนือตอนบนกับเมียนมาและจีนตอนใต้",
        "ยกระดับถนนและจุดพักรถบรรทุกจากเชียงใหม่ ลำพูน ลำปาง สู่ด่านชายแดน และพัฒนาศูนย์กระจายสินค้าร่วมของกลุ่มจังหวัด",
        "development",
        "economic",
        "place",
        (4, 4, 1, 4, 2, 2),
        "endorsed",
        [
            (
                "ศูนย์กระจายสินค้าและจุดพักรถบรรทุกลำพูน",
                "สำนักงานจังหวัดลำพูน",
                ["government", "private"],
                180_000_000,
                "cluster",
                ["TH-50", "TH-51", "TH-52"],
            ),
            (
                "ปรับปรุงถนนเชื่อมด่านชายแดนแม่ฮ่องสอน",
                "แขวงทางหลวงแม่ฮ่องสอน",
                ["government", "local_government"],
                950_000_000,
                "central",
                ["TH-58", "TH-50"],
            ),
        ],
    ),
    (
        "N-UP1",
        "NUP1-02",
        "ยกระดับสินค้าเกษตรปลอดภัยและสินค้า GI ของกลุ่มจังหวัดสู่ตลาดอาเซียน",
        "ส่งเสริมมาตรฐาน GAP และฮาลาล พัฒนาบรรจุภัณฑ์และตราสินค้ากลุ่มจังหวัด เชื่อมผู้ประกอบการกับผู้ซื้อในอาเซียน",
        "development",
        "economic",
        "product",
        (4, 2, 1, 3, 0, 2),
        "proposed",
        [
            (
                "พัฒนาบรรจุภัณฑ์และตราสินค้า GI ล้านนา",
                "สำนักงานพาณิชย์จังหวัดเชียงใหม่",
                ["government", "private", "academia"],
                25_000_000,
                "cluster",
                ["TH-50", "TH-51", "TH-58"],
            )
        ],
    ),
    (
        "N-UP1",
        "NUP1-03",
        "พัฒนาทักษะภาษาอาเซียนของบุคลากรด่านหน้าและผู้ประกอบการท่องเที่ยว",
        "อบรมภาษาอังกฤษ เมียนมา และจีน ให้เจ้าหน้าที่ด่าน ตำรวจท่องเที่ยว โรงพยาบาล และผู้ประกอบการ",
        "public_service",
        "socio_cultural",
        "people",
        (2, 2, 4, 2, 1, 4),
        "in_progress",
        [
            (
                "หลักสูตรภาษาเพื่อการบริการด่านหน้า",
                "มหาวิทยาลัยเชียงใหม่",
                ["academia", "government"],
                6_500_000,
                "provincial",
                ["TH-50", "TH-58"],
            )
        ],
    ),
    (
        "TH-50",
        "CM-01",
        "เชียงใหม่เมืองศูนย์กลางการประชุมและนิทรรศการของอนุภูมิภาคลุ่มน้ำโขง",
        "ส่งเสริมการจัดประชุมนานาชาติ (MICE) และบริการสุขภาพสำหรับนักท่องเที่ยวอาเซียน",
        "development",
        "economic",
        "product;place",
        (3, 2, 1, 3, 0, 1),
        "endorsed",
        [
            (
                "ตลาดนัดธุรกิจ MICE ลุ่มน้ำโขง",
                "สำนักงานการท่องเที่ยวและกีฬาจังหวัดเชียงใหม่",
                ["private", "government"],
                12_000_000,
                "provincial",
                [],
            )
        ],
    ),
    (
        "TH-50",
        "CM-02",
        "พัฒนาระบบข้อมูลแรงงานข้ามชาติและบริการสุขภาพแรงงาน",
        "เชื่อมข้อมูลการขึ้นทะเบียนแรงงานข้ามชาติกับหน่วยบริการสุขภาพ จัดอาสาสมัครสาธารณสุขต่างด้าว",
        "public_service",
        "socio_cultural",
        "people",
        (1, 1, 3, 1, 3, 3),
        "draft",
        [
            (
                "ระบบทะเบียนแรงงานข้ามชาติเชื่อมโรงพยาบาล",
                "สำนักงานจัดหางานจังหวัดเชียงใหม่",
                ["government", "civil_society"],
                4_800_000,
                "provincial",
                [],
            )
        ],
    ),
    (
        "TH-52",
        "LP-01",
        "ลำปางเมืองเซรามิกสู่ตลาดอาเซียน",
        "ยกระดับผลิตภัณฑ์เซรามิกด้วยการออกแบบ มาตรฐาน และตลาดออนไลน์ข้ามพรมแดน",
        "development",
        "economic",
        "product",
        (3, 1, 1, 3, 0, 1),
        "proposed",
        [
            (
                "ศูนย์ออกแบบเซรามิกลำปาง",
                "สำนักงานอุตสาหกรรมจังหวัดลำปาง",
                ["private", "academia"],
                30_000_000,
                "provincial",
                [],
            )
        ],
    ),
    (
        "TH-58",
        "MH-01",
        "ป้องกันยาเสพติดและการค้ามนุษย์ตามแนวชายแดนแม่ฮ่องสอน",
        "เพิ่มจุดตรวจ ความร่วมมือกับฝ่ายเมียนมา และเครือข่ายเฝ้าระวังในชุมชนชายแดน",
        "law_enforcement",
        "political_security",
        "place;people",
        (1, 1, 2, 0, 4, 3),
        "endorsed",
        [
            (
                "เครือข่ายชุมชนเฝ้าระวังชายแดน",
                "ที่ทำการปกครองจังหวัดแม่ฮ่องสอน",
                ["government", "civil_society"],
                8_000_000,
                "provincial",
                [],
            )
        ],
    ),
    (
        "TH-51",
        "LPN-01",
        "ปรับปรุงภูมิทัศน์วัดและถนนคนเดินเมืองเก่าลำพูน",
        "ปรับปรุงทางเท้าและป้ายบอกทางสองภาษาในเขตเมืองเก่า",
        "development",
        "socio_cultural",
        "place",
        (1, 0, 1, 1, 0, 2),
        "draft",
        [
            (
                "ป้ายบอกทางสองภาษาเมืองเก่า",
                "เทศบาลเมืองลำพูน",
                ["local_government"],
                3_000_000,
                "local_government",
                [],
            )
        ],
    ),
    (
        "NE-UP1",
        "NEUP1-01",
        "พัฒนาด่านหนองคาย–บึงกาฬ เป็นประตูการค้าสู่ สปป. ลาว และจีน",
        "ขยายพื้นที่ตรวจปล่อยสินค้า เชื่อมรถไฟลาว–จีน และบริการจุดเดียวเบ็ดเสร็จ",
        "public_service",
        "economic",
        "place",
        (4, 4, 2, 4, 2, 2),
        "endorsed",
        [
            (
                "ลานตรวจปล่อยสินค้าด่านหนองคาย",
                "ด่านศุลกากรหนองคาย",
                ["government", "private"],
                6_200_000_000,
                "ppp",
                ["TH-43", "TH-38"],
            ),
            (
                "ถนนเชื่อมจุดผ่อนปรนบึงกาฬ",
                "แขวงทางหลวงบึงกาฬ",
                ["government"],
                420_000_000,
                "central",
                ["TH-38", "TH-43"],
            ),
        ],
    ),
    (
        "TH-43",
        "NK-01",
        "ยกระดับด่านพรมแดนหนองคายรองรับรถไฟลาว–จีน",
        "ปรับปรุงลานตรวจสินค้าและระบบศุลกากรอิเล็กทรอนิกส์ที่ด่านหนองคาย",
        "public_service",
        "economic",
        "place",
        (4, 4, 1, 4, 2, 1),
        "proposed",
        [("ระบบศุลกากรอิเล็กทรอนิกส์ด่านหนองคาย", "ด่านศุลกากรหนองคาย", ["government"], 75_000_000, "central", [])],
    ),
    (
        "TH-41",
        "UD-01",
        "อุดรธานีศูนย์กลางการบินและการค้าภาคอีสานตอนบน",
        "ส่งเสริมเที่ยวบินระหว่างประเทศและคลังสินค้าทัณฑ์บน",
        "development",
        "economic",
        "place;product",
        (3, 3, 0, 4, 0, 1),
        "draft",
        [
            (
                "คลังสินค้าทัณฑ์บนท่าอากาศยานอุดรธานี",
                "สำนักงานจังหวัดอุดรธานี",
                ["private", "government"],
                1_200_000_000,
                "private",
                [],
            )
        ],
    ),
    (
        "S-BDR",
        "SBDR-01",
        "เสริมสร้างความมั่นคงและการพัฒนาเศรษฐกิจชายแดนใต้เชื่อมมาเลเซีย",
        "พัฒนาด่านสุไหงโก-ลก และเบตง ควบคู่กับการสร้างงานในชุมชนและการรักษาความปลอดภัย",
        "law_enforcement",
        "political_security",
        "place;people",
        (2, 3, 3, 2, 4, 3),
        "endorsed",
        [
            (
                "ปรับปรุงด่านพรมแดนสุไหงโก-ลก",
                "ที่ทำการปกครองจังหวัดนราธิวาส",
                ["government", "local_government"],
                350_000_000,
                "cluster",
                ["TH-96", "TH-95"],
            )
        ],
    ),
    (
        "S-BDR",
        "SBDR-02",
        "ส่งเสริมสินค้าฮาลาลชายแดนใต้สู่ตลาดมาเลเซียและอินโดนีเซีย",
        "รับรองมาตรฐานฮาลาล พัฒนาบรรจุภัณฑ์ และเชื่อมตลาดผ่านงานแสดงสินค้า",
        "development",
        "economic",
        "product",
        (4, 2, 2, 3, 1, 2),
        "returned",
        [
            (
                "ศูนย์รับรองมาตรฐานฮาลาลปัตตานี",
                "สำนักงานอุตสาหกรรมจังหวัดปัตตานี",
                ["private", "academia"],
                40_000_000,
                "cluster",
                ["TH-94", "TH-95", "TH-96"],
            )
        ],
    ),
    (
        "E-1",
        "E1-01",
        "ยกระดับแรงงานฝีมือในเขตพัฒนาพิเศษภาคตะวันออก (EEC) ตามมาตรฐานอาเซียน",
        "ฝึกอบรมและทดสอบมาตรฐานฝีมือแรงงานตามข้อตกลงยอมรับร่วม (MRA) ร่วมกับภาคอุตสาหกรรม",
        "development",
        "economic",
        "people",
        (3, 1, 2, 4, 0, 3),
        "in_progress",
        [
            (
                "ศูนย์ทดสอบมาตรฐานฝีมือแรงงาน EEC",
                "สำนักงานพัฒนาฝีมือแรงงานชลบุรี",
                ["private", "academia"],
                90_000_000,
                "cluster",
                ["TH-20", "TH-21", "TH-24"],
            )
        ],
    ),
    (
        "E-1",
        "E1-02",
        "งานวัฒนธรรมสัมพันธ์ภาคตะวันออกประจำปี",
        "จัดงานเทศกาลวัฒนธรรมประจำปีของกลุ่มจังหวัด",
        "development",
        "socio_cultural",
        "",
        (1, 0, 2, 1, 0, 1),
        "endorsed",
        [
            (
                "เทศกาลวัฒนธรรมภาคตะวันออก",
                "สำนักงานวัฒนธรรมจังหวัดชลบุรี",
                ["government", "civil_society"],
                5_000_000,
                "cluster",
                ["TH-20", "TH-21"],
            )
        ],
    ),
]

# Strategies also present in FY 2569 with an earlier position, carried forward into FY 2570.
CARRIED = {"NUP1-01": (2, 3, 1, 3, 2, 1), "NEUP1-01": (3, 3, 1, 3, 1, 1), "SBDR-01": (1, 2, 2, 1, 3, 2)}
# The advisor's overrides: ref → (quadrant, reason).
OVERRIDES = {
    "E1-02": ("ข", "งานวัฒนธรรมสัมพันธ์กับประเทศเพื่อนบ้านช่วยสร้างประชาคมสังคมและวัฒนธรรมอาเซียนมากกว่าที่ประเมินไว้"),
    "UD-01": ("ก", "ท่าอากาศยานอุดรธานีเป็นประตูสู่ สปป. ลาว ผลต่อเป้าหมายอาเซียนสูงกว่าที่ประเมินตนเอง"),
}


def _owner(code: str):
    return Province.objects.get(code=code) if code.startswith("TH-") else Cluster.objects.get(code=code)


def _make(owner, ref, fy, row, criteria, scores, status, by, previous=None):
    _o, _r, title, summary, work_area, pillar, dims, _s, _st, _projects = row
    values = dict(zip([c.pk for c in criteria["asean"] + criteria["national"]], scores, strict=True))
    strategy = Strategy.objects.create(
        **({"province": owner} if isinstance(owner, Province) else {"cluster": owner}),
        fiscal_year=fy, external_ref=ref, title_th=title, summary_th=summary, work_area=work_area, pillar=pillar,
        builds_place="place" in dims, builds_product="product" in dims, builds_people="people" in dims,
        status=status, previous=previous, created_by=by,
        asean_effect=effect_from_scores(criteria["asean"], values),
        national_effect=effect_from_scores(criteria["national"], values),
    )  # fmt: skip
    CriterionScore.objects.bulk_create(
        CriterionScore(strategy=strategy, criterion_id=k, value=v) for k, v in values.items()
    )
    return strategy


@transaction.atomic
def demo_strategies_load(*, planner: User | None, secretariat: User | None, advisor: User | None) -> bool:
    """Create the demo strategies if there are none with demo references yet."""
    if Strategy.objects.filter(external_ref="NUP1-01").exists() or not Criterion.objects.exists():
        return False
    criteria = active_criteria()
    for row in DEMO:
        owner_code, ref, *_rest = row
        owner = _owner(owner_code)
        scores, status, projects = row[7], row[8], row[9]
        by = secretariat if owner_code == "N-UP1" else planner if owner_code == "TH-50" else None
        previous = None
        if ref in CARRIED:
            previous = _make(owner, ref, 2569, row, criteria, CARRIED[ref], StrategyStatus.DONE, by)
        strategy = _make(owner, ref, 2570, row, criteria, scores, status, by, previous)
        for title, agency, partners, budget, funding, provinces in projects:
            project = Project.objects.create(
                strategy=strategy, title_th=title, lead_agency=agency, partners=partners, budget=Decimal(budget),
                funding_source=funding, start_fy=2570, end_fy=2571 if budget > 100_000_000 else 2570,
                status="in_progress" if status == "in_progress" else "planned",
                progress=35 if status == "in_progress" else 0,
                kpi="ผู้ได้รับประโยชน์", kpi_target=Decimal(1000), kpi_unit="คน",
            )  # fmt: skip
            codes = provinces or [owner.code]
            project.provinces.set(Province.objects.filter(code__in=codes))
        if status in ("proposed", "endorsed", "returned", "in_progress"):
            StrategyReview.objects.create(strategy=strategy, kind=ReviewKind.PROPOSED, author=by)
        if status in ("endorsed", "in_progress"):
            StrategyReview.objects.create(
                strategy=strategy,
                kind=ReviewKind.ENDORSED,
                author=advisor,
                text="เห็นชอบ สอดคล้องกับความพร้อมของพื้นที่",
            )
        if status == "returned":
            StrategyReview.objects.create(
                strategy=strategy, kind=ReviewKind.RETURNED, author=advisor,
                text="ขอให้ระบุความร่วมมือกับภาคเอกชนและแหล่งงบประมาณให้ชัดเจน และพิจารณาบูรณาการกับกลุ่มจังหวัด",
            )  # fmt: skip
        if ref in OVERRIDES:
            quadrant, reason = OVERRIDES[ref]
            Strategy.objects.filter(pk=strategy.pk).update(
                override_quadrant=quadrant,
                override_reason=reason,
                override_by=advisor,
                override_at=timezone.now(),
            )
            StrategyReview.objects.create(
                strategy=strategy,
                kind=ReviewKind.OVERRIDE,
                author=advisor,
                text=f"{strategy.computed_quadrant} → {quadrant}: {reason}",
            )
    return True
