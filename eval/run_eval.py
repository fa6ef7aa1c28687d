#!/usr/bin/env python3
"""Evaluate the answer core on eval/questions.yaml, beside two naive baselines, in one run.

    .venv/bin/python eval/run_eval.py                 # metrics, every failure, baselines; exit 1 below target
    .venv/bin/python eval/run_eval.py --no-baselines  # the core only
    .venv/bin/python eval/run_eval.py --knowledge DIR --questions FILE --json metrics.json

Definitions (the same for the core and the baselines):
- answerable item: `expect` names at least one condition; correct when the answer kind is "answer" and the
  answered set equals `expect` exactly.
- clarify item (`kind: clarify`): correct when the bot asks ("did you mean") and offers every id of `suggest`.
- negative item (`expect: []`): a confident wrong answer is any answered condition; when the item states a
  kind (not_found, greeting, empty ...) that kind is also required for the item to pass.
- a confident wrong answer anywhere is kind "answer" with a condition set other than the expected one.
Targets (issue 4): >= 98% exact on answerable, <= 1% confident wrong on negatives, 0 wrong on canonical names.
"""

from __future__ import annotations

import argparse
import difflib
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # runnable as a plain script from a source checkout
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from rapidfuzz import fuzz, process, utils  # noqa: E402

from bot.core import AnswerCore  # noqa: E402
from bot.knowledge import KnowledgeBase  # noqa: E402
from bot.models import AnswerKind, Question  # noqa: E402
from bot.text import canonical_phrase  # noqa: E402

QUESTIONS = ROOT / "eval" / "questions.yaml"
SCHEMA_VERSION = 1
TARGET_ANSWERABLE_EXACT = 0.98
TARGET_NEGATIVE_CONFIDENT_WRONG = 0.01
TARGET_CANONICAL_WRONG = 0
WRATIO_CUTOFF = 85.0  # baseline (a): rapidfuzz WRatio, 0-100
DIFFLIB_CUTOFF = 0.6  # baseline (b): difflib ratio, 0-1 (its default)
KINDS = {k.value for k in AnswerKind}
ITEM_KEYS = {"q", "expect", "kind", "suggest", "group", "note"}


# --- the evaluation set ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    number: int  # 1-based position in the file
    q: str
    expect: frozenset[str]
    kind: str | None
    suggest: frozenset[str]
    group: str
    note: str | None = None

    @property
    def category(self) -> str:
        if self.kind == "clarify":
            return "clarify"
        if self.expect:
            return "answerable"
        return "negative"


class EvalSetError(ValueError):
    pass


def load_items(path: Path = QUESTIONS) -> list[Item]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        raise EvalSetError(f"{path}: expected a mapping with schema_version: {SCHEMA_VERSION}")
    raw = data.get("questions")
    if not isinstance(raw, list) or not raw:
        raise EvalSetError(f"{path}: questions: expected a non-empty list")
    items, problems = [], []
    for number, entry in enumerate(raw, 1):
        where = f"{path}: questions[{number}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a mapping")
            continue
        unknown = set(entry) - ITEM_KEYS
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        q, expect, kind = entry.get("q"), entry.get("expect"), entry.get("kind")
        if not isinstance(q, str):
            problems.append(f"{where}: q must be a string")
            continue
        if not isinstance(expect, list) or not all(isinstance(e, str) for e in expect):
            problems.append(f"{where}: expect must be a list of condition ids")
            continue
        if kind is not None and kind not in KINDS:
            problems.append(f"{where}: kind {kind!r} is not one of {sorted(KINDS)}")
        if kind not in (None, "answer") and expect:
            problems.append(f"{where}: an item expecting kind {kind!r} cannot expect answered conditions")
        if kind == "answer" and not expect:
            problems.append(f"{where}: kind answer needs expected condition ids")
        if not entry.get("group"):
            problems.append(f"{where}: group is required")
        items.append(Item(number, q, frozenset(expect), kind, frozenset(entry.get("suggest") or ()),
                          str(entry.get("group", "")), entry.get("note")))
    if problems:
        raise EvalSetError("\n".join(problems))
    return items


def unknown_ids(items: Iterable[Item], kb: KnowledgeBase) -> list[str]:
    return [f"questions[{it.number}] ({it.q!r}): unknown condition id {cid!r}"
            for it in items for cid in sorted(it.expect | it.suggest) if cid not in kb.conditions]


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return bool(n) and any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


def coverage_problems(items: list[Item], kb: KnowledgeBase) -> list[str]:
    """Every condition answered somewhere; its name, every synonym and every abbreviation asked somewhere."""
    problems = []
    answered = {cid for it in items if it.category == "answerable" for cid in it.expect}
    phrases_by_condition: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for it in items:
        if it.category == "answerable":
            for cid in it.expect:
                phrases_by_condition[cid].append(canonical_phrase(it.q))
    for cid, cond in kb.conditions.items():
        if cid not in answered:
            problems.append(f"{cid}: no answerable question")
            continue
        asked = phrases_by_condition[cid]
        terms = [("name", cond.name)] + [("synonym", s) for s in cond.synonyms]
        terms += [("abbreviation", t.text) for t in cond.abbreviations]
        for what, text in terms:
            if not any(_contains(words, canonical_phrase(text)) for words in asked):
                problems.append(f"{cid}: {what} {text!r} is never asked")
    return problems


# --- judging ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    item: Item
    kind: str
    answered: frozenset[str]
    suggested: tuple[str, ...]
    seconds: float
    ok: bool
    confident_wrong: bool
    reason: str


def judge(item: Item, kind: str, answered: frozenset[str], suggested: tuple[str, ...], seconds: float) -> Outcome:
    confident_wrong = kind == "answer" and answered != item.expect
    if item.category == "answerable":
        ok = kind == "answer" and answered == item.expect
    elif item.category == "clarify":
        ok = kind == "clarify" and item.suggest <= set(suggested)
    else:
        ok = not confident_wrong and (item.kind is None or kind == item.kind)
    reason = ""
    if not ok:
        if kind == "answer":
            extra, missing = sorted(answered - item.expect), sorted(item.expect - answered)
            parts = ([f"answered {', '.join(extra)}"] if extra else []) + ([f"missed {', '.join(missing)}"] if missing else [])
            reason = "; ".join(parts) or "answered"
        elif kind == "clarify":
            reason = f"asked (did you mean {', '.join(suggested) or '-'})"
            if item.category == "clarify":
                missing = sorted(item.suggest - set(suggested))
                reason += f"; not offered {', '.join(missing)}"
        else:
            reason = kind
    return Outcome(item, kind, answered, suggested, seconds, ok, confident_wrong, reason)


def run_core(core: AnswerCore, items: list[Item]) -> list[Outcome]:
    outcomes = []
    for it in items:
        start = time.perf_counter()
        answer = core.answer(Question(text=it.q))
        seconds = time.perf_counter() - start
        outcomes.append(judge(it, answer.kind.value, frozenset(c.id for c in answer.conditions),
                              tuple(s.id for s in answer.suggestions), seconds))
    return outcomes


# --- baselines --------------------------------------------------------------------------------------------------


def alias_table(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Every name (with and without a bracketed qualifier), synonym, abbreviation and ambiguous term -> owners."""
    table: dict[str, set[str]] = defaultdict(set)
    for cid, cond in kb.conditions.items():
        bare = " ".join(cond.name.split("(")[0].split())
        texts = [cond.name, bare, *cond.synonyms, *(t.text for t in cond.abbreviations),
                 *(t.text for t in cond.ambiguous_terms)]
        for text in texts:
            table[text].add(cid)
    return table


def _baseline_outcome(item: Item, owners: set[str] | None, seconds: float) -> Outcome:
    if not item.q.strip():
        return judge(item, "empty", frozenset(), (), seconds)
    if not owners:
        return judge(item, "not_found", frozenset(), (), seconds)
    if len(owners) > 1:  # an alias the data gives to several conditions: the baseline asks
        return judge(item, "clarify", frozenset(), tuple(sorted(owners)), seconds)
    return judge(item, "answer", frozenset(owners), (), seconds)


def run_wratio(kb: KnowledgeBase, items: list[Item], cutoff: float = WRATIO_CUTOFF) -> list[Outcome]:
    """Baseline (a): rapidfuzz process.extractOne, WRatio, whole question against all names and aliases."""
    table = alias_table(kb)
    choices = list(table)
    outcomes = []
    for it in items:
        start = time.perf_counter()
        best = process.extractOne(it.q, choices, scorer=fuzz.WRatio, processor=utils.default_process,
                                  score_cutoff=cutoff)
        seconds = time.perf_counter() - start
        outcomes.append(_baseline_outcome(it, table[best[0]] if best else None, seconds))
    return outcomes


def run_difflib(kb: KnowledgeBase, items: list[Item], cutoff: float = DIFFLIB_CUTOFF) -> list[Outcome]:
    """Baseline (b): difflib.get_close_matches, whole lower-cased question against all names and aliases."""
    table = alias_table(kb)
    lowered: dict[str, set[str]] = defaultdict(set)
    for text, owners in table.items():
        lowered[text.lower()] |= owners
    choices = list(lowered)
    outcomes = []
    for it in items:
        start = time.perf_counter()
        best = difflib.get_close_matches(it.q.lower().strip(), choices, n=1, cutoff=cutoff)
        seconds = time.perf_counter() - start
        outcomes.append(_baseline_outcome(it, lowered[best[0]] if best else None, seconds))
    return outcomes


# --- metrics ----------------------------------------------------------------------------------------------------


def _pct(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


@dataclass
class Metrics:
    name: str
    outcomes: list[Outcome]
    counts: dict[str, int] = field(default_factory=dict)
    rates: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by = defaultdict(list)
        for o in self.outcomes:
            by[o.item.category].append(o)
        ans, neg, cla = by["answerable"], by["negative"], by["clarify"]
        canonical = [o for o in self.outcomes if o.item.group == "canonical"]
        times = [o.seconds for o in self.outcomes]
        self.counts = {
            "items": len(self.outcomes), "answerable": len(ans), "negatives": len(neg), "clarify_items": len(cla),
            "answerable_ok": sum(o.ok for o in ans),
            "answerable_asked": sum(o.kind == "clarify" for o in ans),
            "answerable_not_found": sum(o.kind not in ("answer", "clarify") for o in ans),
            "answerable_confident_wrong": sum(o.confident_wrong for o in ans),
            "negative_confident_wrong": sum(o.confident_wrong for o in neg),
            "negative_kind_mismatch": sum((not o.ok) and not o.confident_wrong for o in neg),
            "clarify_ok": sum(o.ok for o in cla), "clarify_answered": sum(o.kind == "answer" for o in cla),
            "canonical": len(canonical), "canonical_wrong": sum(not o.ok for o in canonical),
            "canonical_confident_wrong": sum(o.confident_wrong for o in canonical),
            "clarified": sum(o.kind == "clarify" for o in self.outcomes),
            "failures": sum(not o.ok for o in self.outcomes),
        }
        c = self.counts
        self.rates = {
            "answerable_exact": _pct(c["answerable_ok"], c["answerable"]),
            "answerable_asked": _pct(c["answerable_asked"], c["answerable"]),
            "negative_confident_wrong": _pct(c["negative_confident_wrong"], c["negatives"]),
            "clarify_ok": _pct(c["clarify_ok"], c["clarify_items"]),
            "clarify_rate": _pct(c["clarified"], c["items"]),
            "confident_wrong_all": _pct(sum(o.confident_wrong for o in self.outcomes), c["items"]),
            "mean_ms": statistics.fmean(times) * 1000 if times else 0.0,
            "p50_ms": _percentile(times, 0.50) * 1000,
            "p99_ms": _percentile(times, 0.99) * 1000,
            "total_s": sum(times),
        }

    @property
    def meets_targets(self) -> bool:
        return not self.missed_targets()

    def missed_targets(self) -> list[str]:
        missed = []
        if self.rates["answerable_exact"] < TARGET_ANSWERABLE_EXACT:
            missed.append(f"exact on answerable {self.rates['answerable_exact']:.1%} < {TARGET_ANSWERABLE_EXACT:.0%}")
        if self.rates["negative_confident_wrong"] > TARGET_NEGATIVE_CONFIDENT_WRONG:
            missed.append(f"confident wrong on negatives {self.rates['negative_confident_wrong']:.1%} > "
                          f"{TARGET_NEGATIVE_CONFIDENT_WRONG:.0%}")
        if self.counts["canonical_wrong"] > TARGET_CANONICAL_WRONG:
            missed.append(f"{self.counts['canonical_wrong']} wrong on canonical names (target 0)")
        return missed

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    def as_dict(self) -> dict:
        return {"name": self.name, "counts": self.counts, "rates": self.rates, "meets_targets": self.meets_targets,
                "missed": self.missed_targets()}


def evaluate(core: AnswerCore, items: list[Item], warm: bool = True) -> Metrics:
    if warm:  # the first call pays for lazy imports and caches; time the warm path
        for it in items[:20]:
            core.answer(Question(text=it.q))
    return Metrics("ivig-chat core", run_core(core, items))


# --- report -----------------------------------------------------------------------------------------------------


def format_failure(o: Outcome) -> str:
    expected = ", ".join(sorted(o.item.expect)) or ("clarify: " + ", ".join(sorted(o.item.suggest))
                                                    if o.item.category == "clarify" else "no answer")
    if o.item.kind and o.item.category == "negative":
        expected += f" (kind {o.item.kind})"
    flag = "WRONG " if o.confident_wrong else ""
    return f"  #{o.item.number:<4} [{o.item.group}] {o.item.q!r}\n        expected {expected}; got {flag}{o.reason}"


def report(core_metrics: Metrics, baselines: list[Metrics], out=sys.stdout, show_failures: bool = True) -> None:
    m, c, r = core_metrics, core_metrics.counts, core_metrics.rates
    w = out.write
    w(f"Evaluation set: {c['items']} questions ({c['answerable']} answerable, {c['clarify_items']} ambiguous "
      f"(expect clarify), {c['negatives']} negatives)\n\n")
    w("ivig-chat core\n")
    w(f"  exact on answerable questions : {r['answerable_exact']:7.2%}  ({c['answerable_ok']}/{c['answerable']}; "
      f"target >= {TARGET_ANSWERABLE_EXACT:.0%})\n")
    w(f"    of which asked instead       : {c['answerable_asked']}; not found: {c['answerable_not_found']}; "
      f"confident wrong: {c['answerable_confident_wrong']}\n")
    w(f"  confident wrong on negatives  : {r['negative_confident_wrong']:7.2%}  ({c['negative_confident_wrong']}/"
      f"{c['negatives']}; target <= {TARGET_NEGATIVE_CONFIDENT_WRONG:.0%}); other negative misses (wrong kind): "
      f"{c['negative_kind_mismatch']}\n")
    w(f"  ambiguous terms asked back    : {r['clarify_ok']:7.2%}  ({c['clarify_ok']}/{c['clarify_items']}; "
      f"answered instead: {c['clarify_answered']})\n")
    w(f"  clarify rate (all questions)  : {r['clarify_rate']:7.2%}  ({c['clarified']}/{c['items']}); on answerable "
      f"questions: {r['answerable_asked']:.2%}\n")
    w(f"  wrong on canonical names      : {c['canonical_wrong']} of {c['canonical']} (confident wrong: "
      f"{c['canonical_confident_wrong']}; target 0)\n")
    w(f"  latency per question (warm)   : mean {r['mean_ms']:.3f} ms, p50 {r['p50_ms']:.3f} ms, "
      f"p99 {r['p99_ms']:.3f} ms\n")
    missed = m.missed_targets()
    w(f"  targets: {'MET' if not missed else 'MISSED: ' + '; '.join(missed)}\n\n")

    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in m.outcomes:
        groups[o.item.group].append(o)
    w("By group (correct / total):\n")
    for group, outs in groups.items():
        ok = sum(o.ok for o in outs)
        cw = sum(o.confident_wrong for o in outs)
        w(f"  {group:24} {ok:4}/{len(outs):<4} {ok / len(outs):7.1%}" + (f"   confident wrong {cw}" if cw else "") + "\n")
    w("\n")

    if baselines:
        w("Baselines, same questions, same judging (a naive matcher answers the single best alias; an alias the "
          "data gives to several conditions is asked back):\n")
        header = (f"  {'matcher':46} {'exact ans.':>10} {'false ans.':>10} {'ambig. ok':>10} {'canon. wrong':>12} "
                  f"{'conf. wrong':>11} {'p50 ms':>8} {'p99 ms':>8} {'total s':>8}\n")
        w(header)
        for b in [m, *baselines]:
            br, bc = b.rates, b.counts
            w(f"  {b.name:46} {br['answerable_exact']:10.1%} {br['negative_confident_wrong']:10.1%} "
              f"{br['clarify_ok']:10.1%} {bc['canonical_wrong']:12} {br['confident_wrong_all']:11.1%} "
              f"{br['p50_ms']:8.3f} {br['p99_ms']:8.3f} {br['total_s']:8.2f}\n")
        w("  (false ans. = confident wrong answers on negatives; conf. wrong = over all questions)\n\n")

    failures = m.failures()
    if show_failures:
        w(f"Failures of the core: {len(failures)}\n")
        by_group: dict[str, list[Outcome]] = defaultdict(list)
        for o in failures:
            by_group[o.item.group].append(o)
        for group, outs in by_group.items():
            w(f" {group} ({len(outs)})\n")
            for o in outs:
                w(format_failure(o) + "\n")
        kinds = Counter(o.kind for o in failures)
        w(f"Failure kinds: {dict(kinds)}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--knowledge", type=Path, help="knowledge folder instead of the shipped one")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--no-failures", action="store_true", help="metrics only")
    parser.add_argument("--wratio-cutoff", type=float, default=WRATIO_CUTOFF)
    parser.add_argument("--difflib-cutoff", type=float, default=DIFFLIB_CUTOFF)
    parser.add_argument("--json", type=Path, help="also write the metrics as JSON here")
    args = parser.parse_args(argv)

    items = load_items(args.questions)
    core = AnswerCore.load(args.knowledge)
    problems = unknown_ids(items, core.kb)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    for problem in coverage_problems(items, core.kb):
        print(f"coverage: {problem}", file=sys.stderr)
    metrics = evaluate(core, items)
    baselines = []
    if not args.no_baselines:
        baselines = [
            Metrics(f"(a) rapidfuzz extractOne WRatio, cutoff {args.wratio_cutoff:g}",
                    run_wratio(core.kb, items, args.wratio_cutoff)),
            Metrics(f"(b) difflib.get_close_matches, cutoff {args.difflib_cutoff:g}",
                    run_difflib(core.kb, items, args.difflib_cutoff)),
        ]
    report(metrics, baselines, show_failures=not args.no_failures)
    if args.json:
        args.json.write_text(json.dumps({"core": metrics.as_dict(), "baselines": [b.as_dict() for b in baselines]},
                                        indent=2), encoding="utf-8")
    return 0 if metrics.meets_targets else 1


if __name__ == "__main__":
    sys.exit(main())
