"""Abbreviations stated as a diagnosis ("so PML.", "looks like DRESS"): diseases the bot does not cover."""

import pytest

from bot.models import Question


@pytest.mark.parametrize(("question", "named"), [
    ("CLL on ibrutinib, already on monthly IVIG for infections. JC virus in the CSF, so PML. Would more IVIG do "
     "anything for that?", "PML"),
    ("had SJS from lamotrigine in 2017. Now fever, eos 2.9, ALT 640 - looks like DRESS (RegiSCAR 6). Would IVIG help?",
     "DRESS"),
    ("Steroid-dependent asthmatic, IgE 2800, so ABPA. Is IVIG used for the ABPA itself, not the asthma?", "ABPA"),
    # one small letter before the capitals qualifies the abbreviation ("atypical")
    ("59M had HIT 2021 after CABG. now AKI, MAHA, plt 60, CFH variant, so aHUS. any role for IVIG there?", "aHUS"),
    # a sentence of its own
    ("carbamazepine added 5 weeks ago, fever, rash, eos 3.2, RegiSCAR 7. DRESS. some people use IVIG - evidence?",
     "DRESS"),
])
def test_an_abbreviation_stated_as_the_diagnosis_is_a_disease_not_found(not_found_naming, question, named):
    """The condition told beside it (the patient's CLL, a past SJS, the asthma) is not answered instead."""
    assert not_found_naming(question, named)


@pytest.mark.parametrize("question", [
    "MMN, so MRI was repeated. ivig?",  # the clause goes on: the word is what was done, not a diagnosis
    "ivig for CIDP, so NCS done.",
    "MMN so pml. ivig?",  # typed in lower case: no abbreviation
    "MMN so mRI. ivig?",  # ... nor with one capital after a small letter
    "MMN, weakness worse. MRI. ivig?",  # a test, as a sentence of its own
])
def test_a_word_that_is_no_stated_diagnosis_names_nothing(core, question):
    result = core.matcher.find(question)
    assert result.matches and not result.not_found


def test_a_covered_abbreviation_stated_as_the_diagnosis_is_answered(core):
    assert [c.id for c in core.answer(Question(text="ptosis, fatigable weakness, so MG. ivig?")).conditions] == [
        "myasthenia-gravis"]


def test_a_term_read_several_ways_before_the_work_ups_conclusion_is_a_finding_not_asked_back(core, not_found_naming):
    """"thrombocytopenia" told before "-> iTTP" is what the work-up found, not a question about ITP or FNAIT."""
    question = "44F, thrombocytopenia + AKI + confusion, ADAMTS13 <5% w inhibitor -> iTTP. any role for ivig?"
    assert not core.matcher.find(question).ambiguous
    assert not_found_naming(question, "iTTP")


def test_a_condition_told_before_the_conclusion_is_offered_as_named_not_as_a_misspelling(core):
    answer = core.answer(Question(text="her first baby died of GALD. this baby: pale stools, no excretion on HIDA "
                                       "-> biliary atresia. ivig after the kasai?"))
    assert [s.id for s in answer.suggestions] == ["gestational-alloimmune-liver-disease"]
    assert answer.suggestions[0].reason_ref.key == "clarify_reason_told"


@pytest.mark.parametrize(("question", "named"), [
    ("42F, ?susac (headache, callosal T2 lesions) but fluorescein angio normal. NOTCH3 variant -> CADASIL. IVIG?",
     "CADASIL"),  # batch 159's dev part
    ("45M, referred ?isaacs (stiffness, cramps) but trismus, dirty wound -> tetanus. is IVIG an alternative?",
     "tetanus"),
])
def test_a_name_queried_and_contradicted_before_the_conclusion_is_ruled_out(not_found_naming, question, named):
    """"?susac ... but ..." was a first thought the work-up set aside: not asked back beside the disease found."""
    assert not_found_naming(question, named)


def test_a_name_opening_the_message_is_not_queried_by_its_final_question_mark(core):
    """The "?" before a name is the character right before it; for a name opening the message there is none (the
    check once read the message's last character instead)."""
    answer = core.answer(Question(text="susac but angio normal -> CADASIL. ivig?"))
    assert [s.id for s in answer.suggestions] == ["susac-syndrome"]


def test_a_name_queried_without_a_contradiction_is_still_offered(core):
    answer = core.answer(Question(text="42F, ?susac (headache, callosal T2 lesions). NOTCH3 variant -> CADASIL. IVIG?"))
    assert [s.id for s in answer.suggestions] == ["susac-syndrome"]


def test_a_double_eponym_an_arrow_concludes_is_a_disease_not_found(core):
    """Batch 147's dev part: "-> parsonage-turner." concludes a disease no name has (only "Parsonage-Aldren-Turner
    syndrome" is in the ontology): the critical illness polyneuropathy told before is offered, not answered."""
    question = ("ICU 2022 for ARDS, developed CIP/CIM, rehab, now walking unaided. this month acute severe R shoulder "
                "pain then winging scapula + weak deltoid, EMG patchy brachial plexus -> parsonage-turner. ivig?")
    answer = core.answer(Question(text=question))
    assert not answer.conditions
    assert [s.id for s in answer.suggestions] == ["critical-illness-polyneuropathy-and-myopathy"]
    assert "parsonage-turner" in core.matcher.find(question).not_found
    # a covered word in the pair names no other disease: "-> guillain-barre." is the covered condition
    assert [c.id for c in core.answer(Question(text="diarrhoea, then weakness -> guillain-barre. ivig?")).conditions] \
        == ["guillain-barre-syndrome"]


@pytest.mark.parametrize(("question", "named"), [("EBV PTLD after allo sct - ivig?", "PTLD"),
                                              ("VOD after allo-HSCT, ivig?", "VOD")])
def test_an_unknown_abbreviation_before_its_cause_is_a_disease_not_found(core, question, named):
    """An abbreviation no name has, right before "after" and a covered condition, is what is asked about; the
    transplant is its cause, not the question (a probe: it answered routine IVIG after allogeneic transplant)."""
    answer = core.answer(Question(text=question))
    assert not answer.conditions and answer.kind.value == "not_found"
    assert answer.not_found == [named]


@pytest.mark.parametrize("question", ["GVHD after allo sct - ivig?", "routine ivig after allo sct?"])
def test_a_known_word_before_the_cause_leaves_the_condition_answered(core, question):
    assert [c.id for c in core.answer(Question(text=question)).conditions] == ["allogeneic-stem-cell-transplantation"]


@pytest.mark.parametrize(("question", "told", "named"), [
    ("29F, obstetric APS (LA pos, IUFD 26 wk 2022), not pregnant now. menorrhagia + haematomas, PT 24s, FII 9%, LA "
     "strongly pos -> lupus anticoagulant hypoprothrombinaemia syndrome. ivig?",
     "obstetric-antiphospholipid-syndrome", "lupus anticoagulant hypoprothrombinaemia syndrome"),
    ("2yo wobbly since chickenpox 10 days ago, truncal ataxia, no opsoclonus, no myoclonus, ophtho confirms not OMS "
     "-> acute post-varicella cerebellar ataxia. any role for ivig if not improving?", None,
     "varicella cerebellar ataxia"),
])
def test_a_covered_term_before_an_uncovered_name_an_arrow_concludes_is_a_word_of_that_name(core, question, told, named):
    """Batch 147's dev part: the covered term is read as a word of the longer name the bot does not cover, which the
    work-up concluded; a condition told before the arrow is offered, not answered."""
    answer = core.answer(Question(text=question))
    assert not answer.conditions
    assert [s.id for s in answer.suggestions] == ([told] if told else [])
    assert named in core.matcher.find(question).not_found


@pytest.mark.parametrize(("question", "answered"), [
    # batch 168's dev part: "normal" ends a finding, and the arrow opens the conclusion; no role reaches across it
    ("55F, isolated thrombocytopenia plt 6, BM absent megakaryocytes with other lines normal -> acquired "
     "amegakaryocytic thrombocytopenia. hypothyroid, cholecystectomy 2018. ivig evidence?",
     ["acquired-amegakaryocytic-thrombocytopenia"]),
    # ... and an uncovered conclusion is not found, with the condition told before it left as the story
    ("infantile spasms at 5 mo (ACTH, spasm free since, development normal). now 3yo, 10d after a viral illness, "
     "wide-based gait, falls, nystagmus, no opsoclonus, urine VMA neg, MRI normal -> acute cerebellar ataxia. any "
     "role for ivig?", []),
])
def test_a_role_word_before_an_arrow_does_not_reach_the_conclusion(core, question, answered):
    answer = core.answer(Question(text=question))
    assert [c.id for c in answer.conditions] == answered
    assert answered or answer.kind.value == "not_found"
