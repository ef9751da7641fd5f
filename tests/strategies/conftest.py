import pytest

from provinces.models import Cluster, Province
from strategies import services
from strategies.decision import semantic
from strategies.models import Criterion


@pytest.fixture
def criteria(reference):
    """The checklist's criteria by code (restored by ``reference`` after another test's flush)."""
    return {c.code: c for c in Criterion.objects.all()}


def data(**overrides) -> services.StrategyData:
    values = {
        "title_th": "ยกระดับด่านชายแดน",
        "work_area": "public_service",
        "pillar": "economic",
        "builds_place": True,
    }
    values.update(overrides)
    return services.StrategyData(**values)


def scores(criteria, a=(2, 2, 2), n=(2, 2, 2)) -> dict[int, int]:
    codes = ["A1", "A2", "A3", "N1", "N2", "N3"]
    return {criteria[c].pk: v for c, v in zip(codes, (*a, *n), strict=True)}


@pytest.fixture
def make_strategy(criteria):
    def make(owner_code: str, by, *, a=(2, 2, 2), n=(2, 2, 2), fiscal_year=2570, **fields):
        owner = (
            Province.objects.get(code=owner_code)
            if owner_code.startswith("TH-")
            else Cluster.objects.get(code=owner_code)
        )
        return services.strategy_create(
            owner=owner, fiscal_year=fiscal_year, data=data(**fields), scores=scores(criteria, a, n), by=by
        )

    return make


@pytest.fixture
def encoded(monkeypatch):
    """The texts the real encoder is asked to encode, one list per call."""
    calls: list[list[str]] = []
    real = semantic.encode

    def spy(texts):
        calls.append(list(texts))
        return real(texts)

    monkeypatch.setattr(semantic, "encode", spy)
    return calls
