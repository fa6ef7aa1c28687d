"""Building the structured parts of an answer: numbered citations and one condition's evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.evidence import Verdict, finding_label, ranked, verdict
from bot.knowledge import KnowledgeBase
from bot.models import Citation, ConditionAnswer, FindingView, MatchMethod, TextRef
from bot.schema import FAVOURABLE, UNFAVOURABLE, Condition, Finding
from bot.text import canonical_phrase

if TYPE_CHECKING:
    from bot.match.result import Hit

PUBMED = "https://pubmed.ncbi.nlm.nih.gov/{}/"
DOI = "https://doi.org/{}"
MAX_SHARED_NUMBER = 64  # citations numbered up to this are built once per (reference, number) and shared


class CitationBook:
    """Numbers references in order of first use across one answer."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.numbers: dict[str, int] = {}

    def number(self, key: str) -> int:
        return self.numbers.setdefault(key, len(self.numbers) + 1)

    def citations(self) -> list[Citation]:
        out = []
        memo = self.kb.answer_parts
        for key, number in self.numbers.items():
            ref = self.kb.references[key]
            cached = memo.get(("reference", key, number))
            if cached is None or cached[0] is not ref:  # checked by identity: a replaced reference is never served
                cached = (ref, Citation(
                    number=number, key=key, **ref.model_dump(),
                    pubmed_url=PUBMED.format(ref.pmid) if ref.pmid else None,
                    doi_url=DOI.format(ref.doi) if ref.doi else None,
                ))
                if number <= MAX_SHARED_NUMBER:
                    memo[("reference", key, number)] = cached
            out.append(cached[1])
        return out


@dataclass(frozen=True)
class _Parts:
    """What one condition's answer takes from the knowledge base alone, worked out on its first answer: the
    verdict, and each finding (strongest design first) with its facts and label. Every answer about the condition
    used to recompute them, and they were about half of building one.

    The finding views of an answer numbered from [1] (a condition answered first or alone) are the same every
    time, so they are built once and shared by every such answer, as citations are (CitationBook): answers are
    read, never changed, once the core returns them (adapters word only their message, notes and reasons)."""

    overall: Verdict
    findings: tuple[tuple[Finding, dict, str], ...]  # (finding, its facts without references, its label)
    views: dict[int, FindingView] = field(default_factory=dict)  # by position, as numbered in an answer of its own


def _parts(cond: Condition, kb: KnowledgeBase) -> _Parts:
    memo = kb.answer_parts
    parts = memo.get(cond.id)
    if parts is None or parts[0] is not cond:  # keyed by id, checked by identity: a condition is never stale
        parts = (cond, _Parts(verdict(cond), tuple((f, f.model_dump(exclude={"references"}), finding_label(f))
                                                   for f in ranked(list(cond.findings)))))
        memo[cond.id] = parts
    return parts[1]


def condition_answer(cond: Condition, book: CitationBook, *, score: float, matched_text: str | None,
                     method: MatchMethod | None, subtype: str | None = None) -> ConditionAnswer:
    vocabulary = book.kb.vocabulary
    """One condition's evidence, strongest design first, with citation numbers from `book`."""
    views, favourable, unfavourable = [], [], []
    parts = _parts(cond, book.kb)
    overall = parts.overall
    basis: list[int] = []
    first = not book.numbers  # numbered from [1] as in every answer of its own: the same views each time
    for position, (finding, facts, label) in enumerate(parts.findings):
        numbers = [book.number(key) for key in finding.references]
        if finding is overall.strongest:
            basis = numbers
        view = parts.views.get(position) if first else None
        if view is None:
            view = FindingView(**facts, direction_label=label, citations=numbers)
            if first:
                parts.views[position] = view
        views.append(view)
        if finding.design.value == "payer coverage position":
            continue  # an insurer's position takes no side in the evidence
        if finding.direction in FAVOURABLE:
            favourable.extend(n for n in numbers if n not in favourable)
        elif finding.direction in UNFAVOURABLE:
            unfavourable.extend(n for n in numbers if n not in unfavourable)
    return ConditionAnswer(
        id=cond.id, name=cond.name, score=round(score / 100, 3), matched_text=matched_text, method=method,
        specialty=cond.specialty, evidence_summary=cond.evidence_summary, headline=cond.headline,
        evidence_basis=cond.evidence_basis,
        overall=overall.direction, overall_label=overall.label, overall_basis=basis, last_reviewed=cond.last_reviewed,
        findings=views, favourable=favourable, unfavourable=unfavourable, subtype=subtype,
        codes=vocabulary.codes(cond.id) if vocabulary is not None else {},
    )


def clarify_reason(hit: "Hit", name: str) -> TextRef:
    """Why a condition is offered rather than answered, as the response text that says so."""
    if hit.method is MatchMethod.chosen:  # offered again: "yes" to "A or B?"
        return TextRef(key="clarify_reason_offered")
    if hit.method is MatchMethod.ambiguous:
        return TextRef(key="clarify_reason_ambiguous", params={"words": hit.matched_text, "name": name})
    if hit.method is MatchMethod.antibody:
        return TextRef(key="clarify_reason_antibody", params={"words": hit.matched_text})
    if hit.method is MatchMethod.subtype:  # a form the curator did not accept: "primary progressive MS"
        return TextRef(key="clarify_reason_form", params={"words": hit.matched_text, "name": name})
    if canonical_phrase(hit.matched_text) == canonical_phrase(hit.alias):  # named as typed, set aside as background
        return TextRef(key="clarify_reason_told", params={"words": hit.matched_text})
    return TextRef(key="clarify_reason_typo", params={"words": hit.matched_text, "alias": hit.alias})
