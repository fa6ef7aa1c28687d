"""Judging one answer against one item, the two naive baselines, and the metrics over a list of outcomes.

Definitions (the same for the core and the baselines):
- answerable item: `expect` names at least one condition; correct when the answer kind is "answer" and the
  answered set equals `expect` exactly.
- clarify item (`kind: clarify`): correct when the bot asks ("did you mean") and offers every id of `suggest`.
- negative item (`expect: []`): a confident wrong answer is any answered condition; when the item states a kind
  (not_found, greeting, empty ...) that kind is also required for the item to pass.
- a confident wrong answer anywhere is kind "answer" with a condition set other than the expected one.
"""

from __future__ import annotations

import difflib
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

from bot.models import Question
from eval_set import Item

WRATIO_CUTOFF = 85.0  # baseline (a): rapidfuzz WRatio, 0-100
DIFFLIB_CUTOFF = 0.6  # baseline (b): difflib ratio, 0-1 (its default)


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
    focus: str | None = None


def judge(item: Item, kind: str, answered: frozenset[str], suggested: tuple[str, ...], seconds: float = 0.0,
          focus: str | None = None, expect: frozenset[str] | None = None) -> Outcome:
    """`expect` overrides the item's (a dialogue's pick turn resolves it at run time)."""
    expect = item.expect if expect is None else expect
    confident_wrong = kind == "answer" and answered != expect
    if item.category == "answerable":
        ok = kind == "answer" and answered == expect
    elif item.category == "clarify":
        ok = kind == "clarify" and item.suggest <= set(suggested)
    else:
        ok = not confident_wrong and (item.kind is None or kind == item.kind)
    if item.focus is not None:
        ok = ok and focus == item.focus
    reason = ""
    if not ok:
        if kind == "answer":
            extra, missing = sorted(answered - expect), sorted(expect - answered)
            parts = ([f"answered {', '.join(extra)}"] if extra else []) + ([f"missed {', '.join(missing)}"] if missing else [])
            reason = "; ".join(parts) or f"answered (focus {focus or '-'})"
        elif kind == "clarify":
            reason = f"asked (did you mean {', '.join(suggested) or '-'})"
            if item.category == "clarify":
                reason += f"; not offered {', '.join(sorted(item.suggest - set(suggested))) or '-'}"
        else:
            reason = kind
    return Outcome(item, kind, answered, suggested, seconds, ok, confident_wrong, reason, focus)


def judge_answer(item: Item, answer, seconds: float = 0.0, expect: frozenset[str] | None = None) -> Outcome:
    return judge(item, answer.kind.value, frozenset(c.id for c in answer.conditions),
                 tuple(s.id for s in answer.suggestions), seconds, getattr(answer, "focus", None), expect)


def run_core(core, items: list[Item]) -> list[Outcome]:
    outcomes = []
    for it in items:
        start = time.perf_counter()
        answer = core.answer(Question(text=it.q))
        outcomes.append(judge_answer(it, answer, time.perf_counter() - start))
    return outcomes


# --- baselines --------------------------------------------------------------------------------------------------


def alias_table(kb) -> dict[str, set[str]]:
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


def run_wratio(kb, items: list[Item], cutoff: float = WRATIO_CUTOFF) -> list[Outcome]:
    """Baseline (a): rapidfuzz process.extractOne, WRatio, whole question against all names and aliases."""
    table = alias_table(kb)
    choices = list(table)
    outcomes = []
    for it in items:
        start = time.perf_counter()
        best = process.extractOne(it.q, choices, scorer=fuzz.WRatio, processor=utils.default_process,
                                  score_cutoff=cutoff)
        outcomes.append(_baseline_outcome(it, table[best[0]] if best else None, time.perf_counter() - start))
    return outcomes


def run_difflib(kb, items: list[Item], cutoff: float = DIFFLIB_CUTOFF) -> list[Outcome]:
    """Baseline (b): difflib.get_close_matches, whole lower-cased question against all names and aliases."""
    lowered: dict[str, set[str]] = defaultdict(set)
    for text, owners in alias_table(kb).items():
        lowered[text.lower()] |= owners
    choices = list(lowered)
    outcomes = []
    for it in items:
        start = time.perf_counter()
        best = difflib.get_close_matches(it.q.lower().strip(), choices, n=1, cutoff=cutoff)
        outcomes.append(_baseline_outcome(it, lowered[best[0]] if best else None, time.perf_counter() - start))
    return outcomes


# --- metrics ----------------------------------------------------------------------------------------------------


def _pct(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


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
            "answerable_offered": sum(o.kind == "clarify" and o.item.expect <= set(o.suggested) for o in ans),
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
            "answered_or_offered": _pct(c["answerable_ok"] + c["answerable_offered"], c["answerable"]),
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

    def by_group(self) -> dict[str, dict[str, int]]:
        groups: dict[str, dict[str, int]] = {}
        for o in self.outcomes:
            g = groups.setdefault(o.item.group, {"items": 0, "ok": 0, "confident_wrong": 0})
            g["items"] += 1
            g["ok"] += o.ok
            g["confident_wrong"] += o.confident_wrong
        return groups

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    def as_dict(self) -> dict:
        return {"name": self.name, "counts": self.counts, "rates": self.rates, "groups": self.by_group()}


def evaluate(core, items: list[Item], warm: bool = True, name: str = "ivig-chat core") -> Metrics:
    if warm:  # the first call pays for lazy imports and caches; time the warm path
        for it in items[:20]:
            core.answer(Question(text=it.q))
    return Metrics(name, run_core(core, items))


def format_failure(o: Outcome) -> str:
    expected = ", ".join(sorted(o.item.expect)) or ("clarify: " + ", ".join(sorted(o.item.suggest))
                                                    if o.item.category == "clarify" else "no answer")
    if o.item.pick:
        expected = f"candidate #{o.item.pick} of the previous turn"
    if o.item.kind and o.item.category == "negative":
        expected += f" (kind {o.item.kind})"
    if o.item.focus:
        expected += f" (focus {o.item.focus})"
    flag = "WRONG " if o.confident_wrong else ""
    return (f"  {o.item.source}#{o.item.number:<4} [{o.item.group}] {o.item.q!r}\n"
            f"        expected {expected}; got {flag}{o.reason}")
