"""Plain text for terminals and the JSON contract's text fields: wrapped at 80 columns, the same lines as Discord."""

from __future__ import annotations

import textwrap

from bot.present.document import Page, Section, Style

WIDTH = 80
_PREFIX = {Style.item: "• ", Style.reference: "", Style.note: "", Style.plain: "", Style.heading: ""}


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest, break_long_words=False,
                         break_on_hyphens=False) or [first.rstrip()]


def page_text(page: Page, with_footer: bool = True) -> str:
    out: list[str] = []
    for section in page.sections:
        if out:
            out.append("")
        if section.title:
            out.extend(_wrap(section.title, "", "  "))
        for line in section.lines:
            if line.style is Style.numbered:
                out.extend(_wrap(line.text, f"  {line.number}. ", "     "))
            elif line.style is Style.reference:
                out.extend(_wrap(line.text, "", "    "))
            elif line.style is Style.item:
                out.extend(_wrap(line.text, "• ", "  "))
            else:
                out.extend(_wrap(line.text, _PREFIX[line.style], ""))
    if page.footer and with_footer:
        out.extend(["", *_wrap(page.footer, "", "")])
    return "\n".join(out).strip("\n")


def pages_text(pages: list[Page]) -> str:
    """Several pages as one text (a terminal has no pages): the footer once, at the end, and a section that went on
    to the next page ("References" split between two) once, with its title once."""
    sections: list[Section] = []
    for page in pages:
        for at, section in enumerate(page.sections):
            if at == 0 and sections and section.title and section.title == sections[-1].title:
                sections[-1] = Section(section.title, [*sections[-1].lines, *section.lines])
            else:
                sections.append(section)
    return page_text(Page(sections, pages[-1].footer if pages else None))
