"""The one NUL-character policy (provinces.text) on every path text comes in by."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from api.serializers import OverrideSerializer
from provinces.text import NUL, reject_nul
from strategies.importing import strategies_import
from strategies.models import Strategy
from tests.strategies.conftest import criteria  # noqa: F401 (a fixture)
from tests.strategies.test_import import S_HEADER, csv_file, strategy_row
from tests.strategies.test_views import form_data

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
REFUSED_TH = "อักขระ NUL"


def test_it_refuses_a_nul_typed_into_a_form_in_thai_and_saves_nothing(client_for, planner, criteria):  # noqa: F811
    response = client_for(planner).post(reverse("strategy_create"), form_data(criteria, title_th="แผน" + NUL))
    assert response.status_code == 400
    assert REFUSED_TH in response.content.decode()
    assert not Strategy.objects.exists()


def test_it_refuses_a_nul_in_an_api_field_and_in_the_shared_validator():
    with translation.override("th"):
        serializer = OverrideSerializer(data={"quadrant": OverrideSerializer().fields["quadrant"].choices and
                                              next(iter(OverrideSerializer().fields["quadrant"].choices)),
                                              "reason": "ชายแดน" + NUL})  # fmt: skip
        assert not serializer.is_valid()
        assert REFUSED_TH in str(serializer.errors["reason"][0])
        with pytest.raises(Exception, match=REFUSED_TH):
            reject_nul("ก" + NUL)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/provinces/TH-50%00/", 404),
        ("/clusters/N-UP1%00/", 404),
        ("/provinces/?q=%00&region=%00&cluster=%00", 200),
        ("/search/?q=%00", 200),
    ],
)
def test_it_treats_a_nul_in_a_url_as_no_match(client_for, planner, url, status):
    assert client_for(planner).get(url).status_code == status


def test_it_drops_a_nul_in_an_upload_cell_as_the_policy_says(admin_user):
    strategies_import(
        strategies=csv_file("s.csv", [S_HEADER, strategy_row(title_th="ชื่อ" + NUL)]), by=admin_user
    )
    assert Strategy.objects.get().title_th == "ชื่อ"


APP_DIRS = [p for p in ROOT.iterdir() if (p / "apps.py").exists()]
NUL_LITERAL = re.compile(r"""\\x00|\\0(?![0-9])|\\u0000|chr\(0\)""")


def test_no_app_module_but_the_policy_writes_the_nul_character():
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for app in APP_DIRS
        for path in app.rglob("*.py")
        if "migrations" not in path.parts
        # The policy, and the access log's copy of it (that app imports nothing of the project).
        and path not in (ROOT / "provinces" / "text.py", ROOT / "audit" / "services.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if NUL_LITERAL.search(line)
    ]
    assert APP_DIRS and not offenders
