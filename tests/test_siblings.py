"""After an answer, "the streptococcal one" switches to the condition sharing a term with it, by a word of its own."""

import pytest

from bot.models import AnswerKind, Question


def _after(core, previous: str, text: str):
    return core.answer(Question(text=text, previous_condition_ids=[previous]))


@pytest.mark.parametrize(("previous", "text", "expected"), [
    ("staphylococcal-toxic-shock-syndrome", "and the streptococcal one?", "streptococcal-toxic-shock-syndrome"),
    ("staphylococcal-toxic-shock-syndrome", "what about the streptococcal one", "streptococcal-toxic-shock-syndrome"),
    ("streptococcal-toxic-shock-syndrome", "what about the staph one", "staphylococcal-toxic-shock-syndrome"),
])
def test_a_word_of_the_sibling_s_own_names_switches_to_it(core, previous, text, expected):
    answer = _after(core, previous, text)
    assert answer.kind is AnswerKind.answer
    assert [c.id for c in answer.conditions] == [expected]
    assert any(note.key == "read_as_sibling" for note in answer.note_refs)


@pytest.mark.parametrize(("previous", "text"), [
    ("pemphigus", "and the streptococcal one?"),  # no term shared with pemphigus: not a sibling
    ("staphylococcal-toxic-shock-syndrome", "and the streptococcal one in a patient on the ICU with shock?"),
])
def test_no_switch_without_a_sibling_or_in_a_longer_question(core, previous, text):
    answer = _after(core, previous, text)
    assert [c.id for c in getattr(answer, "conditions", [])] != ["streptococcal-toxic-shock-syndrome"]


def test_the_words_of_a_negated_name_are_not_the_condition_s_own(core):
    """Staphylococcal TSS is also called "non-streptococcal toxic shock syndrome": "streptococcal" is still strep's."""
    assert "streptococcal" not in core.term_siblings.words["staphylococcal-toxic-shock-syndrome"]
    assert "streptococcal" in core.term_siblings.words["streptococcal-toxic-shock-syndrome"]


def test_a_sibling_word_set_aside_is_no_switch(core):
    """"not strep" after staphylococcal toxic shock syndrome names the sibling only to set it aside."""
    answer = _after(core, "staphylococcal-toxic-shock-syndrome", "and if it is not strep?")
    assert [c.id for c in answer.conditions] == ["staphylococcal-toxic-shock-syndrome"]
    answer = _after(core, "staphylococcal-toxic-shock-syndrome", "and if it is strep?")
    assert [c.id for c in answer.conditions] == ["streptococcal-toxic-shock-syndrome"]


SOMETHING_ELSE = {
    # a head word is no word of a sibling's own: "syndrome" of "Churg-Strauss syndrome"
    "any trials in tetraameila syndrome": "anca-associated-vasculitis",
    # a patient-group word beside a misspelt disease names that disease, not the group
    "what about adult brainstem astroctyoma?": "polymyositis",
    "any trials in acute endophthalmitsi": "immune-thrombocytopenia-adults",
}


@pytest.mark.parametrize("text", sorted(SOMETHING_ELSE))
def test_no_switch_when_the_message_names_something_else(core, text):
    """Each switched to a sibling (EGPA, dermatomyositis, ITP in children) and answered it."""
    answer = _after(core, SOMETHING_ELSE[text], text)
    assert answer.kind is AnswerKind.not_found and not answer.conditions


def test_a_plain_word_the_bot_does_not_know_does_not_stop_a_switch(core):
    """Only a word that names an uncovered disease does: "population" is no disease."""
    answer = _after(core, "immune-thrombocytopenia-adults", "hmm ok and for the paediatric population")
    assert [c.id for c in answer.conditions] == ["immune-thrombocytopenia-children"]
