"""The shape of the code: apps import downwards only (provinces, the base, imports no other app), and inside an
app the views stand on forms, services and selectors, which stand on the models. The contracts are the
[tool.importlinter] section of pyproject.toml; this runs them so that `make test` fails when one breaks."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def _our_apps() -> set[str]:
    return {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT) and ".venv" not in Path(config.path).parts
    }


def test_it_keeps_every_import_contract():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(_config()['contracts'])} kept, 0 broken" in result.stdout


def test_it_checks_every_app_of_the_project():
    # A new app outside the contracts' root packages would not be checked at all.
    ours = _our_apps()
    assert ours - set(_config()["root_packages"]) == set()
    assert "provinces" in ours and "dashboards" in ours and "devdata" in ours


def test_it_keeps_the_base_free_of_every_other_app():
    base = next(c for c in _config()["contracts"] if c.get("source_modules") == ["provinces"])
    # audit stands below the base (it imports only Django), so that the base's admin can write the access log.
    assert _our_apps() - {"provinces", "audit"} <= set(base["forbidden_modules"])


def _sources() -> dict[str, str]:
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for app in _our_apps()
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }


def test_it_defines_the_shared_pieces_once_in_the_base():
    sources = _sources()
    digit_tables = [name for name, text in sources.items() if 'str.maketrans("๐๑๒๓๔๕๖๗๘๙"' in text]
    error_types = [name for name, text in sources.items() if "class WorkflowError(" in text]
    assert digit_tables == ["provinces/thai.py"]
    assert error_types == ["provinces/errors.py"]
    # The dimensions come from their choice (readiness.choices.DIMENSIONS), not from a list typed again.
    assert [name for name, text in sources.items() if '"place", "product", "people"' in text] == []


def test_it_silences_the_type_checker_only_with_a_code_and_a_reason():
    # "# type: ignore[code]  # why" or nothing: a bare ignore hides whatever else goes wrong on the line.
    bare = re.compile(r"type:\s*ignore(?!\[[\w\-, ]+\]\s*#\s*\S)")
    found = [
        f"{name}:{number}"
        for name, text in _sources().items()
        for number, line in enumerate(text.splitlines(), start=1)
        if bare.search(line)
    ]
    assert found == []
