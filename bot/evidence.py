"""What a condition's findings add up to: honest labels, the overall verdict, subgroups and disagreement."""

from __future__ import annotations

from dataclasses import dataclass

from bot.schema import (
    DESIGN_RANK,
    FAVOURABLE,
    INACTIVE_COMPARATORS,
    UNFAVOURABLE,
    Condition,
    Design,
    Direction,
    Finding,
)

DIRECTION_WORDS: dict[Direction, str] = {
    Direction.effective: "effective",
    Direction.possibly_effective: "possibly effective",
    Direction.not_effective: "not effective (evidence of no benefit)",
    Direction.not_recommended: "not recommended",
    Direction.unproven: "unproven (no good evidence either way)",
    Direction.mixed: "mixed results",
}
SHORT_WORDS: dict[Direction, str] = {  # the same, shorter, where a line has little room
    Direction.effective: "effective",
    Direction.possibly_effective: "possibly effective",
    Direction.not_effective: "not effective",
    Direction.not_recommended: "not recommended",
    Direction.unproven: "unproven",
    Direction.mixed: "mixed results",
}
DEPENDS = "depends on the situation"
DISPUTED = "sources differ"


def finding_label(finding: Finding, short: bool = False) -> str:
    """What the finding showed, in words that do not overstate it.

    Losing to an active treatment is "less effective than plasma exchange", not "evidence of no benefit"; an
    insurer's bulletin is a coverage position, not a guideline's "not recommended".
    """
    comparator = finding.comparator
    if finding.direction is Direction.not_effective and comparator and comparator.kind not in INACTIVE_COMPARATORS:
        return f"less effective than {comparator.treatment}"
    if finding.design is Design.payer_coverage:
        return "not covered by an insurer" if short else "an insurer does not cover it (a payer's position)"
    return (SHORT_WORDS if short else DIRECTION_WORDS)[finding.direction]


def ranked(findings: list[Finding]) -> list[Finding]:
    """Strongest design first; payers' positions last; file order within a rank."""
    return sorted(findings, key=lambda f: DESIGN_RANK[f.design])


@dataclass(frozen=True)
class SubgroupVerdict:
    subgroup: str
    direction: Direction
    label: str


@dataclass(frozen=True)
class Verdict:
    """The condition as a whole: one direction, or `depends` (findings differ by subgroup) with the parts."""

    direction: Direction | None  # None when it depends on the situation
    label: str
    strongest: Finding  # the finding the one-line view cites
    subgroups: tuple[SubgroupVerdict, ...]  # findings about a part of the condition, each with its own label

    @property
    def depends(self) -> bool:
        return self.direction is None


def _combine(directions: set[Direction]) -> Direction:
    """Several top findings at once: agreement wins; otherwise never a label stronger than they all support."""
    if len(directions) == 1:
        return next(iter(directions))
    if directions <= FAVOURABLE:
        return Direction.possibly_effective
    if directions <= UNFAVOURABLE:
        return Direction.not_recommended if Direction.not_recommended in directions else Direction.not_effective
    if directions <= {Direction.unproven, Direction.mixed}:
        return Direction.mixed if Direction.mixed in directions else Direction.unproven
    return Direction.mixed


def _side(direction: Direction) -> str:
    if direction in FAVOURABLE:
        return "for"
    if direction in UNFAVOURABLE:
        return "against"
    return direction.value


# How much a finding weighs in the overall verdict: guidelines and systematic reviews most, a lone case least.
WEIGHT = {Design.guideline: 4, Design.review: 4, Design.randomized_controlled_trial: 3,
          Design.non_randomized_trial: 2, Design.cohort: 2, Design.case_series: 1, Design.case_report: 0.5,
          Design.not_stated: 0.5, Design.payer_coverage: 0}


def _majority(findings: list[Finding]) -> Direction:
    """The direction with the most weight behind it; a tie is settled without overstating (_combine)."""
    weights: dict[Direction, float] = {}
    for f in findings:
        weights[f.direction] = weights.get(f.direction, 0) + WEIGHT[f.design]
    most = max(weights.values())
    return _combine({d for d, w in weights.items() if w == most})


def verdict(condition: Condition) -> Verdict:
    """The overall direction: the weighted majority of the findings about the whole condition (payers count only
    alone); "depends" when all findings are about parts, or stronger evidence about a part disagrees."""
    weighed = [f for f in condition.findings if f.design is not Design.payer_coverage] or list(condition.findings)
    general = [f for f in weighed if not f.subgroup]
    parts = tuple(SubgroupVerdict(f.subgroup, f.direction, finding_label(f, short=True))
                  for f in ranked(weighed) if f.subgroup)
    if general:
        best = min(DESIGN_RANK[f.design] for f in general)
        direction = _majority(general)
        strongest = next((f for f in ranked(general) if f.direction is direction), ranked(general)[0])
        stronger_parts = [f for f in weighed if f.subgroup and DESIGN_RANK[f.design] <= best]
        if not any(f.direction is not direction for f in stronger_parts):
            disputed = any(_side(f.direction) != _side(direction) for f in general)
            label = SHORT_WORDS[direction] + (f" ({DISPUTED})" if disputed else "")
            return Verdict(direction, label, strongest, parts)
        # As good or better evidence about a part of the condition says otherwise: no single label is honest.
        return Verdict(None, DEPENDS, ranked(stronger_parts)[0], parts)
    directions = {f.direction for f in weighed}
    strongest = ranked(weighed)[0]
    if len(directions) == 1:
        return Verdict(strongest.direction, SHORT_WORDS[strongest.direction], strongest, parts)
    return Verdict(None, DEPENDS, strongest, parts)


def has_direction(condition: Condition, direction: Direction) -> list[Finding]:
    """The findings of `condition` (not payers' positions) that carry `direction`."""
    return [f for f in condition.findings if f.direction is direction and f.design is not Design.payer_coverage]


def sides(findings: list[tuple[Finding, list[int]]]) -> dict[str, list[int]]:
    """Citation numbers per side, among findings about the same patients (a subgroup's finding is no rival of
    another subgroup's). Keys: "for IVIG", "against", "mixed results", "unproven"; only non-empty ones."""
    out: dict[str, list[int]] = {}
    by_group: dict[str | None, list[tuple[Finding, list[int]]]] = {}
    for finding, numbers in findings:
        if finding.design is not Design.payer_coverage:
            by_group.setdefault(finding.subgroup, []).append((finding, numbers))
    for group in by_group.values():
        local: dict[str, list[int]] = {}
        for finding, numbers in group:
            if finding.direction in FAVOURABLE:
                side = "for IVIG"
            elif finding.direction in UNFAVOURABLE:
                side = "against"
            else:
                side = SHORT_WORDS[finding.direction]
            local.setdefault(side, []).extend(n for n in numbers if n not in local.get(side, []))
        if len(local) > 1:
            for side, numbers in local.items():
                out.setdefault(side, []).extend(n for n in numbers if n not in out.get(side, []))
    return out
