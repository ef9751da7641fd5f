"""Every endpoint × the cast: a token sees what its user sees on the web, and never another province's drafts."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

ROLES = ["planner", "planner_lampang", "secretariat", "secretariat_other", "advisor", "admin"]
ENDPOINTS = [
    "/api/provinces/",
    "/api/clusters/",
    "/api/rounds/",
    "/api/assessments/",
    "/api/strategies/",
    "/api/projects/",
    "/api/rollups/clusters/N-UP1/",
    "/api/rollups/national/",
    "/api/schema/",
]


def codes(response, key="code"):
    assert response.status_code == 200, response.content
    return sorted(item[key] for item in response.json()["results"])


@pytest.mark.parametrize("url", ENDPOINTS)
def test_it_refuses_anonymous_requests_with_401(api_world, api_for, url):
    response = api_for(None).get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("url", ENDPOINTS)
def test_it_refuses_a_user_without_a_role_with_403(api_world, api_for, url):
    nobody = User.objects.create_user("nobody", password="pw-nobody")
    response = api_for(nobody).get(url)
    assert response.status_code == 403
    assert b"detail" in response.content  # JSON; YAML for the schema


@pytest.mark.parametrize("url", ["/api/provinces/", "/api/assessments/", "/api/rollups/national/"])
def test_it_is_read_only(api_world, api_for, cast, url):
    client = api_for(cast["admin"])
    assert client.post(url, {}, format="json").status_code == 405
    assert client.delete(url).status_code == 405


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("planner", ["TH-50"]),
        ("planner_lampang", ["TH-52"]),
        ("secretariat", ["TH-50", "TH-51", "TH-52", "TH-58"]),
        ("secretariat_other", ["TH-38", "TH-39", "TH-41", "TH-42", "TH-43"]),
    ],
)
def test_it_lists_the_provinces_of_the_users_scope(api_world, api_for, cast, role, expected):
    assert codes(api_for(cast[role]).get("/api/provinces/?page_size=200")) == expected


@pytest.mark.parametrize("role", ["advisor", "admin"])
def test_it_lists_every_province_to_nationwide_users(api_world, api_for, cast, role):
    data = api_for(cast[role]).get("/api/provinces/").json()
    assert data["count"] == 77
    assert len(data["results"]) == 50  # the default page
    assert data["next"]


def test_it_filters_provinces_by_cluster_and_region(api_world, api_for, cast):
    client = api_for(cast["advisor"])
    assert codes(client.get("/api/provinces/?cluster=n-up1")) == ["TH-50", "TH-51", "TH-52", "TH-58"]
    assert len(codes(client.get("/api/provinces/?region=northeast&page_size=200"))) == 20
    assert codes(client.get("/api/provinces/?cluster=XX-9")) == []
    detail = client.get("/api/provinces/th-50/").json()
    assert detail["cluster"] == "N-UP1"
    assert detail["border_countries"] == ["MM"]
    assert detail["name_th"] == "เชียงใหม่"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("planner", ["N-UP1"]),
        ("planner_lampang", ["N-UP1"]),
        ("secretariat", ["N-UP1"]),
        ("secretariat_other", ["NE-UP1"]),
    ],
)
def test_it_lists_the_clusters_of_the_users_scope(api_world, api_for, cast, role, expected):
    assert codes(api_for(cast[role]).get("/api/clusters/")) == expected


def test_it_lists_rounds_with_their_framework_size(api_world, api_for, cast):
    data = api_for(cast["planner"]).get("/api/rounds/").json()["results"]
    assert [r["fiscal_year"] for r in data] == [2570, 2569]
    assert data[0]["status"] == "open"
    assert data[0]["indicator_count"] > 0
    assert api_for(cast["planner"]).get("/api/rounds/2569/").json()["status"] == "closed"


# --- assessments ---------------------------------------------------------------------------------------

# province → what the role gets: "full" (state as it is, with answers) or "official" (approved figures only).
ASSESSMENTS = {
    "planner": {"TH-50": "full", "TH-51": "official", "TH-52": "official"},
    "planner_lampang": {"TH-51": "official", "TH-52": "full"},
    "secretariat": {"TH-50": "full", "TH-51": "full", "TH-52": "full"},
    "secretariat_other": {"TH-41": "full", "TH-51": "official", "TH-52": "official"},
    "advisor": {"TH-41": "full", "TH-50": "full", "TH-51": "full", "TH-52": "full"},
    "admin": {"TH-41": "full", "TH-50": "full", "TH-51": "full", "TH-52": "full"},
}


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_drafts_only_to_those_who_may_open_them(api_world, api_for, cast, role):
    results = api_for(cast[role]).get("/api/assessments/?fiscal_year=2570").json()["results"]
    got = {a["province"]: ("full" if a["answers"] is not None else "official") for a in results}
    assert got == ASSESSMENTS[role]
    for a in results:
        if a["answers"] is None:  # someone else's province: the approved version, nothing more
            assert a["status"] == "approved"
            assert a["official"] is True
            assert a["scores"] == a["approved_scores"]


def test_a_planner_never_sees_another_provinces_draft(api_world, api_for, cast):
    client = api_for(cast["planner_lampang"])
    assert client.get(f"/api/assessments/{api_world['cm'].pk}/").status_code == 404
    assert client.get("/api/assessments/?province=TH-50").json()["count"] == 0
    # Lamphun was reopened after approval: the neighbour sees the approved version, not the edit.
    lamphun = client.get(f"/api/assessments/{api_world['lamphun'].pk}/").json()
    assert lamphun["status"] == "approved"
    assert lamphun["version"] == api_world["lamphun"].approved_snapshot.version
    assert lamphun["scores"]["overall"] == 100.0  # all 5s when approved; the later 1s stay hidden
    assert lamphun["answers"] is None


def test_another_clusters_secretariat_sees_none_of_its_drafts(api_world, api_for, cast):
    results = api_for(cast["secretariat_other"]).get("/api/assessments/?cluster=N-UP1").json()["results"]
    assert {a["province"] for a in results} == {"TH-51", "TH-52"}
    assert all(a["status"] == "approved" and a["answers"] is None for a in results)


def test_it_gives_live_scores_of_a_draft_to_those_who_may_open_it(api_world, api_for, cast):
    for role in ["planner", "secretariat", "advisor"]:
        cm = api_for(cast[role]).get(f"/api/assessments/{api_world['cm'].pk}/").json()
        assert cm["status"] == "draft"
        assert cm["official"] is False
        assert cm["scores"]["overall"] == 25.0  # all 2s
        assert cm["scores"]["completeness"] == 1.0
        assert cm["approved_scores"] is None
        assert {a["level"] for a in cm["answers"]} == {2}
    reopened = api_for(cast["secretariat"]).get(f"/api/assessments/{api_world['lamphun'].pk}/").json()
    assert reopened["status"] == "draft"
    assert reopened["scores"]["overall"] == 0.0
    assert reopened["approved_scores"]["overall"] == 100.0


def test_it_gives_official_scores_of_an_approved_assessment(api_world, api_for, cast):
    lp = api_for(cast["planner_lampang"]).get(f"/api/assessments/{api_world['lp'].pk}/").json()
    assert lp["status"] == "approved"
    assert lp["official"] is True
    assert lp["scores"]["overall"] == 75.0
    assert lp["fiscal_year"] == 2570
    assert all(a["level"] == 4 for a in lp["answers"])
    assert {a["indicator"] for a in lp["answers"]} == set(
        api_world["lp"].round.indicators.values_list("code", flat=True)
    )


# --- roll-ups ------------------------------------------------------------------------------------------


def test_the_cluster_rollup_gives_official_rows_and_spread(api_world, api_for, cast):
    data = api_for(cast["planner"]).get("/api/rollups/clusters/N-UP1/").json()
    assert data["fiscal_year"] == 2570
    assert data["include_unapproved"] is False
    rows = {r["province"]: r for r in data["rows"]}
    assert list(rows) == ["TH-50", "TH-51", "TH-52", "TH-58"]
    assert rows["TH-50"]["values"] is None  # a draft: no official figures, and no status either
    assert rows["TH-50"]["status"] is None
    assert rows["TH-51"]["values"]["overall"] == 100.0  # the approved version of a reopened assessment
    assert rows["TH-52"]["values"]["overall"] == 75.0
    overall = data["spread"]["overall"]
    assert (overall["mean"], overall["min"], overall["max"], overall["lagging"], overall["count"]) == (
        87.5, 75.0, 100.0, "TH-52", 2,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("planner", 403),
        ("planner_lampang", 403),
        ("secretariat", 200),
        ("secretariat_other", 404),
        ("advisor", 200),
        ("admin", 200),
    ],
)
def test_only_those_who_may_see_drafts_get_unapproved_rollups(api_world, api_for, cast, role, status):
    response = api_for(cast[role]).get("/api/rollups/clusters/N-UP1/?include_unapproved=true")
    assert response.status_code == status
    if status == 200:
        rows = {r["province"]: r for r in response.json()["rows"]}
        assert rows["TH-50"]["official"] is False
        assert rows["TH-50"]["status"] == "draft"
        assert rows["TH-50"]["values"]["overall"] == 25.0
    elif status == 403:
        assert response.json()["detail"]


@pytest.mark.parametrize(("role", "status"), [("secretariat", 403), ("advisor", 200), ("admin", 200)])
def test_only_nationwide_users_get_the_unapproved_national_rollup(api_world, api_for, cast, role, status):
    response = api_for(cast[role]).get("/api/rollups/national/?include_unapproved=1")
    assert response.status_code == status


def test_the_national_rollup_has_each_cluster_and_the_country(api_world, api_for, cast):
    data = api_for(cast["planner_lampang"]).get("/api/rollups/national/?fiscal_year=2570").json()
    rows = {r["cluster"]: r for r in data["rows"]}
    assert len(rows) == 19  # 18 clusters and Bangkok (None)
    assert rows[None]["province_count"] == 1
    # Lampang, and Lamphun's approved version (it is a draft again): the two provinces in the spread.
    assert rows["N-UP1"]["approved_count"] == 2 == rows["N-UP1"]["spread"]["overall"]["count"]
    assert rows["N-UP1"]["spread"]["overall"]["lagging"] == "TH-52"
    assert data["province_count"] == 77
    assert data["spread"]["overall"]["count"] == 2


def test_a_rollup_of_a_round_that_does_not_exist_is_404(api_world, api_for, cast):
    response = api_for(cast["advisor"]).get("/api/rollups/national/?fiscal_year=2599")
    assert response.status_code == 404
    assert "2599" in response.json()["detail"]


# --- strategies and projects ---------------------------------------------------------------------------

STRATEGIES = {
    "planner": {"cm_s", "nup1_s"},
    "planner_lampang": {"nup1_s"},
    "secretariat": {"cm_s", "nup1_s"},
    "secretariat_other": {"udon_s"},
    "advisor": {"cm_s", "nup1_s", "udon_s"},
    "admin": {"cm_s", "nup1_s", "udon_s"},
}


@pytest.mark.parametrize("role", ROLES)
def test_it_lists_the_strategies_and_projects_of_the_users_scope(api_world, api_for, cast, role):
    names = {api_world[k].pk: k for k in ("cm_s", "nup1_s", "udon_s")}
    client = api_for(cast[role])
    got = {names[s["id"]] for s in client.get("/api/strategies/").json()["results"]}
    assert got == STRATEGIES[role]
    projects = client.get("/api/projects/").json()["results"]
    assert [p["id"] for p in projects] == ([api_world["cm_p"].pk] if "cm_s" in got else [])


def test_a_strategy_has_effects_quadrants_override_and_budget(api_world, api_for, cast):
    client = api_for(cast["advisor"])
    cm = client.get(f"/api/strategies/{api_world['cm_s'].pk}/").json()
    assert cm["province"] == "TH-50" and cm["cluster"] is None
    assert (cm["asean_effect"], cm["national_effect"]) == (100.0, 100.0)
    assert cm["computed_quadrant"] == cm["quadrant"] == "ก"
    assert cm["override"] is None
    assert cm["total_budget"] == "1500000.50"
    assert cm["project_count"] == 1
    assert (cm["status"], cm["pillar"], cm["work_area"]) == ("draft", "economic", "public_service")
    udon = client.get(f"/api/strategies/{api_world['udon_s'].pk}/").json()
    assert (udon["computed_quadrant"], udon["quadrant"]) == ("ง", "ข")
    assert udon["override"] == {"quadrant": "ข", "reason": "ชายแดนลาว"}
    assert udon["total_budget"] == "0.00"


def test_it_filters_strategies(api_world, api_for, cast):
    client = api_for(cast["advisor"])

    def ids(query):
        return {s["id"] for s in client.get(f"/api/strategies/?{query}").json()["results"]}

    cm, nup1, udon = (api_world[k].pk for k in ("cm_s", "nup1_s", "udon_s"))
    assert ids("cluster=N-UP1") == {cm, nup1}  # the cluster's own and its members'
    assert ids("province=TH-50") == {cm}
    assert ids("quadrant=ก") == {cm}
    assert ids("quadrant=c") == {nup1}
    assert ids("quadrant=ข") == {udon}  # by its override
    assert ids("quadrant=ง") == set()  # computed ง, but overridden
    assert ids("fiscal_year=2570") == {cm, nup1, udon}
    assert ids("fiscal_year=2571") == set()


def test_it_filters_projects(api_world, api_for, cast):
    client = api_for(cast["admin"])
    project = client.get(f"/api/projects/?strategy={api_world['cm_s'].pk}").json()["results"][0]
    assert project["budget"] == "1500000.50"
    assert (project["start_fy"], project["end_fy"]) == (2570, 2571)
    assert client.get(f"/api/projects/?strategy={api_world['udon_s'].pk}").json()["count"] == 0
    assert client.get("/api/projects/?fiscal_year=2569").json()["count"] == 0
    # A project of a strategy the user may not see does not exist for them.
    other = api_for(cast["secretariat_other"])
    assert other.get(f"/api/projects/{api_world['cm_p'].pk}/").status_code == 404
    assert other.get(f"/api/projects/?strategy={api_world['cm_s'].pk}").json()["count"] == 0
