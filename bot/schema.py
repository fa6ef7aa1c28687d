"""The knowledge-base schema as curators write it in YAML: conditions, findings, references, ontology links."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.text import canonical_phrase

DOID_PATTERN = r"^DOID:[0-9]+$"
CUE_GROUP_PREFIX = "@"  # a cue written "@child" names a group of cue words in intents/cues.yaml


class StrictModel(BaseModel):
    # Each model's validator is built on its first validation, not at import: a start from the cached core
    # (bot/startup.py) never validates the knowledge, so `--ask` no longer pays for building these (about 20 ms).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Direction(str, Enum):
    effective = "effective"
    possibly_effective = "possibly_effective"
    not_effective = "not_effective"
    not_recommended = "not_recommended"
    unproven = "unproven"
    mixed = "mixed"


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
    # An insurer's coverage bulletin: not a guideline body, so never stronger than "unproven" and shown last.
    payer_coverage = "payer coverage position"


# Strength order for presenting findings: guidelines and systematic reviews first, payers' positions last.
DESIGN_RANK: dict[Design, int] = {
    Design.guideline: 0,
    Design.review: 0,
    Design.randomized_controlled_trial: 1,
    Design.non_randomized_trial: 2,
    Design.cohort: 3,
    Design.case_series: 4,
    Design.case_report: 5,
    Design.not_stated: 6,
    Design.payer_coverage: 7,
}

# Designs whose findings, alone, are too thin to read as a recommendation (see Condition.evidence_basis).
THIN_DESIGNS = frozenset({Design.case_report, Design.not_stated, Design.payer_coverage})


class ComparatorKind(str, Enum):
    placebo = "placebo"
    no_treatment = "no treatment"
    standard_care = "standard care"  # IVIG added to usual care, compared with usual care alone
    active = "active"  # another treatment: losing to it is not "evidence of no benefit"


INACTIVE_COMPARATORS = frozenset({ComparatorKind.placebo, ComparatorKind.no_treatment, ComparatorKind.standard_care})


class Comparator(StrictModel):
    """What IVIG was compared with; `treatment` names the active comparator ("plasma exchange")."""

    kind: ComparatorKind
    treatment: str | None = Field(default=None, min_length=2, max_length=80)

    @model_validator(mode="after")
    def _treatment_iff_active(self) -> "Comparator":
        if self.kind is ComparatorKind.active and not self.treatment:
            raise ValueError("an active comparator names its treatment (comparator.treatment)")
        if self.kind is not ComparatorKind.active and self.treatment:
            raise ValueError(f"comparator.treatment is only for kind 'active', not {self.kind.value!r}")
        return self


class Term(StrictModel):
    """An abbreviation or ambiguous term; `match_case` keeps e.g. "MG" apart from "mg" (milligrams).

    For an ambiguous term, `cues` are words elsewhere in the question that select this condition's reading
    ("ITP" with "4 year old" is children's ITP); a cue starting with "@" names a cue group of intents/cues.yaml.
    `answer_with_note`: when this is the only covered reading, or the one reading marked so among the conditions
    sharing the term, and the question has medical context, answer it with a note naming the other meanings and
    readings instead of asking back (a curator's choice, per term); `answer_alone`
    also when the message is nothing but the term ("MPA?"), which in a channel about IVIG is a question about it.
    """

    text: str = Field(min_length=1, max_length=120)
    match_case: bool  # default: True for a term written in capitals ("MG"), False for words ("vasculitis")
    # Tuples, the empty one shared: a list per field was 5 MB more at 100,000 conditions, for each such field.
    other_meanings: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    # Words that pick one of the other meanings, which the base does not cover ("congenital" von Willebrand disease):
    # the term is then a disease not found, unless a cue of a covered reading is there too.
    other_cues: tuple[str, ...] = ()
    # ... or, when that meaning is no disease (a treatment or a test: "ART" with HIV is antiretroviral therapy), the
    # term is set aside and named nowhere.
    other_not_a_disease: bool = False
    answer_with_note: bool = False
    answer_alone: bool = False
    # A setting the patient is in, not a disease ("kidney transplant"): asked about alone, or settled by its cues;
    # left unsettled beside anything else named it is where that patient is, and offers nothing.
    setting: bool = False

    @model_validator(mode="after")
    def _alone_needs_note(self) -> "Term":
        if self.answer_alone and not self.answer_with_note:
            raise ValueError("answer_alone is only for a term answered with a note (answer_with_note: true)")
        if self.other_cues and not self.other_meanings:
            raise ValueError("other_cues pick one of the other meanings: list them (other_meanings)")
        if self.other_not_a_disease and not self.other_cues:
            raise ValueError("other_not_a_disease says what other_cues pick: list them (other_cues)")
        return self

    @model_validator(mode="before")
    @classmethod
    def _default_case_rule(cls, data):
        if isinstance(data, dict) and "match_case" not in data and isinstance(data.get("text"), str):
            text = data["text"]
            data = {**data, "match_case": any(ch.isalpha() for ch in text) and text == text.upper()}
        return data


class FindingFacts(StrictModel):
    """What a finding says; `Finding` adds the reference keys, an answer's `FindingView` its citation numbers."""

    statement: str = Field(min_length=10, max_length=2000)
    direction: Direction
    design: Design
    patients: int | None = Field(default=None, ge=1, le=100_000_000)
    population: str | None = Field(default=None, max_length=400)
    subgroup: str | None = Field(default=None, min_length=2, max_length=120)  # whom / which strategy it is about
    comparator: Comparator | None = None
    key_figure: str | None = Field(default=None, min_length=2, max_length=110)  # the one result the short form shows
    figures: str | None = Field(default=None, max_length=2000)
    grade: str | None = Field(default=None, max_length=200)
    caveat: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _payer_never_stronger_than_unproven(self) -> "FindingFacts":
        if self.design is Design.payer_coverage and self.direction is not Direction.unproven:
            raise ValueError("a payer coverage position is never stronger than 'unproven' (direction: unproven)")
        return self


class Finding(FindingFacts):
    references: list[str] = Field(min_length=1)


class EvidenceBasis(str, Enum):
    """Why a condition's evidence is too thin to read as a recommendation; the answer says so first."""

    case_report = "case report"  # one case report
    case_reports = "case reports"  # a handful of single reports
    combined_case_report = "case report, combined treatment"  # IVIG given with other treatments
    book_statement = "book statement"  # one sentence in a textbook chapter
    unpublished_trial = "unpublished trial"  # a registered trial whose results were never seen


class Ontology(StrictModel):
    """The Disease Ontology terms this condition is, and which of their descendants its evidence may answer.

    `accept_subtypes`: DOIDs of descendants (each with its own descendants) answered as "X is a form of Y; the
    evidence below is for Y", or "all". `reject_subtypes` carves exceptions out of an accepted branch.
    `reject_synonyms`: exact synonyms of the DO terms, or names of accepted subtypes, that must not be imported (too
    broad, or another meaning).
    """

    doids: tuple[str, ...] = ()
    accept_subtypes: tuple[str, ...] | Literal["all"] = ()
    reject_subtypes: tuple[str, ...] = ()
    reject_synonyms: tuple[str, ...] = ()

    @field_validator("doids", "reject_subtypes")
    @classmethod
    def _doid_form(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            if not _is_doid(value):
                raise ValueError(f"{value!r} is not a DOID (write DOID:1234)")
        return values

    @field_validator("accept_subtypes")
    @classmethod
    def _accept_form(cls, values):
        if values != "all":
            for value in values:
                if not _is_doid(value):
                    raise ValueError(f"{value!r} is not a DOID (write DOID:1234) and not 'all'")
        return values


NO_ONTOLOGY = Ontology()  # frozen, so one serves every condition that names no term


def _is_doid(value: str) -> bool:
    return value.startswith("DOID:") and value[5:].isascii() and value[5:].isdigit()  # not "DOID:²" nor "DOID:٤٣٧"


ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class Sequel(StrictModel):
    """`follows:` of a condition that comes after another one, as the reference tells it (long COVID after COVID-19)."""
    condition: str = Field(pattern=ID_PATTERN, max_length=80)
    # Words that, in a question naming the earlier condition, tell this one: how long after ("8 months on"), or
    # what only this one has ("brain fog").
    told_by: tuple[str, ...] = Field(min_length=1)


class Condition(StrictModel):
    schema_version: Literal[1]
    id: str = Field(pattern=ID_PATTERN, max_length=80)
    name: str = Field(min_length=2, max_length=120)
    specialty: str = Field(min_length=2, max_length=40)
    last_reviewed: dt.date
    # One line (at most 100 characters) for the short answer: where the evidence stands, claiming no more than
    # the findings; the evidence summary gives the fuller picture in the details.
    headline: str | None = Field(default=None, min_length=10, max_length=100)
    evidence_summary: str = Field(min_length=10, max_length=320)
    evidence_basis: EvidenceBasis | None = None
    # Tuples, the empty one shared, and one Ontology for every condition without one (see Term).
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[Term, ...] = ()
    ambiguous_terms: tuple[Term, ...] = ()
    never_match: tuple[str, ...] = ()
    # Antibodies that, reported found in a question naming no disease ("HMGCR antibody positive"), point to this
    # condition. Each is written in one of its names, which come from the reference; one written "anti-Yo" is read
    # only after "anti" ("35 yo, ANA positive" is an age).
    antibodies: tuple[str, ...] = ()
    # Conditions this one is part of, as the reference tells it (a feature of it, or its trigger): named beside one
    # of them, only that one is answered ("optic neuritis" in an NMOSD relapse, "SARS-CoV-2 serology positive" in a
    # child with MIS-C), unless the two are joined as asked together ("covid and MIS-C").
    part_of: tuple[str, ...] = ()  # a shared empty tuple: a list per condition was 5 MB more at 100,000 conditions
    follows: Sequel | None = None
    ontology: Ontology = NO_ONTOLOGY
    findings: list[Finding] = Field(min_length=1)

    @field_validator("specialty")
    @classmethod
    def _lower_specialty(cls, value: str) -> str:
        return value.strip().lower()

    @model_validator(mode="after")
    def _thin_evidence_is_declared(self) -> "Condition":
        if all(f.design in THIN_DESIGNS for f in self.findings) and self.evidence_basis is None:
            raise ValueError("every finding is a case report, of unstated design or a payer's position: say why "
                             "the evidence is thin in evidence_basis, so the answer's first line does")
        return self

    @model_validator(mode="after")
    def _antibodies_are_in_names(self) -> "Condition":
        if not self.antibodies:
            return self  # most conditions: nothing to tokenise (this runs for every condition a base loads)
        names = [canonical_phrase(text) for _, text in self.terms()]
        for antibody in self.antibodies:
            key = "".join(canonical_phrase(antibody))
            if not key or not any(key == "".join(words[i:j]) for words in names
                                  for i in range(len(words)) for j in range(i + 1, len(words) + 1)):
                raise ValueError(f"antibodies: {antibody!r} is in none of this condition's names; an antibody that "
                                 "points to a condition is one its names (from the reference) are written with")
        return self

    def terms(self) -> list[tuple[str, str]]:
        """(field, text) for every term that names this condition: name, synonyms, abbreviations, ambiguous terms."""
        out = [("name", self.name)] + [("synonyms", s) for s in self.synonyms]
        out += [("abbreviations", t.text) for t in self.abbreviations]
        out += [("ambiguous_terms", t.text) for t in self.ambiguous_terms]
        return out


class Reference(StrictModel):
    title: str | None = Field(default=None, alias="title_of_work", max_length=600)
    verified: bool
    year: int | None = Field(default=None, ge=1800, le=2100)
    first_author: str | None = Field(default=None, max_length=200)
    source: str | None = Field(default=None, max_length=300)
    journal: str | None = Field(default=None, max_length=200)
    pages: str | None = Field(default=None, max_length=40)
    volume: str | None = Field(default=None, max_length=40)
    doi: str | None = Field(default=None, alias="digital_object_identifier", max_length=200)
    pmid: str | None = Field(default=None, pattern=r"^[0-9]{6,9}$")  # ASCII digits: \d takes "٢٨٤"
    url: str | None = Field(default=None, alias="web_address", max_length=500)
    # True when web_address is the publisher's or the guideline body's own page, worth sending a reader to;
    # mirrors, proxies and document-sharing copies only prove where a fact was read, and are never shown as links.
    primary_page: bool = False
    reference_number: int | None = Field(default=None, ge=1, le=100_000)
    superseded: bool = False  # a guideline page marked superseded or inactive by its publisher

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _primary_page_needs_an_address(self) -> "Reference":
        if self.primary_page and not self.url:
            raise ValueError("primary_page is true but there is no web_address")
        return self


class ReferencesFile(StrictModel):
    schema_version: Literal[1]
    references: dict[str, Reference]


def share_field_sets(conditions) -> None:
    """Make the models of these conditions that were given the same fields share one record of them.

    Pydantic keeps, on every model, the set of the fields its input gave (`__pydantic_fields_set__`): at 100,000
    conditions half a million sets and about 120 MB, most of them equal. These models are frozen, so nothing adds to
    such a set in place (pydantic copies it before changing it, as `model_copy` does): one set per distinct record
    serves them all."""
    shared: dict[frozenset[str], set[str]] = {}

    def share(model: BaseModel) -> None:
        names = model.__pydantic_fields_set__
        one = shared.setdefault(frozenset(names), names)
        if one is not names:
            object.__setattr__(model, "__pydantic_fields_set__", one)

    for cond in conditions:
        share(cond)
        share(cond.ontology)
        for term in (*cond.abbreviations, *cond.ambiguous_terms):
            share(term)
        for finding in cond.findings:
            share(finding)
            if finding.comparator is not None:
                share(finding.comparator)
