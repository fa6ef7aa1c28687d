"""The study and body names an answer cites: a follow-up naming one asks about the answer, never a new disease."""

import pytest

from bot.models import Question


def test_a_trial_name_in_capitals_is_cited(core):
    assert "GAP" in core._cited.of("alzheimer-disease")
    assert "GAP" not in core._cited.of("kawasaki-disease")


def test_a_word_in_capitals_that_names_no_study_is_not_cited(core):
    """"patients with CLL or NHL": NHL is another disease, not a study of the answer."""
    assert "NHL" not in core._cited.of("chronic-lymphocytic-leukemia")


@pytest.mark.parametrize(("previous", "text", "focus"), [
    ("alzheimer-disease", "how many pts in GAP", "patients"),
    ("alzheimer-disease", "and in GAP?", "more"),
])
def test_a_follow_up_naming_the_answer_s_trial_stays_with_it(core, previous, text, focus):
    answer = core.answer(Question(text=text, previous_condition_ids=(previous,)))
    assert [c.id for c in answer.conditions] == [previous] and answer.focus == focus


@pytest.mark.parametrize(("previous", "text", "named"), [
    ("kawasaki-disease", "how many pts in GAP", "GAP"),  # another answer's trial is unknown here
    ("chronic-lymphocytic-leukemia", "and NHL?", "NHL"),
    ("alzheimer-disease", "how many pts in COPD", "COPD"),
])
def test_other_words_in_capitals_after_an_answer_are_still_named_as_not_found(core, previous, text, named):
    answer = core.answer(Question(text=text, previous_condition_ids=(previous,)))
    assert not answer.conditions and named in answer.not_found


@pytest.mark.parametrize("text", ["does it work in MuSK?", "and in AChR negative patients?"])
def test_a_follow_up_naming_only_the_answer_s_antibodies_stays_with_it(core, text):
    answer = core.answer(Question(text=text, previous_condition_ids=("myasthenia-gravis",)))
    assert [c.id for c in answer.conditions] == ["myasthenia-gravis"] and answer.focus == "more"


@pytest.mark.parametrize(("previous", "text", "named"), [
    ("myasthenia-gravis", "and in LGI1?", "LGI1"),  # another condition's antibody, asked after MG
    ("myasthenia-gravis", "and in MuSK with a thymoma?", "thymoma"),  # a disease besides the antibody
    ("systemic-sclerosis", "how about raynaud's?", "raynaud"),  # a cue word of the answer, but a disease itself
])
def test_a_follow_up_naming_more_than_the_answer_s_antibodies_is_not_about_it(core, previous, text, named):
    answer = core.answer(Question(text=text, previous_condition_ids=(previous,)))
    assert not answer.conditions and answer.not_found == [named]
