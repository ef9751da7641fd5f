"""manage.py render_briefing renders synchronously through the same pipeline, without a job."""

import pytest
from django.core.management import CommandError, call_command

from briefings.models import Briefing

from .conftest import pdf_text, squash

pytestmark = pytest.mark.django_db


def test_it_renders_a_cluster_briefing_to_a_file(cluster_filled, tmp_path, capsys):
    out = tmp_path / "briefing.pdf"
    call_command(
        "render_briefing", "--kind", "cluster", "--subject", "n-up1", "--fiscal-year", "2570", "--out", out
    )
    assert squash("กลุ่มจังหวัดภาคเหนือตอนบน 1") in squash(pdf_text(out.read_bytes()))
    assert "pages" in capsys.readouterr().out
    assert not Briefing.objects.exists()  # no job: the command line only wants the file


def test_it_defaults_to_the_current_round_and_writes_english(cluster_filled, tmp_path):
    out = tmp_path / "en.pdf"
    call_command(
        "render_briefing", "--kind", "national", "--language", "en", "--include-unapproved", "--out", out
    )
    text = pdf_text(out.read_bytes())
    assert "FY 2570" in text and "DRAFT" in text


def test_it_says_what_is_wrong(round_2570, tmp_path):
    with pytest.raises(CommandError):  # no such cluster
        call_command("render_briefing", "--kind", "cluster", "--subject", "XX-9", "--out", tmp_path / "x.pdf")
    with pytest.raises(CommandError, match="2599"):
        call_command(
            "render_briefing", "--kind", "cluster", "--subject", "N-UP1", "--fiscal-year", "2599",
            "--out", tmp_path / "x.pdf",
        )  # fmt: skip
