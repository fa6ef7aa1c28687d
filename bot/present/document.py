"""The shape every adapter renders: sections of whole lines, grouped into pages that fit a chat message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

# A page's text, so that one page fits one Discord message (2,000 characters) with room for its title and footer,
# and a terminal screen; sections are split only between lines, never inside one.
PAGE_CHARS = 1_700


class Style(str, Enum):
    plain = "plain"  # a sentence
    item = "item"  # one finding or one list entry: "•" in text, a bullet on Discord
    numbered = "numbered"  # a choice the user can pick by its number
    reference = "reference"  # "[3] Author, year ..."
    note = "note"  # how the question was read, a caution: shown in italics where the adapter can
    heading = "heading"  # a group heading inside a section ("Neurology")


@dataclass(frozen=True)
class Line:
    text: str
    style: Style = Style.plain
    number: int | None = None  # for numbered lines: what the user types or presses to pick it
    pick: str | None = None  # for numbered lines: the condition id picking it answers


@dataclass
class Section:
    """A titled part: one condition, the references, a list. `title` is its first line."""

    title: str | None = None
    lines: list[Line] = field(default_factory=list)

    def size(self) -> int:
        return len(self.title or "") + sum(len(line.text) + 3 for line in self.lines)


@dataclass
class Page:
    sections: list[Section] = field(default_factory=list)
    footer: str | None = None

    def size(self) -> int:
        return sum(s.size() for s in self.sections) + len(self.footer or "")

    def picks(self) -> list[Line]:
        return [line for s in self.sections for line in s.lines if line.pick is not None]


class Presentation:
    """An answer as the user sees it: the short form (usually one page) and the details, asked for with "more".

    `details` may be given as a function building them: it runs the first time they are read. Most answers are
    never asked for their details, and building them up front was a tenth of the chat service's time per question.
    """

    def __init__(self, pages: list[Page], details: list[Page] | Callable[[], list[Page]] | None = None,
                 kind: str = "answer"):
        self.pages = pages
        self.kind = kind
        self._details = [] if details is None else details

    @property
    def details(self) -> list[Page]:
        if callable(self._details):
            # Two threads reading at once would both build them; the pages are equal, so either result is right.
            self._details = self._details()
        return self._details

    @property
    def has_details(self) -> bool:
        return callable(self._details) or bool(self._details)  # a builder gives at least one page (paginate does)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Presentation):
            return NotImplemented
        return (self.pages, self.details, self.kind) == (other.pages, other.details, other.kind)

    def __repr__(self) -> str:
        details = "(not built)" if callable(self._details) else self._details
        return f"Presentation(pages={self.pages!r}, details={details!r}, kind={self.kind!r})"


def paginate(sections: list[Section], footer: str | None = None, limit: int = PAGE_CHARS,
             per_page: int | None = None) -> list[Page]:
    """Sections into pages of at most `limit` characters (or `per_page` numbered lines), split between lines; a
    section that continues on the next page repeats its title. The footer goes on every page."""
    pages: list[Page] = [Page(footer=footer)]
    room = limit - len(footer or "")
    # Running totals of the last page's finished sections and of the section being filled: what Page.size() and
    # the numbered-line count would give, without summing the page again for every line (that was quadratic).
    done_size = done_numbered = 0
    for section in sections:
        current = Section(section.title)
        current_size, current_numbered = len(section.title or ""), 0
        for line in section.lines:
            page = pages[-1]
            full_by_count = (per_page is not None and line.pick is not None
                             and done_numbered + current_numbered >= per_page)
            if (done_size + current_size + len(line.text) + 3 > room or full_by_count) and (current.lines
                                                                                           or page.sections):
                if current.lines:
                    page.sections.append(current)
                pages.append(Page(footer=footer))
                done_size = done_numbered = 0
                current = Section(section.title)
                current_size, current_numbered = len(section.title or ""), 0
            current.lines.append(line)
            current_size += len(line.text) + 3
            current_numbered += line.pick is not None
        if current.lines or current.title:
            pages[-1].sections.append(current)
            done_size += current_size
            done_numbered += current_numbered
    return [p for p in pages if p.sections] or [Page(footer=footer)]
