"""The evaluation set (eval/questions.yaml) on the shipped knowledge base: its shape, and the accuracy targets.

Accuracy is a test; timings are not (see benchmarks/). Run the full report with `.venv/bin/python eval/run_eval.py`.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_run_eval():
    spec = importlib.util.spec_from_file_location("ivig_run_eval", ROOT / "eval" / "run_eval.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


run_eval = _load_run_eval()


@pytest.fixture(scope="module")
def items():
    return run_eval.load_items()


@pytest.fixture(scope="module")
def metrics(core, items):
    return run_eval.evaluate(core, items)


def _failures(metrics, predicate=lambda o: True, limit=60) -> str:
    shown = [run_eval.format_failure(o) for o in metrics.failures() if predicate(o)]
    more = f"\n  ... and {len(shown) - limit} more" if len(shown) > limit else ""
    return "\n".join(shown[:limit]) + more


def test_the_set_is_large_and_covers_every_condition(core, items):
    assert len(items) >= 600
    assert sum(it.category == "negative" for it in items) >= 200
    assert not run_eval.unknown_ids(items, core.kb)
    assert run_eval.coverage_problems(items, core.kb) == []


def test_the_set_has_every_kind_of_question(items):
    groups = {it.group for it in items}
    for group in ["canonical", "synonym", "abbreviation", "typo", "phonetic", "spelling", "chatter", "multi",
                  "follow-up", "ambiguous", "negative-near-miss", "negative-chitchat", "negative-garbage",
                  "negative-empty"]:
        assert group in groups, group


def test_exact_on_answerable_questions(metrics):
    rate = metrics.rates["answerable_exact"]
    assert rate >= run_eval.TARGET_ANSWERABLE_EXACT, (
        f"{rate:.2%} exact on answerable questions, target {run_eval.TARGET_ANSWERABLE_EXACT:.0%}:\n"
        + _failures(metrics, lambda o: o.item.category == "answerable"))


def test_confident_wrong_answers_on_negatives(metrics):
    rate = metrics.rates["negative_confident_wrong"]
    assert rate <= run_eval.TARGET_NEGATIVE_CONFIDENT_WRONG, (
        f"{rate:.2%} confident wrong answers on negatives, target <= {run_eval.TARGET_NEGATIVE_CONFIDENT_WRONG:.0%}:\n"
        + _failures(metrics, lambda o: o.item.category == "negative" and o.confident_wrong))


def test_no_wrong_answer_on_canonical_names(metrics):
    assert metrics.counts["canonical_wrong"] == 0, _failures(metrics, lambda o: o.item.group == "canonical")
