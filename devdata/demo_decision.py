"""Demo data for decision support: every province's budget envelope for FY 2569–2570, and a few more demo
strategies that near-duplicate the base demo's (the kind of siloed work the finder is for), one with a
project too big for its province and still on the provincial budget, and some indicator claims.

Call after ``devdata.demo_strategies.demo_strategies_load``; both functions are idempotent and never overwrite what
an administrator changed (existing envelopes and strategies are left alone).
"""

from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from provinces.models import Cluster, Province
from readiness.models import Indicator
from strategies.models import BudgetEnvelope, Project, Strategy, StrategyReview

MILLION = 1_000_000
# Annual development budget envelopes (งบพัฒนาจังหวัด), million baht: larger provinces get more. Demo values.
LARGE = {"TH-50": 600, "TH-30": 580, "TH-40": 520, "TH-41": 480, "TH-34": 500, "TH-20": 560, "TH-90": 520,
         "TH-80": 500, "TH-84": 460, "TH-83": 420, "TH-65": 400, "TH-57": 430, "TH-21": 450, "TH-60": 380}  # fmt: skip
BANGKOK = 2_500


def envelope_for(code: str, fiscal_year: int) -> Decimal:
    """A plausible, deterministic envelope: 150–350 million baht by province code, more for large ones,
    about 4% more in FY 2570 than in FY 2569."""
    base = BANGKOK if code == "TH-10" else LARGE.get(code, 150 + (int(code[3:]) * 37) % 200)
    growth = Decimal("1.04") ** (fiscal_year - 2569)
    return (Decimal(base * MILLION) * growth).quantize(Decimal(1_000_000))


@transaction.atomic
def demo_envelopes_load(fiscal_years: tuple[int, ...] = (2569, 2570)) -> int:
    """Create the missing envelopes of every province; returns how many were created."""
    existing = set(BudgetEnvelope.objects.values_list("province_id", "fiscal_year"))
    rows = [
        BudgetEnvelope(province=p, fiscal_year=fy, amount=envelope_for(p.code, fy))
        for p in Province.objects.order_by("code")
        for fy in fiscal_years
        if (p.pk, fy) not in existing
    ]
    BudgetEnvelope.objects.bulk_create(rows)
    return len(rows)


# owner, ref, title, summary, work area, pillar, dimensions, indicator codes, status, projects
# project: title, lead agency, budget (baht), funding source, province codes
EXTRA = [
    ("TH-52", "LP-02", "ยกระดับการบริหารจัดการแรงงานต่างด้าวและหลักประกันสุขภาพในลำปาง",
     "จัดทำฐานข้อมูลแรงงานต่างด้าว ตรวจสุขภาพและขายบัตรประกันสุขภาพ ร่วมกับสำนักงานจัดหางานและโรงพยาบาล",
     "public_service", "socio_cultural", "people", ["PE-03"], "draft",
     [("ศูนย์ตรวจสุขภาพแรงงานต่างด้าวลำปาง", "สำนักงานสาธารณสุขจังหวัดลำปาง", 3_500_000, "provincial", ["TH-52"])]),
    ("TH-58", "MH-02", "ฝึกอบรมภาษาเมียนมาและภาษาอังกฤษแก่บุคลากรด่านชายแดนและผู้ประกอบการท่องเที่ยวแม่ฮ่องสอน",
     "ยกระดับการสื่อสารของเจ้าหน้าที่จุดผ่านแดนและผู้ประกอบการโฮมสเตย์กับนักท่องเที่ยวและแรงงานเพื่อนบ้าน",
     "public_service", "socio_cultural", "people", ["PE-01"], "proposed",
     [("อบรมภาษาเมียนมาสำหรับด่านหน้า", "สำนักงานจังหวัดแม่ฮ่องสอน", 1_200_000, "provincial", ["TH-58"])]),
    ("TH-38", "BK-01", "ปรับปรุงจุดผ่านแดนบึงกาฬเพื่อการค้าชายแดนกับ สปป.ลาว",
     "ขยายอาคารตรวจคนเข้าเมืองและลานตรวจปล่อยสินค้า รองรับสะพานมิตรภาพไทย–ลาว แห่งที่ 5",
     "public_service", "economic", "place", ["PL-01"], "draft",
     [("ลานตรวจปล่อยสินค้าจุดผ่านแดนบึงกาฬ", "ด่านศุลกากรบึงกาฬ", 260_000_000, "provincial", ["TH-38", "TH-43"])]),
    ("TH-50", "CM-03", "ศูนย์ประชุมและแสดงสินค้านานาชาติเชียงใหม่ ระยะที่ 2",
     "ขยายศูนย์ประชุมรองรับการประชุมนานาชาติและงานแสดงสินค้าของกลุ่มจังหวัดภาคเหนือตอนบนและอนุภูมิภาคลุ่มน้ำโขง",
     "development", "economic", "place;product", ["PL-09", "PR-10"], "draft",
     [("ก่อสร้างอาคารศูนย์ประชุมส่วนขยาย", "สำนักงานจังหวัดเชียงใหม่", 820_000_000, "provincial", ["TH-50", "TH-51", "TH-52"])]),
]  # fmt: skip


@transaction.atomic
def demo_decision_load(*, planner: User | None = None, secretariat: User | None = None) -> bool:
    """The envelopes, plus the extra demo strategies (if not there yet). Returns True when it created them."""
    demo_envelopes_load()
    if Strategy.objects.filter(external_ref="LP-02", fiscal_year=2570).exists():
        return False
    indicators = {i.code: i for i in Indicator.objects.filter(round__fiscal_year=2570)}
    for owner_code, ref, title, summary, area, pillar, dims, codes, status, projects in EXTRA:
        owner = Province.objects.get(code=owner_code) if owner_code.startswith("TH-") else None
        cluster = None if owner else Cluster.objects.get(code=owner_code)
        strategy = Strategy.objects.create(
            province=owner, cluster=cluster, fiscal_year=2570, external_ref=ref, title_th=title, summary_th=summary,
            work_area=area, pillar=pillar, builds_place="place" in dims, builds_product="product" in dims,
            builds_people="people" in dims, status=status, created_by=planner if owner_code == "TH-50" else None,
            asean_effect=60, national_effect=55, effect_source="entered",
        )  # fmt: skip
        strategy.indicators.set([indicators[c] for c in codes if c in indicators])
        for p_title, agency, amount, funding, provinces in projects:
            project = Project.objects.create(
                strategy=strategy, title_th=p_title, lead_agency=agency, budget=Decimal(amount),
                funding_source=funding, start_fy=2570, end_fy=2571 if amount > 100_000_000 else 2570,
            )  # fmt: skip
            project.provinces.set(Province.objects.filter(code__in=provinces))
        if status == "proposed":
            StrategyReview.objects.create(strategy=strategy, kind="proposed", author=None)
    # The base demo's N-UP1 language strategy claims the indicator it builds, so one gap shows as covered.
    language = Strategy.objects.filter(external_ref="NUP1-03", fiscal_year=2570).first()
    if language and "PE-01" in indicators:
        language.indicators.add(indicators["PE-01"])
    return True
