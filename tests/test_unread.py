"""What IVIG is asked for, at the end of the treatment's clause, read or unread (bot/match/unread.py)."""

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


def test_the_before_a_finding_names_again_what_was_told(core):
    """A guard: "the" is skipped before an abbreviation ("the pml"), not before a word naming what was told."""
    answer = _answer(core, "POEMS, VEGF 2000, severe neuropathy, on lenalidomide. does ivig help the neuropathy?")
    assert [c.id for c in answer.conditions] == ["poems-syndrome"]


def test_a_syndrome_named_again_by_the_words_of_the_condition_told_before_is_that_condition(core):
    answer = _answer(core, "anti-Yo paraneoplastic cerebellar degeneration, ovarian cancer on carboplatin. "
                           "is ivig worth it for the cerebellar syndrome?")
    assert [c.id for c in answer.conditions] == ["paraneoplastic-neurological-syndromes"]


def test_an_abbreviation_after_the_and_a_word_of_its_own_is_the_disease_asked(core):
    """"the hypermobile eds itself": the patient's POTS told before is offered, not answered."""
    answer = _answer(core, "19yo with pots and hypermobile ehlers-danlos syndrome - does ivig help the hypermobile eds "
                           "itself?")
    assert not answer.conditions
    assert [s.id for s in answer.suggestions] == ["postural-orthostatic-tachycardia-syndrome"]
