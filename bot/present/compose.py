"""From a structured Answer to what a user reads: words for its texts, the short form, the details, the pages."""

from __future__ import annotations

from functools import partial

from bot.models import Answer, AnswerKind
from bot.present.document import Line, Page, Presentation, Section, Style, paginate
from bot.present.evidence import (
    compare_line,
    detail_section,
    details_hint,
    focus_section,
    references_section,
    short_section,
)
from bot.texts import CommandNames, Texts

COMPARE_FROM = 3  # conditions named in one question from which the answer is a one-line-each comparison
COMPARE_PER_PAGE = 10
FOOTER_KINDS = (AnswerKind.answer, AnswerKind.sources, AnswerKind.list)


def fill_words(answer: Answer, texts: Texts, commands: CommandNames) -> Answer:
    """The answer with `message`, `notes` and suggestion reasons worded for this adapter (changed in place)."""
    if answer.message_ref is not None:
        answer.message = texts.message(answer.message_ref.key, commands, **answer.message_ref.params)
    answer.notes = [texts.message(ref.key, commands, **ref.params) for ref in answer.note_refs]
    for ref in [*answer.suggestions, *answer.conditions]:
        if ref.reason_ref is not None:
            ref.reason = texts.message(ref.reason_ref.key, commands, **ref.reason_ref.params)
    for cond in answer.conditions:
        if cond.subtype:
            answer.notes.append(texts.message("subtype", commands, subtype=cond.subtype, name=cond.name))
    return answer


def footer(answer: Answer, texts: Texts) -> str | None:
    if answer.kind not in FOOTER_KINDS:
        return None
    reviewed = " " + texts.label("reviewed", date=answer.last_reviewed.isoformat()) if answer.last_reviewed else ""
    return answer.disclaimer + reviewed


def is_comparison(answer: Answer) -> bool:
    return answer.kind is AnswerKind.answer and len(answer.conditions) >= COMPARE_FROM and not answer.focus


def present(answer: Answer, texts: Texts, commands: CommandNames) -> Presentation:
    """The short form and the details of any answer, in the same sections for every adapter."""
    fill_words(answer, texts, commands)
    end = footer(answer, texts)
    opening = [Line(note, Style.note) for note in answer.notes]
    if answer.message:
        opening.append(Line(answer.message))
    if answer.kind is not AnswerKind.answer or not answer.conditions:
        return Presentation(paginate(_other_sections(answer, opening, texts), end), kind=answer.kind.value)

    if answer.focus and answer.focus != "more":
        sections = [Section(None, opening)] if opening else []
        sections += [focus_section(c, answer.focus, answer.citations, texts) for c in answer.conditions]
        return Presentation(paginate(sections, end), partial(_details, answer, texts, end), kind="answer")
    if answer.focus == "more":
        details = _details(answer, texts, end)
        if opening:
            details[0].sections.insert(0, Section(None, opening))
        return Presentation(details, details, kind="answer")
    if is_comparison(answer):
        message = texts.message("compare", commands, count=len(answer.conditions))
        lines = [compare_line(c, i, texts) for i, c in enumerate(answer.conditions, 1)]
        sections = [Section(None, opening + [Line(message)]), Section(None, lines),
                    *_unanswered(answer, texts, first=len(lines) + 1)]
        pages = paginate(sections, end, per_page=COMPARE_PER_PAGE)
        return Presentation(pages, partial(_details, answer, texts, end), kind="answer")

    sections = [Section(None, opening)] if opening else []
    sections += [short_section(c, texts) for c in answer.conditions]
    sections += _unanswered(answer, texts)
    references = references_section(answer.citations, texts, full=False)
    references.lines.append(details_hint(commands, texts))  # under the references, no blank line: screens are short
    sections.append(references)
    return Presentation(paginate(sections, end), partial(_details, answer, texts, end), kind="answer")


def _details(answer: Answer, texts: Texts, end: str | None) -> list[Page]:
    sections = [detail_section(c, texts) for c in answer.conditions] + _unanswered(answer, texts)
    sections.append(references_section(answer.citations, texts, full=True))
    return paginate(sections, end)


def _unanswered(answer: Answer, texts: Texts, first: int = 1) -> list[Section]:
    """Did-you-mean candidates the answer did not answer, numbered from `first` (after a comparison's lines)."""
    if not answer.suggestions:
        return []
    lines = [Line(f"{s.name}: {s.reason}", Style.numbered, number=i, pick=s.id)
             for i, s in enumerate(answer.suggestions, first)]
    return [Section(texts.label("not_answered"), lines)]


def _other_sections(answer: Answer, opening: list[Line], texts: Texts) -> list[Section]:
    sections = [Section(None, opening)] if opening else []
    if answer.kind is AnswerKind.clarify:
        sections.append(Section(None, [Line(f"{s.name}: {s.reason}", Style.numbered, number=i, pick=s.id)
                                       for i, s in enumerate(answer.suggestions, 1)]))
    if answer.listing:
        sections.extend(_listing_sections(answer, texts))
    if answer.citations:
        sections.append(references_section(answer.citations, texts, full=True))
    return sections


def _listing_sections(answer: Answer, texts: Texts) -> list[Section]:
    groups: dict[str, list[Line]] = {}
    for entry in answer.listing:
        beside = (texts.label("list_only", subgroups="; ".join(entry.subgroups)) if entry.subgroups
                  else entry.overall_label)
        groups.setdefault(entry.specialty, []).append(Line(f"{entry.name} ({beside})", Style.item))
    return [Section(f"{specialty.capitalize()} ({len(lines)})", lines) for specialty, lines in groups.items()]
