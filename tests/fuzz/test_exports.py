"""Spreadsheet exports never carry a live formula, and the assessment workbook round-trips losslessly.

Whatever text users and administrators stored (answers, evidence links and titles, province and cluster
names; codes are held to their format by the database), every cell of every export — the assessment workbook, the cluster and national roll-ups, the CSV
templates of the strategy import — is a value: no formula cell, and no text that starts like a formula
(=, +, -, @, tab, CR, LF) unless neutralised with a leading apostrophe. Uploading a downloaded workbook
unchanged changes nothing.

Cases per run (max_examples): exports 60 + round trip 30 = 90.
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from provinces.models import Cluster, Province
from readiness import workbook
from readiness.models import Answer, Evidence

from .harness import fuzz_settings, judge
from .inputs import hostile_text

pytestmark = pytest.mark.django_db

# What a spreadsheet may run when a text cell starts with it.
LIVE = ("=", "+", "-", "@", "\t", "\r", "\n")


def _storable(text: str, limit: int) -> str:
    """Text as the product would have stored it (forms refuse NUL; fields have a length)."""
    return text.replace("\x00", "")[:limit].strip()


def assert_no_live_formula(cells, where: str) -> None:
    for value, formula in cells:
        assert not formula, f"{where}: a formula cell {value!r}"
        if isinstance(value, str):
            assert not value.startswith(LIVE), f"{where}: a text cell that runs as a formula: {value[:80]!r}"


def xlsx_cells(content: bytes):
    wb = load_workbook(io.BytesIO(content), data_only=False)
    for ws in wb.worksheets:  # hidden and very hidden sheets too
        for row in ws.iter_rows():
            for cell in row:
                yield cell.value, cell.data_type == "f"
    yield from ((title, False) for title in wb.sheetnames)


def csv_cells(content: bytes):
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        yield from ((value, False) for value in row)


def _store_hostile_text(world, data) -> None:
    """Hostile text wherever users or administrators can put it, as the product stores it."""
    text = lambda limit, big=True: data.draw(hostile_text(big=big).map(lambda t: _storable(t, limit)))  # noqa: E731
    Answer.objects.filter(pk=world.answer.pk).update(justification=text(5000))
    Evidence.objects.filter(pk=world.evidence.pk).update(
        url="https://example.org/" + text(900, big=False), title=text(300, big=False)
    )
    Province.objects.filter(code="TH-50").update(name_th=text(200, big=False), name_en=text(200, big=False))
    Province.objects.filter(code="TH-52").update(name_th=text(200, big=False))
    Cluster.objects.filter(code="N-UP1").update(name_th=text(200, big=False), name_en=text(200, big=False))


@given(data=st.data())
@fuzz_settings(60)
def test_it_writes_no_live_formula_in_any_export(world, data):
    with world.example() as result:
        _store_hostile_text(world, data)
        downloads = [
            ("planner", reverse("assessment_xlsx", args=[world.cm.pk]), xlsx_cells),
            ("advisor", reverse("cluster_rollup_xlsx", args=["N-UP1"]) + "?all=1", xlsx_cells),
            ("advisor", reverse("national_rollup_xlsx") + "?all=1", xlsx_cells),
            ("secretariat", reverse("strategy_import") + "?template=strategies", csv_cells),
            ("secretariat", reverse("strategy_import") + "?template=projects", csv_cells),
        ]
        for role, url, cells in data.draw(
            st.lists(st.sampled_from(downloads), min_size=1, max_size=2, unique=True)
        ):
            response = world.client(role).get(url)
            assert judge(response).status == 200
            assert_no_live_formula(cells(response.content), url)
        result["outcome"] = None


@given(data=st.data())
@fuzz_settings(30)
def test_it_round_trips_the_assessment_workbook_without_loss(world, data):
    text = data.draw(hostile_text().map(lambda t: _storable(t, 5000)), label="justification")
    level = data.draw(st.sampled_from([None, 1, 3, 5]), label="level")
    with world.example() as result:
        Answer.objects.filter(pk=world.answer.pk).update(justification=text, level=level)
        before = list(Answer.objects.filter(assessment=world.cm).order_by("pk").values_list())
        content = world.client("planner").get(reverse("assessment_xlsx", args=[world.cm.pk])).content
        # The justification reads back as stored (the apostrophe that neutralises a formula is taken off).
        ws = load_workbook(io.BytesIO(content))[workbook.SHEET_FORM]
        row = next(
            r
            for r in range(2, ws.max_row + 1)
            if ws.cell(r, workbook.POSITION["indicator"]).value == world.answer.indicator.code
        )
        shown = ws.cell(row, workbook.POSITION["justification"]).value or ""
        assert workbook.unsafe_text(shown) == workbook.ILLEGAL_CHARACTERS_RE.sub("", text).replace(
            "\r\n", "\n"
        ).replace("\r", "\n")
        response = world.client("planner").post(
            reverse("assessment_xlsx_upload", args=[world.cm.pk]),
            {"file": SimpleUploadedFile("readiness-TH-50-2570.xlsx", content)},
        )
        outcome = judge(response)
        assert outcome.status == 302, outcome.body[:500]
        after = list(Answer.objects.filter(assessment=world.cm).order_by("pk").values_list())
        assert after == before, "an unchanged workbook changed answers"
        result["outcome"] = None
