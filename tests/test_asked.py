"""What IVIG is asked for: the clause after the question's last naming of the treatment (bot/match/asked.py)."""

import pytest

from bot.models import Question


def _answered(core, question: str) -> list[str]:
    return [c.id for c in core.answer(Question(text=question)).conditions]


@pytest.mark.parametrize("question", ["ivig in crohn's - and ivig in coeliac disease?",
                                      "ivig in crohn's and also ivig in coeliac disease?"])
def test_a_name_asked_before_a_second_naming_joined_by_and_is_asked_too(core, question):
    """Crohn's is asked for by the first naming of IVIG; "and" joins a second question, not a story before it."""
    answer = core.answer(Question(text=question))
    assert [c.id for c in answer.conditions] == ["crohns-disease-and-ibd"]
    assert any(ref.key == "not_found_named" and "coeliac disease" in ref.params["names"] for ref in answer.note_refs)


@pytest.mark.parametrize("question", ["ivig in MS? any evidence in NMO?", "ivig in MS? evidence in NMO?"])
def test_a_name_closing_a_question_of_its_own_before_a_second_naming_is_asked_too(core, question):
    """"ivig in MS?" is a question of its own: the evidence asked after in NMO next does not make MS background, nor
    does a naming right after it."""
    assert _answered(core, question) == ["multiple-sclerosis", "neuromyelitis-optica-spectrum-disorder"]


def test_a_stop_between_a_name_and_a_second_naming_joins_nothing(core):
    """"and" opening a sentence of its own is no join: Crohn's, told in a statement before, stays background."""
    assert _answered(core, "on ivig in crohn's. and ivig in coeliac disease?") == []


def test_a_condition_the_patient_is_treated_for_before_another_question_is_still_background(core):
    """A guard for the rule above: no "and" joins them, so CIDP is the story."""
    assert _answered(core, "on IVIG for his CIDP anyway - any evidence it helps restless legs syndrome?") == []


@pytest.mark.parametrize(("question", "offered"), [
    ("ivig for pneumonitis in CLL?", "chronic-lymphocytic-leukemia"),
    ("kidney tx in may, on CMV-IG prophylaxis, now adenovirus viraemia. ivig for adenovirus in SOT?",
     "cmv-prevention-solid-organ-transplant"),
])
def test_a_condition_after_in_and_an_unread_disease_asked_is_the_patients(core, question, offered):
    """Batch 189's dev part: "for adenovirus in SOT" asks about adenovirus in transplant recipients, so the covered
    condition there is who is treated: offered, not answered."""
    answer = core.answer(Question(text=question))
    assert not answer.conditions and offered in [s.id for s in answer.suggestions]


def test_anything_after_the_treatment_asks_after_its_evidence_for_what_follows(core):
    """"anything in DLB?" asks for IVIG's evidence in DLB: Alzheimer's, told as what the family read about, is not
    answered."""
    answer = core.answer(Question(text="71M with dementia with lewy bodies; his family read about ivig trials in "
                                       "alzheimers. anything in DLB?"))
    assert not answer.conditions


def test_it_for_after_the_treatment_asks_about_what_follows(core):
    """Batch 41's dev part: "ask about it for fragile X" names IVIG again by "it", so the autism IVIG was read about
    for is what the parents read, and fragile X syndrome is what is asked."""
    answer = core.answer(Question(text="6yo boy. his parents read about ivig for autism and want to try it for his "
                                       "fragile X syndrome"))
    assert not answer.conditions


def test_anything_after_a_question_of_its_own_still_asks_both(core):
    assert _answered(core, "ivig in MS? anything in NMO?") == [
        "multiple-sclerosis", "neuromyelitis-optica-spectrum-disorder"]


@pytest.mark.parametrize(("question", "answered"), [
    ("nodular pretibial myxedema on both shins after graves. anything on ivig for PTM?", ["pretibial-myxedema"]),
    ("primary membranous nephropathy, failed rituximab. IVIG in PMN?", ["membranous-nephropathy"]),
])
def test_an_abbreviation_spelling_a_condition_told_before_the_treatment_asks_about_it(core, question, answered):
    """Batch 156's dev part: "PTM" spells pretibial myxedema, typed in full before the treatment, so that is what
    IVIG is asked for: answered, not dropped as a disease the bot cannot read."""
    assert _answered(core, question) == answered


@pytest.mark.parametrize("question", [
    "we use ivig for our severe burns when the IgG falls. does ivig help in nephrotic syndrome?",
    "our unit gives IVIG to major burns with low IgG; any evidence for ivig for nephrotic syndrome?",
])
def test_a_term_read_several_ways_after_for_or_in_is_what_ivig_is_asked_for(core, question):
    """Nephrotic syndrome is read as membranous nephropathy among others: asked back about, with the burns told
    before as the asker's practice offered beside it, not answered."""
    answer = core.answer(Question(text=question))
    assert answer.conditions == []
    assert sorted(c.id for c in answer.suggestions) == ["membranous-nephropathy", "severe-burns"]


@pytest.mark.parametrize(("question", "answered"), [
    ("POEMS syndrome with a severe neuropathy. is there a role for ivig for the neuropathy?", ["poems-syndrome"]),
    ("chronic spontaneous urticaria, failed omalizumab. any evidence for ivig in urticaria?",
     ["chronic-spontaneous-urticaria"]),
])
def test_a_term_read_several_ways_of_the_condition_told_before_leaves_it_answered(core, question, answered):
    """Guards: after "the" the term refers back to the story; a term one of whose readings is the condition told
    before names that condition again. Either way the condition told before is still answered."""
    assert _answered(core, question) == answered


def test_a_condition_named_again_by_a_word_only_its_names_have_is_the_one_asked(core):
    """Two conditions told before the treatment; "the ear disease" after it names again only the inner ear's."""
    question = ("woman with ulcerative colitis and AIED, hearing loss worse over months. any data for ivig in the ear "
                "disease?")
    assert _answered(core, question) == ["autoimmune-inner-ear-disease"]
    assert _answered(core, "MG and CIDP - is ivig useful for the neuropathy?") == [
        "chronic-inflammatory-demyelinating-polyneuropathy"]



@pytest.mark.parametrize(("question", "expected"), [
    ("CIDP, 60M. is ivig still first line given the diabetes?", ["chronic-inflammatory-demyelinating-polyneuropathy"]),
    # batch 225's dev part
    ("typical CIDP, 64M, meets EAN/PNS criteria, CSF protein 1.4. T2DM 12 yrs on insulin. neuro asking whether ivig "
     "is still first line given the diabetes and what the ICE trial showed",
     ["chronic-inflammatory-demyelinating-polyneuropathy"]),
])
def test_a_disease_after_given_or_despite_is_weighed_not_asked(core, question, expected):
    """"given the diabetes" after the treatment tells a circumstance to weigh; the condition named before it is asked."""
    assert _answered(core, question) == expected


def test_a_disease_right_after_the_treatment_and_for_is_still_asked(core):
    """A guard: "given for" is the treatment's verb, and the disease after it is what IVIG is asked for."""
    assert _answered(core, "known asthma. was ivig given for GBS in trials?") == ["guillain-barre-syndrome"]
