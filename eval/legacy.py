"""The legacy set's stale expectations: answers the knowledge base has outgrown since the set was written."""

from __future__ import annotations

from eval_judge import Metrics, Outcome
from eval_set import new_ids

from bot.text import canonical_phrase


def stale(outcome: Outcome, added: set[str]) -> bool:
    """A legacy failure that only answers conditions added after the legacy set was written (its expectation is
    older than the knowledge base: e.g. a negative naming a disease that is now covered)."""
    extra = outcome.answered - outcome.item.expect
    return not outcome.ok and outcome.kind == "answer" and bool(extra) and extra <= added


def noted_terms(kb) -> dict[str, set[tuple[str, ...]]]:
    """Per condition, the ambiguous terms its curator chose to answer with a note (answer_with_note)."""
    out: dict[str, set[tuple[str, ...]]] = {}
    for cid, cond in kb.conditions.items():
        for term in cond.ambiguous_terms:
            if term.answer_with_note:
                out.setdefault(cid, set()).add(canonical_phrase(term.text))
    return out


def curated_since(outcome: Outcome, noted: dict[str, set[tuple[str, ...]]]) -> bool:
    """A legacy "did you mean" item, written from the ambiguous-term lists, whose term the curator has since chosen
    to answer in one covered reading (its only one, or the one marked among several) with a note naming the others:
    the old expectation records the old choice. Only an answer of exactly one offered condition, for a question
    holding a term that condition marks, counts."""
    item = outcome.item
    if outcome.ok or item.category != "clarify" or outcome.kind != "answer" or len(outcome.answered) != 1:
        return False
    if not outcome.answered <= frozenset(item.suggest):
        return False
    words = canonical_phrase(item.q)
    return any(words[i: i + len(t)] == t for t in noted.get(next(iter(outcome.answered)), ())
               for i in range(len(words) - len(t) + 1))


def _shipped_noted() -> dict[str, set[tuple[str, ...]]]:
    from bot.knowledge import load_knowledge
    return noted_terms(load_knowledge())


def legacy_current(legacy: Metrics, noted: dict[str, set[tuple[str, ...]]] | None = None) -> Metrics:
    """The legacy metrics without its stale failures: conditions added since, and terms now answered with a note."""
    added = new_ids()
    noted = _shipped_noted() if noted is None else noted
    return Metrics(legacy.name + " (stale left out)", [o for o in legacy.outcomes
                                                       if not stale(o, added) and not curated_since(o, noted)])
