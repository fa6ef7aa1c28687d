"""Labels that say what was shown, and lists that never label a whole condition by one finding (issue 12)."""

import pytest

from bot.adapters.terminal import COMMANDS
from bot.evidence import verdict
from bot.models import Question
from bot.present import pages_text, present
from bot.schema import ComparatorKind, Design, Direction


def listed(ask, direction: str) -> dict:
    answer = ask("", intent="list_conditions", direction=Direction(direction))
    return {entry.id: entry for entry in answer.listing}


def test_guillain_barre_is_listed_as_not_effective_only_with_its_subgroup(ask):
    entry = listed(ask, "not_effective")["guillain-barre-syndrome"]
    assert entry.subgroups and entry.overall is Direction.effective


def test_multiple_sclerosis_never_stands_in_a_list_without_the_part_it_is_about(ask, core):
    for direction in Direction:
        entry = listed(ask, direction.value).get("multiple-sclerosis")
        if entry is not None and entry.overall is not direction:
            assert entry.subgroups, direction


def test_childrens_itp_is_not_recommended_only_for_mild_bleeding(ask):
    entry = listed(ask, "not_recommended")["immune-thrombocytopenia-children"]
    assert entry.subgroups and any("bleeding" in s for s in entry.subgroups)


def test_egpa_is_effective_only_for_its_neuropathy(ask):
    entry = listed(ask, "effective").get("eosinophilic-granulomatosis-with-polyangiitis")
    assert entry is not None and any("neuropathy" in s for s in entry.subgroups)


def test_a_listed_condition_under_another_verdict_always_says_why(ask, core):
    for direction in Direction:
        for entry in listed(ask, direction.value).values():
            assert entry.overall is direction or entry.subgroups, (direction, entry.id)


@pytest.mark.parametrize("condition_id, treatment", [
    ("solid-organ-transplant-desensitisation-rejection", "plasma"),
    ("neuromyelitis-optica-spectrum-disorder", "steroids"),
])
def test_losing_to_an_active_treatment_reads_less_effective_not_no_benefit(ask, condition_id, treatment):
    answer = ask("x", condition_ids=(condition_id,))
    (cond,) = answer.conditions
    active = [f for f in cond.findings if f.direction is Direction.not_effective and f.comparator
              and f.comparator.kind is ComparatorKind.active]
    assert active
    for finding in active:
        assert finding.direction_label.startswith("less effective than") and treatment in finding.direction_label
        assert "no benefit" not in finding.direction_label


def test_every_active_comparator_finding_in_the_base_is_labelled_so(core):
    for cond in core.kb.conditions.values():
        answer = core.answer(Question(text=cond.name, condition_ids=(cond.id,)))
        for finding in answer.conditions[0].findings:
            if finding.direction is Direction.not_effective and finding.comparator and \
                    finding.comparator.kind is ComparatorKind.active:
                assert finding.direction_label == f"less effective than {finding.comparator.treatment}"


@pytest.mark.parametrize("condition_id", ["multiple-sclerosis", "alzheimer-disease"])
def test_an_insurers_position_is_a_payer_position_ranked_last_and_never_a_verdict(ask, core, condition_id):
    (cond,) = ask("x", condition_ids=(condition_id,)).conditions
    payers = [f for f in cond.findings if f.design is Design.payer_coverage]
    assert payers and all(f.direction is Direction.unproven for f in payers)
    assert cond.findings[-1].design is Design.payer_coverage  # below trial and guideline evidence
    assert all("insurer" in f.direction_label for f in payers)
    assert verdict(core.kb.conditions[condition_id]).strongest.design is not Design.payer_coverage


def test_findings_about_different_subgroups_are_not_shown_as_a_disagreement(ask, core):
    answer = ask("x", condition_ids=("immune-thrombocytopenia-children",))
    text = pages_text(present(answer, core.texts, COMMANDS).details)
    assert "Sources disagree" not in text


def test_the_overall_verdict_is_never_stronger_than_the_general_findings(core):
    strong = {Direction.effective}
    for cond in core.kb.conditions.values():
        result = verdict(cond)
        if result.direction in strong:
            general = [f for f in cond.findings if not f.subgroup and f.design is not Design.payer_coverage]
            assert any(f.direction in strong for f in general) or not general, cond.id
