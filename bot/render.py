"""Plain-text rendering of an Answer, shared by the REPL and the JSON contract's "text" field."""

from __future__ import annotations

import textwrap

from bot.models import DIRECTION_LABELS, Answer, AnswerKind, Citation, ConditionAnswer, Design, Direction, FindingView

WIDTH = 100


def cite(numbers) -> str:
    """Citation numbers as written after a finding: [1][4]."""
    return "".join(f"[{n}]" for n in numbers)


def citation_line(c: Citation) -> str:
    """One reference: who, when, what, where, identifiers, the page it was read from, and whether verified."""
    parts = []
    who = c.first_author or "Author not recorded"
    parts.append(f"{who} ({c.year})." if c.year else f"{who}.")
    if c.title:
        parts.append(c.title.rstrip(".") + ".")
    if c.journal:
        where = c.journal + (f" {c.volume}" if c.volume else "")
        if c.pages:
            where += f":{c.pages}" if c.volume else f", {c.pages}"
        parts.append(where + ".")
    if c.pmid:
        parts.append(f"PMID {c.pmid} {c.pubmed_url}")
    if c.doi:
        parts.append(f"DOI {c.doi_url}")
    if c.source:
        parts.append(f"Read in: {c.source}" + (f", reference [{c.reference_number}]" if c.reference_number else "") + ".")
    if c.url and c.url not in (c.pubmed_url, c.doi_url):
        parts.append(c.url)
    if not c.verified:
        parts.append("(unverified: known only from a citing page or a summary)")
    return " ".join(parts)


def finding_line(f: FindingView) -> str:
    design = f.design.value if f.design is not Design.not_stated else "design not stated"
    head = f"[{f.direction_label}] {design}"
    if f.patients:
        head += f", {f.patients} patients"
    if f.grade:
        head += f", grade: {f.grade}"
    body = f"{head}. {f.statement.strip()}"
    if f.population:
        body += f" Population: {f.population.strip().rstrip('.')}."
    if f.figures:
        body += f" Figures: {f.figures.strip().rstrip('.')}."
    if f.caveat:
        body += f" Caveat: {f.caveat.strip().rstrip('.')}."
    return body + " " + cite(f.citations)


def disagreement_line(c: ConditionAnswer) -> str | None:
    """Where the sources of one condition part ways, by citation number; None when they all point one way.

    "Mixed" and "unproven" findings are sides of their own: a trial that found no benefit beside a review
    that calls the evidence mixed is a difference a reader should see.
    """
    sides: dict[str, list[int]] = {"for IVIG": list(c.favourable), "against": list(c.unfavourable)}
    for finding in c.findings:
        if finding.direction in (Direction.mixed, Direction.unproven):
            numbers = sides.setdefault(DIRECTION_LABELS[finding.direction], [])
            numbers.extend(n for n in finding.citations if n not in numbers)
    present = [(side, numbers) for side, numbers in sides.items() if numbers]
    if len(present) < 2:
        return None
    head = "Sources disagree" if c.favourable and c.unfavourable else "Sources differ"
    return f"{head}: " + "; ".join(f"{side} {cite(numbers)}" for side, numbers in present) + "."


def _wrap(text: str, indent: str = "", first: str = "") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=first or indent, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False)


def condition_block(c: ConditionAnswer) -> list[str]:
    lines = [_wrap(f"{c.name}: {c.evidence_summary.strip()}")]
    if c.method and c.method.value == "fuzzy":
        lines.append(f"  (I read “{c.matched_text}” as {c.name}; match score {c.score:.2f}.)")
    differences = disagreement_line(c)
    if differences:
        lines.append(_wrap(differences, "  ", "  "))
    lines.append("  Findings, strongest design first:")
    for i, f in enumerate(c.findings, 1):
        lines.append(_wrap(finding_line(f), "     ", f"  {i:>2}. "))
    return lines


def render_text(answer: Answer) -> str:
    lines: list[str] = list(answer.notes)
    if answer.message:
        lines.append(_wrap(answer.message))
    for cond in answer.conditions:
        if lines:
            lines.append("")
        lines.extend(condition_block(cond))
    if answer.suggestions and answer.kind is not AnswerKind.clarify:
        lines.append("")
        lines.append("Not answered, did you mean: " + "; ".join(f"{s.name} ({s.reason})" for s in answer.suggestions))
    elif answer.suggestions:
        lines.extend(f"  {i}. {s.name}  ({s.reason})" for i, s in enumerate(answer.suggestions, 1))
    if answer.listing:
        specialty = None
        for entry in answer.listing:
            if entry.specialty != specialty:
                specialty = entry.specialty
                lines.append(f"{specialty.capitalize()}:")
            lines.append(f"  - {entry.name}")
    if answer.citations:
        lines.append("")
        lines.append("References:")
        for c in answer.citations:
            lines.append(_wrap(citation_line(c), "      ", f"  [{c.number}] "))
    if answer.kind in (AnswerKind.answer, AnswerKind.sources, AnswerKind.list):
        lines.append("")
        reviewed = f" Knowledge base reviewed {answer.last_reviewed.isoformat()}." if answer.last_reviewed else ""
        lines.append(answer.disclaimer + reviewed)
    return "\n".join(lines).strip("\n")
