"""The default checklist of the two matrix axes. Administrators edit it in the admin afterwards."""

from django.db import migrations

CRITERIA = [
    ("asean", "A1", 1, "ส่งเสริมการเป็นตลาดและฐานการผลิตเดียวของอาเซียน",
     "Contributes to ASEAN's single market and production base",
     "การค้า การลงทุน การเคลื่อนย้ายสินค้า บริการ และแรงงานฝีมือในอาเซียน เช่น ลดขั้นตอนการค้าชายแดน ใช้สิทธิประโยชน์ ATIGA",
     "Trade, investment, movement of goods, services and skilled labour in ASEAN, e.g. easier border trade, ATIGA preferences"),
    ("asean", "A2", 2, "เพิ่มความเชื่อมโยงในอาเซียน (Connectivity)",
     "Strengthens ASEAN connectivity",
     "ความเชื่อมโยงด้านโครงสร้างพื้นฐาน (คมนาคม โลจิสติกส์ ด่าน ดิจิทัล) กฎระเบียบ และประชาชนกับประเทศเพื่อนบ้าน",
     "Physical (transport, logistics, checkpoints, digital), institutional and people-to-people links with neighbours"),
    ("asean", "A3", 3, "สนับสนุนประชาคมการเมือง-ความมั่นคงและสังคม-วัฒนธรรมอาเซียน",
     "Supports the Political-Security and Socio-Cultural Communities",
     "ความร่วมมือข้ามแดน ความมั่นคงของมนุษย์ การคุ้มครองแรงงาน สาธารณสุข การศึกษา และอัตลักษณ์อาเซียน",
     "Cross-border cooperation, human security, labour protection, health, education and ASEAN identity"),
    ("national", "N1", 1, "เพิ่มการค้าและรายได้ของประเทศไทย",
     "Adds trade and income for Thailand",
     "มูลค่าการค้า การลงทุน การท่องเที่ยว และรายได้ของประชาชนและผู้ประกอบการไทยที่เพิ่มขึ้น",
     "More trade, investment, tourism and income for Thai people and businesses"),
    ("national", "N2", 2, "รักษาความมั่นคงและอธิปไตยของประเทศ",
     "Protects Thailand's security and sovereignty",
     "การป้องกันยาเสพติด การลักลอบค้า การค้ามนุษย์ ภัยข้ามแดน และการบังคับใช้กฎหมายตามแนวชายแดน",
     "Countering drugs, smuggling, human trafficking and cross-border threats; law enforcement along the border"),
    ("national", "N3", 3, "ยกระดับสวัสดิการและคุณภาพชีวิตของประชาชน",
     "Improves public welfare and quality of life",
     "บริการสาธารณะ สุขภาพ การศึกษา สิ่งแวดล้อม และการลดความเหลื่อมล้ำในพื้นที่",
     "Public services, health, education, the environment and less inequality in the area"),
]


def create(apps, schema_editor):
    Criterion = apps.get_model("strategies", "Criterion")
    for axis, code, position, name_th, name_en, help_th, help_en in CRITERIA:
        Criterion.objects.get_or_create(
            code=code,
            defaults={"axis": axis, "position": position, "name_th": name_th, "name_en": name_en,
                      "help_th": help_th, "help_en": help_en, "weight": 1},
        )


class Migration(migrations.Migration):
    dependencies = [("strategies", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
