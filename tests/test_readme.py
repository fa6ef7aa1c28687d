"""The README stays true: its coverage list is the knowledge base's, and CI runs its test command."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _coverage_script():
    spec = importlib.util.spec_from_file_location("readme_coverage", ROOT / "scripts" / "readme_coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_coverage_list_is_generated_from_the_data(core):
    script = _coverage_script()
    assert script.updated(README, core.kb) == README, "run scripts/readme_coverage.py"
    assert all(c.name in README for c in core.kb.conditions.values())


def test_ci_runs_the_readme_test_command():
    test_command = "python3 -m venv .venv && .venv/bin/pip install -q '.[test]' && .venv/bin/python -m pytest -q"
    assert test_command in README
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
