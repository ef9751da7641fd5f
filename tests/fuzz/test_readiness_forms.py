"""Bad input on the readiness forms: answer autosave, evidence files and links, return reasons, bulk approval.

Cases per run (max_examples): autosave 150 + evidence 100 + return 40 + bulk approve 30 = 320.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from readiness.models import LEVELS, Answer, Evidence

from .harness import fuzz_settings, page_errors
from .inputs import file_content, hostile_text, mutated, number_text, text_or_number, upload_name

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _fragment_error(outcome) -> bool:
    return 'role="alert"' in outcome.body


@given(data=st.data())
@fuzz_settings(150)
def test_it_answers_every_autosave_with_a_message_and_saves_only_good_input(world, data):
    answer = data.draw(st.sampled_from(world.answers))
    good = {"level": "3", "justification": "มีแผนและงบประมาณรองรับ", "version": str(answer.version)}
    hostile = {"level": number_text(), "justification": hostile_text(), "version": number_text()}
    payload = data.draw(mutated(good, hostile))
    htmx = data.draw(st.booleans(), label="htmx")
    answer_pk = data.draw(
        st.one_of(st.just(answer.pk), st.just(answer.pk), st.just(answer.pk), st.integers(0, 2**70)),
        label="answer_pk",
    )
    url = reverse("answer_save", args=[world.cm.pk, answer_pk])

    def check(outcome):
        if outcome.rejected:
            return
        saved = Answer.objects.get(pk=answer.pk)
        assert saved.level is None or saved.level in LEVELS
        assert "\x00" not in saved.justification and len(saved.justification) <= 5000

    world.run("planner", "POST", url, payload, refused=_fragment_error, check=check, **(HTMX if htmx else {}))


@given(data=st.data())
@fuzz_settings(100)
def test_it_refuses_wrong_evidence_files_and_links_and_keeps_no_file(world, data):
    payload = {"title": data.draw(hostile_text(), label="title")}
    if data.draw(st.booleans(), label="with file"):
        name = data.draw(upload_name(), label="name")
        content = data.draw(file_content(), label="content")
        payload["file"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    if data.draw(st.booleans(), label="with link"):
        payload["url"] = data.draw(
            st.one_of(
                hostile_text(),
                st.sampled_from(
                    [
                        "javascript:alert(1)",
                        "data:text/html,<script>",
                        "ftp://x",
                        "http://",
                        "https://ก.ไทย/ที่",
                        "http://example.org/" + "a" * 2000,
                        "HTTPS://EXAMPLE.ORG",
                        " https://x.y/z ",
                        "https://x.y/\x00",
                        "//evil.example",
                        "http://[::1]/",
                        "file:///etc/passwd",
                    ]
                ),  # fmt: skip
            ),
            label="url",
        )
    answer = data.draw(st.sampled_from(world.answers))
    url = reverse("evidence_add", args=[world.cm.pk, answer.pk])

    def check(outcome):
        if outcome.rejected:
            return
        for evidence in Evidence.objects.filter(answer=answer).exclude(pk=world.evidence.pk):
            assert "\x00" not in evidence.title + evidence.url + evidence.filename
            if evidence.url:
                assert evidence.url.lower().startswith(("http://", "https://"))

    world.run("planner", "POST", url, payload, check=check)


@given(data=st.data())
@fuzz_settings(40)
def test_it_refuses_bad_return_reasons_with_a_message(world, data):
    indicators = list(world.round.indicators.order_by("position")[:3])
    payload = {"comment": data.draw(hostile_text(), label="comment")}
    for indicator in data.draw(st.lists(st.sampled_from(indicators), max_size=3, unique=True)):
        payload[f"indicator_{indicator.pk}"] = data.draw(hostile_text(), label="indicator comment")
    payload[data.draw(st.sampled_from(["indicator_0", "indicator_-1", "indicator_x", "extra"]))] = data.draw(
        hostile_text(big=False)
    )
    world.run(
        "advisor",
        "POST",
        reverse("assessment_return", args=[world.lampang.pk]),
        payload,
        refused=lambda o: bool(page_errors(o.body)),
    )


@given(data=st.data())
@fuzz_settings(30)
def test_it_refuses_a_bulk_approval_of_unknown_assessments(world, data):
    known = [str(world.lampang.pk), str(world.lamphun.pk), str(world.cm.pk)]
    ids = data.draw(st.lists(st.one_of(st.sampled_from(known), text_or_number()), max_size=5), label="ids")
    world.run(
        "advisor",
        "POST",
        reverse("cluster_review", args=["N-UP1"]) + "?fy=2570",
        {"assessments": ids},
    )
