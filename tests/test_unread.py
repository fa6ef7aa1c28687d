"""What IVIG is asked for, at the end of the treatment's clause, read or unread (bot/match/unread.py)."""

import pytest

from bot.models import Question


def _answer(core, question: str):
    return core.answer(Question(text=question))


def test_an_uncovered_abbreviation_in_lower_case_from_one_who_types_so_is_the_disease_asked(core):
    """"pml" is PML typed in lower case: the MS told before is offered, not answered."""
    answer = _answer(core, "rrms on natalizumab, now pml. is there a role for ivig in the pml?")
    assert not answer.conditions
    assert "multiple-sclerosis" in [s.id for s in answer.suggestions]


def test_a_lower_case_word_of_uncovered_names_is_no_abbreviation(core):
    """A guard for the rule above: "cytopenias" is a word of uncovered names, not an abbreviation typed in lower
    case: it names the Evans again."""
    answer = _answer(core, "woman with type 1 diabetes, now evans syndrome - does ivig help the cytopenias?")
    assert [c.id for c in answer.conditions] == ["evans-syndrome"]


def test_a_word_pointing_back_is_no_abbreviation_even_as_a_word_of_a_long_uncovered_name(core):
    """"that" is a word of an ontology name ("a cataract that has ..."); after the treatment it points back to the
    condition told last, which is asked about, not offered."""
    answer = _answer(core, "81M severe aortic stenosis, recurrent gi bleeds from angiodysplasia, workup shows acquired "
                           "von willebrand syndrome - anything for ivig in that")
    assert [c.id for c in answer.conditions] == ["acquired-von-willebrand-syndrome"]


def test_a_word_for_patients_is_no_abbreviation(core):
    """Batch 149's dev part: "pts" is patients, not PTS (post-thrombotic syndrome) typed in lower case: the patients
    told after the treatment leave the RSV it names answered."""
    answer = _answer(core, "rsv immunoglobulin in transplant pts, evidence?")
    assert [c.id for c in answer.conditions] == ["respiratory-syncytial-virus"]


def test_the_before_a_finding_names_again_what_was_told(core):
    """A guard: "the" is skipped before an abbreviation ("the pml"), not before a word naming what was told."""
    answer = _answer(core, "POEMS, VEGF 2000, severe neuropathy, on lenalidomide. does ivig help the neuropathy?")
    assert [c.id for c in answer.conditions] == ["poems-syndrome"]


def test_a_syndrome_named_again_by_the_words_of_the_condition_told_before_is_that_condition(core):
    answer = _answer(core, "anti-Yo paraneoplastic cerebellar degeneration, ovarian cancer on carboplatin. "
                           "is ivig worth it for the cerebellar syndrome?")
    assert [c.id for c in answer.conditions] == ["paraneoplastic-neurological-syndromes"]


def test_a_head_word_after_words_of_course_alone_names_again_the_disease_told(core):
    """"for refractory disease" says how the disease told runs, not which other disease is asked: answered."""
    for question in ("myasthenia gravis, maintenance ivig evidence for refractory disease?",
                     "myasthenia gravus, maintenance ivig evidence for refractory disease?"):
        assert [c.id for c in _answer(core, question).conditions] == ["myasthenia-gravis"]
    # a guard: a word of its own before the head word still makes another disease, which is asked for
    answer = _answer(core, "myasthenia gravis, is there evidence for ivig in refractory hyperhaemolysis syndrome?")
    assert not answer.conditions


def test_an_abbreviation_after_the_and_a_word_of_its_own_is_the_disease_asked(core):
    """"the hypermobile eds itself": the patient's POTS told before is offered, not answered."""
    answer = _answer(core, "19yo with pots and hypermobile ehlers-danlos syndrome - does ivig help the hypermobile eds "
                           "itself?")
    assert not answer.conditions
    assert [s.id for s in answer.suggestions] == ["postural-orthostatic-tachycardia-syndrome"]


def test_a_double_name_no_name_has_asked_for_makes_a_condition_told_after_it_the_story(core):
    """"ivig in kikuchi-fujimoto? ... we screened for HLH ...": two words the bot has in no name, side by side right
    after "in", are the disease asked; HLH, told after the question, is offered, not answered. Alone, the name is
    reported as not found."""
    answer = core.answer(Question(text="ivig in kikuchi-fujimoto? 19F, 3 wk fever, tender cervical nodes. we screened "
                                       "for HLH because ferritin 1100 but she doesnt meet criteria"))
    assert not answer.conditions and "haemophagocytic-lymphohistiocytosis" in [c.id for c in answer.suggestions]
    assert _answer(core, "ivig in kikuchi-fujimoto?").not_found == ["kikuchi-fujimoto"]


def test_too_after_an_unread_term_still_ends_the_question_on_it(core):
    """"will the IVIG help the PHN too?": "too" is no part of what is asked; PHN, which the bot cannot read, is, and
    the CRPS told before is offered. A condition named so is still answered."""
    answer = _answer(core, "pt already on IVIG for CRPS type 1 R leg, now post-herpetic neuralgia. will the IVIG help "
                           "the PHN too?")
    assert not answer.conditions and [c.id for c in answer.suggestions] == ["complex-regional-pain-syndrome"]
    assert [c.id for c in _answer(core, "will ivig help her MMN too?").conditions] == ["multifocal-motor-neuropathy"]


def test_a_lower_case_word_set_apart_by_itself_is_the_disease_asked(core):
    """"heds itself": four letters no name has, which "itself" sets apart from the POTS told before: POTS is
    offered, not answered."""
    answer = _answer(core, "teen with POTS who also has hypermobile ehlers-danlos - any data on ivig in heds itself?")
    assert not answer.conditions
    assert [s.id for s in answer.suggestions] == ["postural-orthostatic-tachycardia-syndrome"]


def test_a_condition_set_apart_by_itself_is_still_answered(core):
    """A guard for the rule above: the name "itself" follows is read, so it is asked about."""
    answer = _answer(core, "POTS with hypermobile EDS - is there evidence for ivig in pots itself?")
    assert [c.id for c in answer.conditions] == ["postural-orthostatic-tachycardia-syndrome"]


@pytest.mark.parametrize("word", ["specifically", "particularly", "especially"])
def test_an_abbreviation_set_apart_by_a_word_after_it_is_the_disease_asked(core, word):
    """"for PN specifically": an abbreviation no name has, which the word after it sets apart from the atopic
    dermatitis told before: atopic dermatitis is offered, not answered."""
    answer = _answer(core, f"atopic dermatitis since childhood, now prurigo nodularis on the shins. "
                           f"is there any ivig data for PN {word}?")
    assert not answer.conditions
    assert [s.id for s in answer.suggestions] == ["atopic-dermatitis"]


def test_a_condition_set_apart_by_a_word_after_it_is_still_answered(core):
    """A guard for the rule above: the name "specifically" follows is read, so it is asked about."""
    answer = _answer(core, "POTS with hypermobile EDS - is there evidence for ivig in pots specifically?")
    assert [c.id for c in answer.conditions] == ["postural-orthostatic-tachycardia-syndrome"]


@pytest.mark.parametrize(("question", "offered"), [
    ("polytrauma MVC 2018 w splenectomy, now 35M asplenic, on pen V, had pneumococcal bacteraemia. any evidence ivig "
     "prevents infections in asplenia?", "major-trauma"),
    ("71F, polymyositis dx 2012, remission off tx since 2017. now PMR, steroid dependent. any ivig data in polymyalgia?",
     "polymyositis"),
])
def test_a_word_ending_as_diseases_do_that_only_uncovered_names_have_is_the_disease_asked(core, question, offered):
    """"asplenia" and "polymyalgia" are words of uncovered names only (asplenia with cardiovascular anomalies,
    polymyalgia rheumatica): asked for at the end of the question, they are the disease asked about, and the
    condition told before is offered, not answered."""
    answer = _answer(core, question)
    assert not answer.conditions and offered in [s.id for s in answer.suggestions]


def test_an_abbreviation_in_capitals_ivig_should_prevent_is_the_disease_asked(core):
    """Batch 129's dev part: the PTLD the product should prevent is what is asked, so the product's condition is
    offered, not answered; a word typed in lower case there is no abbreviation ("prevent more")."""
    answer = _answer(core, "4yo liver tx, on CMV-IG + valgan prophylaxis. EBV VL rising. does ivig or CMV-IG prevent PTLD?")
    assert not answer.conditions
    assert [s.id for s in answer.suggestions] == ["cmv-prevention-solid-organ-transplant"]
    answer = _answer(core, "3yo at daycare, 9 ear infections + 2 pneumonias this yr, igg normal - does ivig prevent more?")
    assert [c.id for c in answer.conditions] == ["recurrent-respiratory-infections-children"]


def test_an_abbreviation_of_another_name_of_the_condition_told_names_it_again(core):
    """Batch 150's dev part: "chronic HF" spells chronic heart failure, another name of the ischaemic cardiomyopathy
    told before the treatment, so that condition is asked about, not offered as beside an unread disease."""
    answer = _answer(core, "ischaemic cardiomyopathy, EF 20% on full therapy. any evidence for ivig in chronic HF?")
    assert [c.id for c in answer.conditions] == ["chronic-heart-failure"]


def test_an_abbreviation_spelt_out_by_words_typed_before_is_theirs(core):
    """"TD" spells tic disorder, a name of Tourette syndrome, but also the tardive dyskinesia typed before it: that
    is what IVIG is asked for, so Tourette syndrome is not answered."""
    answer = _answer(core, "tourette since childhood, now tardive dyskinesia on aripiprazole. ivig in TD?")
    assert not answer.conditions


@pytest.mark.parametrize("ending", ["?", " at all?"])
def test_the_last_words_of_an_uncovered_name_are_the_disease_asked(core, ending):
    """Batch 219's dev part: "lichen sclerosus" ends an uncovered name (penile lichen sclerosus) and "sclerosus" is no
    covered name's word, so it is what IVIG is asked for, "at all" after it or not: the pemphigoid told before is
    offered, not answered."""
    answer = _answer(core, f"ocular mucous membrane pemphigoid on ivig since 2022. gyn now says vulval lichen "
                           f"sclerosus - is there any evidence for ivig in lichen sclerosus{ending}")
    assert not answer.conditions
    assert [s.id for s in answer.suggestions] == ["mucous-membrane-pemphigoid"]


def test_the_condition_told_named_again_at_all_is_still_answered(core):
    """A guard for the rule above: the name "at all" follows is read, so it is asked about."""
    answer = _answer(core, "ocular mucous membrane pemphigoid on ivig since 2022 - any evidence for ivig in mucous "
                           "membrane pemphigoid at all?")
    assert [c.id for c in answer.conditions] == ["mucous-membrane-pemphigoid"]


def test_the_last_words_of_an_uncovered_name_need_them_all(core):
    """A guard: "sclerosus" alone ends no uncovered name of two words or more here; it is no disease asked, and the
    pemphigoid stays answered."""
    answer = _answer(core, "ocular mucous membrane pemphigoid on ivig since 2022 - any evidence for ivig in the "
                           "fornix sclerosus?")
    assert [c.id for c in answer.conditions] == ["mucous-membrane-pemphigoid"]


@pytest.mark.parametrize("asked", ["to prevent CHI?", "to prevent recurrent CHI?"])
def test_an_abbreviation_ivig_should_prevent_after_to_or_a_course_word_is_the_disease_asked(core, asked):
    """Batch 219's dev part: "ivig to prevent recurrent CHI?" asks about the CHI, an abbreviation no name has, though
    "to" comes before the word of prevention and "recurrent" after it: the sister's obstetric APS is offered, not
    answered."""
    answer = _answer(core, "IUFD last yr, placenta showed chronic histiocytic intervillositis. aPL neg, her sister has "
                           f"obstetric APS. ivig {asked}")
    assert not answer.conditions
    assert [s.id for s in answer.suggestions] == ["obstetric-antiphospholipid-syndrome"]
