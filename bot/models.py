"""The Question -> Answer contract; the knowledge-base schema itself lives in bot.schema."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field

from bot.evidence import DIRECTION_WORDS
from bot.schema import (  # noqa: F401 - re-exported: adapters and tests name them from here
    DESIGN_RANK,
    FAVOURABLE,
    UNFAVOURABLE,
    Comparator,
    Condition,
    Design,
    Direction,
    EvidenceBasis,
    FindingFacts,
    Reference,
    StrictModel,
)

DIRECTION_LABELS = DIRECTION_WORDS  # the contract's name for them


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


class TextRef(BaseModel):
    """A response text by key (intents/responses.yaml) with its values; adapters turn it into words."""

    model_config = ConfigDict(frozen=True)

    key: str
    params: dict[str, str | int | float] = Field(default_factory=dict)


class Question(BaseModel):
    """What a user asked; `intent` lets an adapter force one (e.g. the REPL's /list)."""

    model_config = ConfigDict(frozen=True)

    text: str = ""
    intent: str | None = None
    condition_ids: tuple[str, ...] = ()  # answer these directly, e.g. a "did you mean" button
    previous_condition_ids: tuple[str, ...] = ()  # what the conversation's last answer was about
    offered_ids: tuple[str, ...] = ()  # the conversation's last "did you mean" candidates, for a reply to it
    specialty: str | None = None
    direction: Direction | None = None
    focus: str | None = None  # an adapter's command asking for one part ("more" = the details)


class MatchMethod(str, Enum):
    exact = "exact"
    abbreviation = "abbreviation"
    fuzzy = "fuzzy"
    ambiguous = "ambiguous"
    context = "context"  # carried over from the conversation's previous answer
    subtype = "subtype"  # a form of the condition a curator accepted; the evidence is the parent's
    chosen = "chosen"  # picked by the user from a "did you mean" or a list
    antibody = "antibody"  # no disease named: read from an antibody the question reports found ("anti-HMGCR+")


class ConditionRef(BaseModel):
    id: str
    name: str
    score: float
    matched_text: str | None = None
    method: MatchMethod | None = None
    reason: str | None = None
    reason_ref: TextRef | None = Field(default=None, exclude=True)  # `reason` before an adapter words it


class FindingView(FindingFacts):
    """A finding as answered: its facts, the label that says what it showed, and its citation numbers."""

    model_config = ConfigDict(extra="forbid", frozen=False)

    direction_label: str
    citations: list[int]


class ConditionAnswer(ConditionRef):
    specialty: str
    evidence_summary: str
    headline: str | None = Field(default=None, description="the one-line summary of the short answer")
    evidence_basis: EvidenceBasis | None = None
    overall: Direction | None = Field(default=None, description="the condition as a whole; null: depends")
    overall_label: str = ""
    overall_basis: list[int] = Field(default_factory=list, description="citations of the finding behind `overall`")
    last_reviewed: dt.date
    findings: list[FindingView]
    favourable: list[int] = Field(default_factory=list, description="citation numbers of findings for IVIG")
    unfavourable: list[int] = Field(default_factory=list, description="citation numbers of findings against IVIG")
    subtype: str | None = Field(default=None, description="the form of this condition the question named")
    codes: dict[str, list[str]] = Field(default_factory=dict,
                                        description="Disease Ontology ids and cross-references: DOID, ICD10CM, MESH, UMLS")


class Citation(Reference):
    """A cited work as numbered in one answer, with links a reader can follow."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)

    number: int
    key: str
    pubmed_url: str | None = None
    doi_url: str | None = None


class ListEntry(BaseModel):
    id: str
    name: str
    specialty: str
    directions: list[Direction]
    overall: Direction | None = None
    overall_label: str = ""
    subgroups: list[str] = Field(default_factory=list, description="with a direction filter: the parts it holds for")


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
    not_found: list[str] = Field(default_factory=list, description="disease names read but not covered")
    # The words of `message` and `notes` before an adapter fills them in (not part of the JSON contract).
    message_ref: TextRef | None = Field(default=None, exclude=True)
    note_refs: list[TextRef] = Field(default_factory=list, exclude=True)
