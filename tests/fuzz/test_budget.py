"""The fuzz suite's size: at least 1,000 generated cases per run, whatever the individual tests are tuned to."""

import importlib
import inspect
from pathlib import Path

MODULES = sorted(p.stem for p in Path(__file__).parent.glob("test_*.py") if p.stem != "test_budget")


def configured_cases() -> dict[str, int]:
    cases = {}
    for name in MODULES:
        module = importlib.import_module(f"tests.fuzz.{name}")
        for test_name, test in inspect.getmembers(module, inspect.isfunction):
            hypothesis_settings = getattr(test, "_hypothesis_internal_use_settings", None)
            if test_name.startswith("test_") and hypothesis_settings is not None:
                cases[f"{name}.{test_name}"] = hypothesis_settings.max_examples
    return cases


def test_it_generates_at_least_a_thousand_cases_per_run():
    cases = configured_cases()
    assert len(cases) >= 15, sorted(cases)
    assert sum(cases.values()) >= 1_000, cases
