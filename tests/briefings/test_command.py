"""manage.py render_briefing renders synchronously through the same pipeline, without a job."""

import pytest
from django.core.management import CommandError, call_command

from briefings.models import Briefing
from provinces.models import Province

from .conftest import pdf_text, squash

pytestmark = pytest.mark.django_db


def test_it_renders_a_cluster_briefing_to_a_file(cluster_filled, secretariat, tmp_path, capsys):
    out = tmp_path / "briefing.pdf"
    call_command(
        "render_briefing", "--as", "sec_nup1", "--kind", "cluster", "--subject", "n-up1",
        "--fiscal-year", "2570", "--out", out,
    )  # fmt: skip
    assert squash("กลุ่มจังหวัดภาคเหนือตอนบน 1") in squash(pdf_text(out.read_bytes()))
    assert "pages" in capsys.readouterr().out
    assert not Briefing.objects.exists()  # no job: the command line only wants the file


def test_it_defaults_to_the_current_round_and_writes_english(cluster_filled, admin_user, tmp_path):
    out = tmp_path / "en.pdf"
    call_command(
        "render_briefing", "--as", "admin", "--kind", "national", "--language", "en", "--include-unapproved",
        "--out", out,
    )  # fmt: skip
    text = pdf_text(out.read_bytes())
    assert "FY 2570" in text and "DRAFT" in text


def test_it_says_what_is_wrong(round_2570, admin_user, planner, tmp_path):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError):  # no such cluster
        call_command(
            "render_briefing", "--as", "admin", "--kind", "cluster", "--subject", "XX-9", "--out", out
        )
    with pytest.raises(CommandError, match="2599"):
        call_command(
            "render_briefing", "--as", "admin", "--kind", "cluster", "--subject", "N-UP1", "--fiscal-year", "2599",
            "--out", out,
        )  # fmt: skip
    with pytest.raises(CommandError, match="nobody"):  # whose view to print is always named
        call_command("render_briefing", "--as", "nobody", "--kind", "national", "--out", out)
    with pytest.raises(CommandError):  # the planner's view has no nation, nor another cluster
        call_command(
            "render_briefing", "--as", "planner_cm", "--kind", "cluster", "--subject", "NE-UP1", "--out", out
        )
    assert not out.exists()


def test_it_prints_only_what_the_named_user_may_see(cluster_filled, planner, admin_user, tmp_path):
    from strategies.models import Strategy

    for code, title in [("TH-50", "แผนเชียงใหม่ Kestrelcm"), ("TH-52", "แผนลำปาง Kestrellp")]:
        Strategy.objects.create(
            province=Province.objects.get(code=code), fiscal_year=2570, title_th=title, status="endorsed",
            work_area="development", pillar="economic", asean_effect=60, national_effect=60,
        )  # fmt: skip
    out = tmp_path / "cm.pdf"
    args = [
        "render_briefing",
        "--kind",
        "cluster",
        "--subject",
        "N-UP1",
        "--fiscal-year",
        "2570",
        "--out",
        out,
    ]
    call_command(*args, "--as", "planner_cm")
    text = squash(pdf_text(out.read_bytes()))
    assert "Kestrelcm" in text and "Kestrellp" not in text
    call_command(*args, "--as", "admin")
    text = squash(pdf_text(out.read_bytes()))
    assert "Kestrelcm" in text and "Kestrellp" in text


MEETING = ["--kind", "cluster", "--subject", "N-UP1", "--fiscal-year", "2570"]


@pytest.mark.parametrize("file_format", ["pdf", "docx"])
def test_it_prints_the_meeting_options(cluster_filled, admin_user, tmp_path, file_format):
    from .conftest import docx_text

    out = tmp_path / f"m.{file_format}"
    call_command(
        "render_briefing", "--as", "admin", *MEETING, "--format", file_format, "--out", out,
        "--meeting-name", "ประชุมคณะกรรมการ Zephyrmeet <b>x</b>", "--meeting-date", "2026-12-15",
        "--venue", "ศาลากลางจังหวัด", "--classification", "internal", "--prepared-by", "สำนักงานจังหวัด",
    )  # fmt: skip
    data = out.read_bytes()
    text = squash(docx_text(data) if file_format == "docx" else pdf_text(data))
    assert squash("ประชุมคณะกรรมการ Zephyrmeet <b>x</b>") in text  # HTML prints as text, as the form allows
    assert squash("ใช้ภายใน") in text and squash("ศาลากลางจังหวัด") in text
    assert not Briefing.objects.exists()


@pytest.mark.parametrize(
    "option, value, says",
    [
        ("--classification", "topsecret", "general, internal, secret"),
        ("--meeting-date", "๒๐๒๖-๑๒-๑๕", "--meeting-date"),
        ("--meeting-date", "15 Dec", "--meeting-date"),
        ("--meeting-name", "ก" * 301, "--meeting-name"),
        ("--venue", "x" * 400, "--venue"),
    ],
)
def test_it_refuses_bad_meeting_options(round_2570, admin_user, tmp_path, option, value, says):
    out = tmp_path / "bad.pdf"
    with pytest.raises(CommandError, match=says):
        call_command("render_briefing", "--as", "admin", *MEETING, option, value, "--out", out)
    assert not out.exists() and not Briefing.objects.exists()


def test_it_drops_control_characters_as_the_form_does(cluster_filled, admin_user, tmp_path):
    from .conftest import docx_text

    out = tmp_path / "c.docx"
    call_command("render_briefing", "--as", "admin", *MEETING, "--format", "docx", "--out", out,
                 "--meeting-name", "Quill\x00meet\u202e\x07ing")  # fmt: skip
    assert "Quillmeeting" in docx_text(out.read_bytes())
