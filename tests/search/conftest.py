import pytest

from tests.strategies.conftest import criteria, make_strategy  # noqa: F401 (fixtures)

TOURISM = "ส่งเสริมการท่องเที่ยวเชิงวัฒนธรรมล้านนา"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(fn, ...) → fn's result, with the callbacks of its commit run (the index updated)."""

    def run(fn, *args, **kwargs):
        from search import signals

        # A batch opened before this block (reference data reloaded after another test's flush) would take
        # this block's keys, and its callback was registered before the capture began: start a new one.
        signals._local.pending = None
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def cm_draft(make_strategy, planner, committed):  # noqa: F811 (the fixture)
    """A Chiang Mai draft strategy: Lampang's planner, in the same cluster, may not open it."""
    return committed(
        make_strategy,
        "TH-50",
        planner,
        title_th=TOURISM,
        title_en="Lanna cultural tourism",
        summary_th="พัฒนาเส้นทางท่องเที่ยวชุมชนรอบเมืองเก่า",
    )


def search(client, q, **params):
    return client.get("/search/", {"q": q, **params})
