"""The role words of intents/matching.yaml (`roles:`), as written: `bot.match.roles` turns them into phrases."""

from __future__ import annotations

from pydantic import Field

from bot.schema import StrictModel


class RoleWordLists(StrictModel):
    """`roles:` of intents/matching.yaml, as written."""
    negated_before: list[str] = Field(default_factory=list)
    negated_after: list[str] = Field(default_factory=list)
    trigger_before: list[str] = Field(default_factory=list)
    history_before: list[str] = Field(default_factory=list)
    besides_before: list[str] = Field(default_factory=list)
    past_before: list[str] = Field(default_factory=list)
    parent_before: list[str] = Field(default_factory=list)
    effect_before: list[str] = Field(default_factory=list)
    history_after: list[str] = Field(default_factory=list)
    holder_after: list[str] = Field(default_factory=list)
    parent_after: list[str] = Field(default_factory=list)
    past_after: list[str] = Field(default_factory=list)
    trigger_after: list[str] = Field(default_factory=list)
    between: list[str] = Field(default_factory=list)
    not_history_after: list[str] = Field(default_factory=list)
    not_negated_after: list[str] = Field(default_factory=list)
    time_units: list[str] = Field(default_factory=list)
    some: list[str] = Field(default_factory=list)
    treatment: list[str] = Field(default_factory=list)
    referring: list[str] = Field(default_factory=list)
    asking: list[str] = Field(default_factory=list)
    pointing: list[str] = Field(default_factory=list)
    onset: list[str] = Field(default_factory=list)
    switching: list[str] = Field(default_factory=list)
    coordinating: list[str] = Field(default_factory=list)
    comparing: list[str] = Field(default_factory=list)
    diagnosing: list[str] = Field(default_factory=list)
    relabelled_before: list[str] = Field(default_factory=list)
    contrasting: list[str] = Field(default_factory=list)
    disease_endings: list[str] = Field(default_factory=list)
    disease_heads: list[str] = Field(default_factory=list)
    persons: list[str] = Field(default_factory=list)
    treatment_again: list[str] = Field(default_factory=list)
    measured_after: list[str] = Field(default_factory=list)
    present_before: list[str] = Field(default_factory=list)
    relative_before: list[str] = Field(default_factory=list)
    kin: list[str] = Field(default_factory=list)
    pregnancy_kin: list[str] = Field(default_factory=list)
    told_new: list[str] = Field(default_factory=list)
    told_again: list[str] = Field(default_factory=list)
    correcting: list[str] = Field(default_factory=list)
    planned: list[str] = Field(default_factory=list)
    other_patient: list[str] = Field(default_factory=list)
    findings: list[str] = Field(default_factory=list)
    other_patient_lead: list[str] = Field(default_factory=list)
    products: list[str] = Field(default_factory=list)
    treatment_names: list[str] = Field(default_factory=list)
    onset_before: list[str] = Field(default_factory=list)
