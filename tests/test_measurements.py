"""What was measured names no disease: a blood pressure reading, a ratio typed with its value (bot/match/measurements.py)."""

import pytest

from bot.models import Question


@pytest.mark.parametrize("question", [
    "30F, severe pneumonia with a P/F 110 on day 2, BAL adenovirus. ivig?",
    "ARDS, P/F of 90 despite proning - ivig?",
])
def test_a_ratio_typed_with_its_slash_before_its_value_is_no_disease(core, question):
    """"P/F" joined is "PF", pemphigus foliaceus; before a number it is the oxygenation ratio."""
    result = core.matcher.find(question)
    assert not result.ambiguous and not result.matches


def test_the_same_letters_without_a_value_are_still_asked_back(core):
    assert [h.condition_id for h in core.matcher.find("ivig for PF?").ambiguous] == ["pemphigus"]


def test_a_reading_after_a_term_in_capitals_still_names_no_disease(core):
    assert not core.matcher.find("BP 150/90, ivig?").ambiguous


def test_a_blood_pressure_that_shot_up_is_no_pemphigoid(core):
    """The pemphigoid's "BP" beside a dermatology condition was settled by its specialty."""
    answer = core.answer(Question(text="CSU on omalizumab, ciclosporin stopped (BP shot up). ivig evidence?"))
    assert [c.id for c in answer.conditions] == ["chronic-spontaneous-urticaria"]


@pytest.mark.parametrize("question", [
    # batch 168's dev part: how the reading moved, in two words
    "chronic spontaneous urticaria 8 yrs, UAS7 38, failed 4x antihistamine, omalizumab 600, ciclosporin (BP went up). "
    "also IBS. ivig data?",
    "CSU on omalizumab, ciclosporin stopped as her BP rose. ivig evidence?",
])
def test_a_blood_pressure_that_moved_is_no_pemphigoid(core, question):
    assert [c.id for c in core.answer(Question(text=question)).conditions] == ["chronic-spontaneous-urticaria"]


def test_a_hypertensive_patient_with_bp_is_still_asked_about(core):
    """Not every hypertensive's "BP" is a blood pressure: an old patient with blisters may have the pemphigoid."""
    assert [s.id for s in core.answer(Question(text="BP in an 80 year old with HTN, ivig?")).suggestions] == [
        "bullous-pemphigoid"]
    assert [c.id for c in core.answer(Question(text="BP with blisters, on amlodipine for HTN - ivig?")).conditions] == [
        "bullous-pemphigoid"]


def test_a_z_score_after_a_term_in_capitals_is_a_measurement(core):
    """"LAD z-score 2.6" measures the left anterior descending artery: no "did you mean linear IgA disease?"."""
    answer = core.answer(Question(text="4yo, fever 6 days, LAD z-score 2.6, incomplete KD. ivig?"))
    assert [c.id for c in answer.conditions] == ["kawasaki-disease"] and not answer.suggestions
    assert [s.id for s in core.answer(Question(text="LAD ivig")).suggestions] == ["linear-iga-bullous-dermatosis"]


def test_a_term_in_capitals_after_a_percentage_and_on_is_what_it_was_measured_on(core):
    """"89% on RA" is room air, not rheumatoid arthritis, which "RA" alone is answered as, with its note."""
    result = core.matcher.find("sats 88% on RA, ivig?")
    assert not result.ambiguous and not result.matches
    assert [h.condition_id for h in core.matcher.find("RA on MTX, ivig?").matches] == ["rheumatoid-arthritis"]
