"""The Question -> Answer contract; the knowledge-base schema itself lives in bot.schema."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field

from bot.schema import (  # noqa: F401 - re-exported: adapters and tests name them from here
    DESIGN_RANK,
    FAVOURABLE,
    UNFAVOURABLE,
    Comparator,
    Condition,
    Design,
    Direction,
    Reference,
    StrictModel,
)

DIRECTION_LABELS: dict[Direction, str] = {
    Direction.effective: "effective",
    Direction.possibly_effective: "possibly effective",
    Direction.not_effective: "not effective (evidence of no benefit)",
    Direction.not_recommended: "not recommended",
    Direction.unproven: "unproven (no good evidence either way)",
    Direction.mixed: "mixed results",
}


# --- questions and answers ---------------------------------------------------------------------------


class AnswerKind(str, Enum):
    answer = "answer"  # evidence for one or more conditions
    clarify = "clarify"  # "did you mean ...?"
    not_found = "not_found"  # no condition of the knowledge base in the question
    list = "list"  # a list of conditions, maybe filtered
    sources = "sources"  # the source documents behind the base
    help = "help"
    about = "about"
    greeting = "greeting"
    out_of_scope = "out_of_scope"  # dosing, side effects, cost ... with no condition named
    empty = "empty"


class Question(BaseModel):
    """What a user asked; `intent` lets an adapter force one (e.g. the REPL's /list)."""

    model_config = ConfigDict(frozen=True)

    text: str = ""
    intent: str | None = None
    condition_ids: tuple[str, ...] = ()  # answer these directly, e.g. a "did you mean" button
    previous_condition_ids: tuple[str, ...] = ()  # what the conversation's last answer was about
    specialty: str | None = None
    direction: Direction | None = None


class MatchMethod(str, Enum):
    exact = "exact"
    abbreviation = "abbreviation"
    fuzzy = "fuzzy"
    ambiguous = "ambiguous"
    context = "context"  # carried over from the conversation's previous answer


class ConditionRef(BaseModel):
    id: str
    name: str
    score: float
    matched_text: str | None = None
    method: MatchMethod | None = None
    reason: str | None = None


class FindingView(BaseModel):
    statement: str
    direction: Direction
    direction_label: str
    design: Design
    patients: int | None = None
    population: str | None = None
    figures: str | None = None
    grade: str | None = None
    caveat: str | None = None
    citations: list[int]


class ConditionAnswer(ConditionRef):
    specialty: str
    evidence_summary: str
    last_reviewed: dt.date
    findings: list[FindingView]
    favourable: list[int] = Field(default_factory=list, description="citation numbers of findings for IVIG")
    unfavourable: list[int] = Field(default_factory=list, description="citation numbers of findings against IVIG")


class Citation(BaseModel):
    number: int
    key: str
    first_author: str | None = None
    year: int | None = None
    title: str | None = None
    journal: str | None = None
    volume: str | None = None
    pages: str | None = None
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None
    pubmed_url: str | None = None
    doi_url: str | None = None
    source: str | None = None
    reference_number: int | None = None
    verified: bool


class ListEntry(BaseModel):
    id: str
    name: str
    specialty: str
    directions: list[Direction]


class Answer(BaseModel):
    question: str
    intent: str
    kind: AnswerKind
    conditions: list[ConditionAnswer] = Field(default_factory=list)
    suggestions: list[ConditionRef] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    listing: list[ListEntry] = Field(default_factory=list)
    filters: dict[str, str] = Field(default_factory=dict)
    message: str | None = None  # one or two sentences for clarify, not_found, help and the like
    focus: str | None = None  # a follow-up's point: patients, design, sources or more
    notes: list[str] = Field(default_factory=list)
    disclaimer: str
    knowledge_version: str
    last_reviewed: dt.date | None = None
