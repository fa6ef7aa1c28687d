"""Building the structured parts of an answer: numbered citations and one condition's evidence."""

from __future__ import annotations

from bot.evidence import finding_label, ranked, verdict
from bot.knowledge import KnowledgeBase
from bot.models import Citation, ConditionAnswer, FindingView, MatchMethod
from bot.schema import FAVOURABLE, UNFAVOURABLE, Condition

PUBMED = "https://pubmed.ncbi.nlm.nih.gov/{}/"
DOI = "https://doi.org/{}"


class CitationBook:
    """Numbers references in order of first use across one answer."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.numbers: dict[str, int] = {}

    def number(self, key: str) -> int:
        return self.numbers.setdefault(key, len(self.numbers) + 1)

    def citations(self) -> list[Citation]:
        out = []
        for key, number in self.numbers.items():
            ref = self.kb.references[key]
            out.append(Citation(
                number=number, key=key, **ref.model_dump(),
                pubmed_url=PUBMED.format(ref.pmid) if ref.pmid else None,
                doi_url=DOI.format(ref.doi) if ref.doi else None,
            ))
        return out


def condition_answer(cond: Condition, book: CitationBook, *, score: float, matched_text: str | None,
                     method: MatchMethod | None, subtype: str | None = None) -> ConditionAnswer:
    vocabulary = book.kb.vocabulary
    """One condition's evidence, strongest design first, with citation numbers from `book`."""
    views, favourable, unfavourable = [], [], []
    overall = verdict(cond)
    basis: list[int] = []
    for finding in ranked(list(cond.findings)):
        numbers = [book.number(key) for key in finding.references]
        if finding is overall.strongest:
            basis = numbers
        facts = finding.model_dump(exclude={"references"})
        views.append(FindingView(**facts, direction_label=finding_label(finding), citations=numbers))
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
