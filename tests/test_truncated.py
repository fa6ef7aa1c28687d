"""Words typed cut short: completed to the names' words they begin, never when they are words of their own."""

import pytest

from bot.match.truncated import MAX_COMPLETIONS, Completions
from bot.models import Question


def test_a_cut_short_word_is_completed_to_the_words_it_begins():
    words = Completions(["encephalitis", "encephalopathy", "myasthenia", "lineage"], plain=["line"])
    assert words.of("enceph") == ["encephalitis", "encephalopathy"]
    assert words.of("myasth") == ["myasthenia"]
    assert words.variants(["autoimmune", "enceph"], lambda w: w == "autoimmune") == [
        ["autoimmune", "encephalitis"], ["autoimmune", "encephalopathy"]]


def test_words_of_their_own_short_words_and_near_whole_words_are_never_completed():
    words = Completions(["lineage", "necrotising", "gravis", "graviss"], plain=["line"])
    assert words.variants(["line"], lambda w: False) == []  # a word of the base's own prose
    assert words.variants(["nec"], lambda w: False) == []  # three letters start too many words
    assert words.variants(["gravis"], lambda w: w == "gravis") == []  # a word of a name
    assert words.of("gravi") == []  # one or two letters short is a typo, not a short form


def test_a_word_beginning_too_many_words_says_nothing():
    words = Completions([f"derm{'a' * k}xyz" for k in range(MAX_COMPLETIONS + 1)])
    assert words.of("derm") == []


@pytest.mark.parametrize(("question", "expected"), [
    ("autoimmune enceph ivig first line", "autoimmune-encephalitis"),
    ("myasth gravis ivig", "myasthenia-gravis"),
    ("chronic inflam demyelinating polyneuropathy", "chronic-inflammatory-demyelinating-polyneuropathy"),
    ("neonatal coxsackie hepatitis", "neonatal-enterovirus-infection"),
    # every word cut short, from three letters, when the words completed make one covered name (`clipped_names`)
    ("nec fasc, on clinda and debrided - any role for IVIG?", "necrotising-soft-tissue-infection"),
    ("diabetic man of 58, nec fasc of the thigh - would you add ivig?", "necrotising-soft-tissue-infection"),
    # "myasthenia gravis" is also a near miss the curator blocks for LEMS: that says nothing of myasthenia gravis
    ("myas gravis ivig", "myasthenia-gravis"),
])
def test_a_name_with_a_word_cut_short_is_answered(core, question, expected):
    assert [c.id for c in core.answer(Question(text=question)).conditions] == [expected]


@pytest.mark.parametrize("question", [
    # "myelo" begins myelokathexis as well as myeloma: no completion, so no myeloma
    "warts, hypogammaglobulinemia, infections, and myelo ivig",
    # membranoproliferative, not membranous: the uncovered name's reading competes
    "Ig mediated membra glomerulonephritis ivig",
])
def test_an_uncovered_name_with_a_word_cut_short_is_not_answered_as_a_covered_one(core, question):
    assert core.answer(Question(text=question)).kind.value != "answer"


def test_an_english_word_beginning_a_name_s_word_is_not_completed(core):
    """"line" begins "linear": "immunoglobulin as first line" is no linear IgA disease."""
    answer = core.answer(Question(text="epileptic spasms with hypsarrhythmia in babies - immunoglobulin as first line?"))
    assert [c.id for c in answer.conditions] == ["infantile-spasms"]


@pytest.mark.parametrize("question", [
    "ivig in nec ent",  # necrotising enterocolitis: an uncovered disease's name
    "pre ecl ivig",  # pre-eclampsia: no covered name at all
    "ped icu ivig",  # two words of questions, no disease
])
def test_words_cut_short_into_no_covered_name_are_not_answered(core, question):
    assert core.answer(Question(text=question)).kind.value != "answer"


def test_words_cut_short_into_uncovered_names_only_name_what_was_not_found(core):
    """"nec enterocol" completes to necrotising enterocolitis and nothing covered: said not found, as typed."""
    assert core.matcher.find("ivig for rheum fever").not_found == ["rheum fever"]
    assert core.matcher.find("ivig in nec enterocol").not_found == ["nec enterocol"]


@pytest.mark.parametrize(("question", "named"), [
    ("Has anyone used IVIG for sarcoid?", "sarcoid"),
    # beside a condition the patient is followed for, the disease asked about is the one not covered
    ("followed for Evans syndrome for years, quiet on low-dose pred; now granulomas on EBUS. IVIG for sarcoid?",
     "sarcoid"),
    ("optic disc swelling, biopsy shows non-caseating granulomas: neurosarcoid. IVIG?", "neurosarcoid"),
])
def test_a_word_that_begins_only_uncovered_names_is_a_disease_not_found(core, question, named):
    result = core.matcher.find(question)
    assert named in result.not_found and not result.matches


def test_a_part_of_the_body_is_no_clipped_disease(core):
    """"sinus" begins only "sinusitis", but it is a word of its own: the PF4 antibody still names VITT."""
    result = core.matcher.find("venous sinus thrombosis with low platelets after the AZ vaccine, PF4 positive - IVIG?")
    assert "sinus" not in result.not_found
    assert [h.condition_id for h in result.matches] == ["vaccine-induced-immune-thrombotic-thrombocytopenia"]
