"""The README stays true: its coverage list names every condition, and CI runs its test command."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_condition_by_name(core):
    missing = [c.name for c in core.kb.conditions.values() if c.name not in README]
    assert missing == []


def test_ci_runs_the_readme_test_command():
    test_command = "python3 -m venv .venv && .venv/bin/pip install -q '.[test]' && .venv/bin/python -m pytest -q"
    assert test_command in README
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
