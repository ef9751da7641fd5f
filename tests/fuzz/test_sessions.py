"""Bad input on the forms around the work: the login form, the language switch and the briefing request.

Cases per run (max_examples): login 60 + language switch 30 + briefing request 50 + oversized 10 = 150.
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from briefings.models import Briefing

from .harness import THAI, fuzz_settings, judge, page_errors
from .inputs import hostile_text, mutated, number_text

pytestmark = pytest.mark.django_db


@given(data=st.data())
@fuzz_settings(60)
def test_it_refuses_hostile_logins_with_a_message(world, data):
    good = {"username": "planner_cm", "password": "pw-planner_cm"}
    credentials = data.draw(mutated(good, {"username": hostile_text(), "password": hostile_text()}))
    credentials["next"] = data.draw(st.one_of(st.just("/"), hostile_text(big=False)), label="next")

    def check(outcome):
        if outcome.status == 200:  # the form again: it must say why
            assert page_errors(outcome.body)

    # A fresh client each time: a successful login must not carry over, nor a lock-out.
    world.run(Client(), "POST", reverse("login"), credentials, refused=lambda o: True, check=check)


@given(language=hostile_text(big=False), target=hostile_text(big=False))
@fuzz_settings(30)
def test_it_keeps_thai_after_a_hostile_language_switch(world, language, target):
    client = Client()
    client.force_login(world.cast["planner"])
    with world.example() as result:
        result["outcome"] = judge(
            client.post(reverse("set_language"), {"language": language, "next": target})
        )
        assert result["outcome"].status in (204, 302)
        response = client.get(reverse("province_detail", args=["TH-50"]))
        assert response.status_code == 200
        if language != "en":  # anything but a supported code leaves the site in Thai
            assert response["Content-Language"] == "th"
            assert THAI.search(response.content.decode())


@given(data=st.data())
@fuzz_settings(50)
def test_it_refuses_bad_briefing_requests_with_a_message(world, data):
    role = data.draw(st.sampled_from(["planner", "secretariat", "advisor"]), label="role")
    good = {"subject": "province:TH-50", "fiscal_year": "2570", "language": "th", "include_unapproved": ""}
    hostile = {
        "subject": st.one_of(
            hostile_text(big=False),
            st.sampled_from(
                [
                    "national:TH",
                    "cluster:N-UP1",
                    "cluster:NE-UP1",
                    "province:TH-41",
                    "province:",
                    ":TH-50",
                    "province:TH-50:x",
                    "province:th-50",
                    "national:",
                    "cluster:N-UP1\x00",
                ]
            ),
        ),  # fmt: skip
        "fiscal_year": number_text(),
        "language": hostile_text(big=False),
        "include_unapproved": hostile_text(big=False),
    }
    payload = data.draw(mutated(good, hostile))

    def check(outcome):
        if not outcome.rejected:
            for briefing in Briefing.objects.all():
                assert "\x00" not in briefing.subject

    world.run(role, "POST", reverse("briefing_list"), payload, check=check)


OVERSIZED_TARGETS = [
    ("planner", "strategy_create", None),
    ("planner", "strategy_comment", "draft"),
    ("advisor", "assessment_return", "lampang"),
    ("planner", "briefing_list", None),
    (None, "login", None),
]


@given(
    target=st.sampled_from(OVERSIZED_TARGETS),
    oversize=st.sampled_from(["big", "many"]),
    filler=st.sampled_from(["ก", "A", "=", "\x00"]),
)
@fuzz_settings(10)
def test_it_refuses_an_oversized_or_overstuffed_form_in_thai(world, target, oversize, filler):
    """More than 2 MB of text, or more than 1,000 fields: Django's own limits answer with our 400 page."""
    role, name, obj = target
    url = reverse(name, args=[getattr(world, obj).pk] if obj else [])
    payload = {"text": filler * 2_200_000} if oversize == "big" else {f"f{i}": filler for i in range(1_100)}
    world.run(role, "POST", url, payload)
