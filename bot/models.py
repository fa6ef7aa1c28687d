"""Pydantic models: the knowledge-base schema as shipped in YAML, and the Question -> Answer contract."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

class Direction(str, Enum):
    effective = "effective"
    possibly_effective = "possibly_effective"
    not_effective = "not_effective"
    not_recommended = "not_recommended"
    unproven = "unproven"
    mixed = "mixed"


DIRECTION_LABELS: dict[Direction, str] = {
    Direction.effective: "effective",
    Direction.possibly_effective: "possibly effective",
    Direction.not_effective: "not effective (evidence of no benefit)",
    Direction.not_recommended: "not recommended",
    Direction.unproven: "unproven (no good evidence either way)",
    Direction.mixed: "mixed results",
}

# Directions that speak for IVIG and against it; "unproven" and "mixed" take neither side.
FAVOURABLE = frozenset({Direction.effective, Direction.possibly_effective})
UNFAVOURABLE = frozenset({Direction.not_effective, Direction.not_recommended})


class Design(str, Enum):
    guideline = "guideline"
    review = "review"
    randomized_controlled_trial = "randomized controlled trial"
    non_randomized_trial = "non-randomized trial"
    cohort = "cohort"
    case_series = "case series"
    case_report = "case report"
    not_stated = "not stated"


# Strength order for presenting findings: guidelines and systematic reviews first, unstated designs last.
DESIGN_RANK: dict[Design, int] = {
    Design.guideline: 0,
    Design.review: 0,
    Design.randomized_controlled_trial: 1,
    Design.non_randomized_trial: 2,
    Design.cohort: 3,
    Design.case_series: 4,
    Design.case_report: 5,
    Design.not_stated: 6,
}


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- the knowledge base as written in YAML -------------------------------------------------------------


class Term(StrictModel):
    """An abbreviation or ambiguous term; `match_case` keeps e.g. "MG" apart from "mg" (milligrams)."""

    text: str = Field(min_length=1)
    match_case: bool  # default: True for a term written in capitals ("MG"), False for words ("vasculitis")
    other_meanings: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _default_case_rule(cls, data):
        if isinstance(data, dict) and "match_case" not in data and isinstance(data.get("text"), str):
            text = data["text"]
            data = {**data, "match_case": any(ch.isalpha() for ch in text) and text == text.upper()}
        return data


class Finding(StrictModel):
    statement: str = Field(min_length=10)
    direction: Direction
    design: Design
    patients: int | None = Field(default=None, ge=1)
    population: str | None = None
    figures: str | None = None
    grade: str | None = None
    caveat: str | None = None
    references: list[str] = Field(min_length=1)


class Condition(StrictModel):
    schema_version: Literal[1]
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str = Field(min_length=2)
    specialty: str = Field(min_length=2)
    last_reviewed: dt.date
    evidence_summary: str = Field(min_length=10)
    synonyms: list[str] = Field(default_factory=list)
    abbreviations: list[Term] = Field(default_factory=list)
    ambiguous_terms: list[Term] = Field(default_factory=list)
    never_match: list[str] = Field(default_factory=list)
    findings: list[Finding] = Field(min_length=1)

    @field_validator("specialty")
    @classmethod
    def _lower_specialty(cls, value: str) -> str:
        return value.strip().lower()


class Reference(StrictModel):
    title: str | None = Field(default=None, alias="title_of_work")
    verified: bool
    year: int | None = None
    first_author: str | None = None
    source: str | None = None
    journal: str | None = None
    pages: str | None = None
    volume: str | None = None
    doi: str | None = Field(default=None, alias="digital_object_identifier")
    pmid: str | None = Field(default=None, pattern=r"^\d{6,9}$")
    url: str | None = Field(default=None, alias="web_address")
    reference_number: int | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ReferencesFile(StrictModel):
    schema_version: Literal[1]
    references: dict[str, Reference]


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
