"""Conditions' evidence as sections: the short form, the details, one focus of a follow-up, a comparison line."""

from __future__ import annotations

import re
from collections import Counter

from bot.evidence import SHORT_WORDS, finding_label
from bot.evidence import sides as evidence_sides
from bot.models import Citation, ConditionAnswer, FindingView, MatchMethod
from bot.present.document import Line, Section, Style
from bot.schema import DESIGN_RANK, Design
from bot.texts import CommandNames, Texts

DESIGN_WORDS = {
    Design.guideline: "guideline",
    Design.review: "review",
    Design.randomized_controlled_trial: "randomised trial",
    Design.non_randomized_trial: "non-randomised trial",
    Design.cohort: "cohort",
    Design.case_series: "case series",
    Design.case_report: "case report",
    Design.not_stated: "design not stated",
    Design.payer_coverage: "insurer's coverage position",
}
SHORT_DESIGN = {**DESIGN_WORDS, Design.randomized_controlled_trial: "RCT",
                Design.payer_coverage: "insurer's position"}
SHORT_TITLE = 48  # a work named by its title when no author is recorded: this many characters at most


def cite(numbers) -> str:
    """Citation numbers as written after a finding: [1][4]."""
    return "".join(f"[{n}]" for n in numbers)


def _clause(text: str | None) -> str:
    return " ".join((text or "").split()).rstrip(".")


def _thin_title(cond: ConditionAnswer, texts: Texts) -> str:
    if cond.evidence_basis is None:
        return cond.name
    basis = texts.label("basis_" + cond.evidence_basis.name)
    return texts.label("thin", name=cond.name, basis=basis)


def _reading_notes(cond: ConditionAnswer, texts: Texts) -> list[Line]:
    if cond.method is MatchMethod.fuzzy:
        return [Line(texts.label("read_as", words=cond.matched_text or "", name=cond.name), Style.note)]
    if cond.method is MatchMethod.antibody:  # no name in the question: say what the answer rests on
        return [Line(texts.label("read_from_antibody", words=cond.matched_text or "", name=cond.name), Style.note)]
    return []


_WORD = re.compile(r"[a-z0-9]+")  # compiled once: this runs for every finding of every answer


def _said_in(part: str | None, text: str) -> bool:
    """True when every word of `part` that carries meaning (four letters or more) is already in `text`, so the
    short line need not repeat it."""
    words = [w for w in _WORD.findall((part or "").lower()) if len(w) >= 4]
    if not words:
        return False
    said = set(_WORD.findall(text.lower()))
    return all(w in said or w.rstrip("s") in said or w + "s" in said for w in words)


def finding_head(f: FindingView, texts: Texts, result: str = "", short: bool = False) -> str:
    """Label (with its subgroup), design, patients, grade: what a finding is, before what it found; a part the
    result already says is not said twice, and the short form leaves the grade to the details."""
    head = finding_label(f, short=True) if short else (f.direction_label or SHORT_WORDS[f.direction])
    if f.subgroup and not _said_in(f.subgroup, result):
        head += f" ({_clause(f.subgroup)})"
    design = (SHORT_DESIGN if short else DESIGN_WORDS)[f.design]
    if f.patients:
        design += ", " + texts.patients(f.patients)
    if f.grade and f.design is Design.guideline and not short and not _said_in(f.grade, result):
        design += ", " + _clause(f.grade)
    return f"{head} · {design}"


def short_finding(f: FindingView, texts: Texts) -> Line:
    result = _clause(f.key_figure) or _clause(f.population)
    text = finding_head(f, texts, result, short=True) + (f": {result}" if result else "") + " " + cite(f.citations)
    return Line(text, Style.item)


def disagreement(cond: ConditionAnswer, texts: Texts) -> Line | None:
    """Where sources about the same patients part ways, by citation number (subgroups are not rivals)."""
    pairs = [(f, f.citations) for f in cond.findings]
    found = evidence_sides(pairs)  # type: ignore[arg-type] - FindingView carries every field sides() reads
    if len(found) < 2:
        return None
    text = "; ".join(f"{side} {cite(numbers)}" for side, numbers in found.items())
    key = "disagree" if "for IVIG" in found and "against" in found else "differ"
    return Line(texts.label(key, sides=text), Style.note)


def short_section(cond: ConditionAnswer, texts: Texts) -> Section:
    summary = cond.headline or cond.evidence_summary
    lines = _reading_notes(cond, texts) + [Line(" ".join(summary.split()))]
    lines += [short_finding(f, texts) for f in cond.findings]
    return Section(_thin_title(cond, texts), lines)


def detail_section(cond: ConditionAnswer, texts: Texts) -> Section:
    lines = _reading_notes(cond, texts) + [Line(" ".join(cond.evidence_summary.split()))]
    differences = disagreement(cond, texts)
    if differences:
        lines.append(differences)
    for f in cond.findings:
        parts = [finding_head(f, texts) + ".", " ".join(f.statement.split())]
        if f.comparator is not None:
            parts.append(texts.label("comparator", comparator=f.comparator.treatment or f.comparator.kind.value))
        for key, value in (("population", f.population), ("figures", f.figures), ("caveat", f.caveat)):
            if value:
                parts.append(texts.label(key, text=_clause(value)))
        lines.append(Line(" ".join(parts) + " " + cite(f.citations), Style.item))
    return Section(_thin_title(cond, texts), lines)


def _who(c: Citation) -> str:
    if c.first_author:
        return c.first_author
    title = _clause(c.title) or _clause(c.source) or c.key
    return title if len(title) <= SHORT_TITLE else title[: SHORT_TITLE - 1].rsplit(" ", 1)[0] + "…"


def link(c: Citation) -> str | None:
    """Where a reader should go: PubMed, else the DOI, else the publisher's own page; never a mirror."""
    return c.pubmed_url or c.doi_url or (c.url if c.primary_page else None)


def short_reference(c: Citation, texts: Texts) -> Line:
    """Who and when, and the link to follow (the details give title, journal and pages)."""
    parts = [_who(c) + (f", {c.year}" if c.year else "") + "."]
    target = link(c)
    if target:
        parts.append(target)
    if not c.verified:
        parts.append(f"({texts.label('unverified')})")
    return Line(f"[{c.number}] " + " ".join(parts), Style.reference)


def full_reference(c: Citation, texts: Texts) -> Line:
    parts = [_who(c) + (f" ({c.year})" if c.year else "") + "."]
    if c.title and c.first_author:
        parts.append(_clause(c.title) + ".")
    if c.journal:
        where = c.journal + (f" {c.volume}" if c.volume else "")
        if c.pages:
            where += f":{c.pages}" if c.volume else f", {c.pages}"
        parts.append(where + ".")
    if c.pmid:
        parts.append(f"PMID {c.pmid} {c.pubmed_url}")
    if c.doi:
        parts.append(f"DOI {c.doi_url}")
    if c.url and c.primary_page and c.url not in (c.pubmed_url, c.doi_url):
        parts.append(texts.label("read_in", url=c.url))
    if c.superseded:
        parts.append(f"({texts.label('superseded')})")
    if not c.verified:
        parts.append(f"({texts.label('unverified_long')})")
    return Line(f"[{c.number}] " + " ".join(parts), Style.reference)


def references_section(citations: list[Citation], texts: Texts, full: bool) -> Section:
    """The details list every reference in full under a heading; the short form gives one line each, bare."""
    if full:
        return Section(texts.label("references"), [full_reference(c, texts) for c in citations])
    return Section(None, [short_reference(c, texts) for c in citations])


def focus_section(cond: ConditionAnswer, focus: str, citations: list[Citation], texts: Texts) -> Section:
    """Only what a follow-up asked for: patient counts, designs, or the sources (with their citation numbers)."""
    if focus == "patients":
        counted = [f"{texts.patients(f.patients)} ({DESIGN_WORDS[f.design]} {cite(f.citations)})"
                   for f in cond.findings if f.patients]
        if not counted:
            return Section(None, [Line(texts.label("focus_patients_none", name=cond.name))])
        text = texts.label("focus_patients", name=cond.name, counts="; ".join(counted))
        if len(counted) < len(cond.findings):
            text += " " + texts.label("focus_patients_some")
        return Section(None, [Line(text)])
    if focus == "design":
        by_design: dict[Design, list[int]] = {}
        for f in cond.findings:
            by_design.setdefault(f.design, []).extend(f.citations)
        counts = Counter(f.design for f in cond.findings)
        designs = "; ".join(f"{counts[d]} {DESIGN_WORDS[d]} {cite(numbers)}"
                            for d, numbers in sorted(by_design.items(), key=lambda kv: DESIGN_RANK[kv[0]]))
        return Section(None, [Line(texts.label("focus_design", name=cond.name, designs=designs))])
    used = {n for f in cond.findings for n in f.citations}
    lines = [full_reference(c, texts) for c in citations if c.number in used]
    return Section(texts.label("focus_sources", name=cond.name), lines)


def compare_line(cond: ConditionAnswer, number: int, texts: Texts) -> Line:
    """One line of a many-condition comparison: the verdict and the evidence it rests on."""
    basis = next((f for f in cond.findings if f.citations == cond.overall_basis), cond.findings[0])
    what = DESIGN_WORDS[basis.design] + (", " + texts.patients(basis.patients) if basis.patients else "")
    verdict = _thin_title(cond, texts).removeprefix(cond.name + ": ") if cond.evidence_basis else cond.overall_label
    text = texts.label("compare_line", name=cond.name, verdict=verdict, strongest=what, cites=cite(basis.citations))
    return Line(text, Style.numbered, number=number, pick=cond.id)


def details_hint(commands: CommandNames, texts: Texts) -> Line:
    return Line(texts.label("details_hint", commands), Style.note)
