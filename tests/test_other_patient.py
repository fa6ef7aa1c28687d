"""A question that turns to another patient asks nothing about the conditions told before the turn
(bot/match/other_patient.py)."""

from bot.models import AnswerKind, Question


def _answer(core, question: str):
    return core.answer(Question(text=question))


def test_an_antibody_told_of_another_patient_names_no_condition(core):
    """The anti-Jo1 lady was someone else: her antisynthetase ILD is not what is asked, and her ILD is not told as
    not found either."""
    question = ("we used ivig in our anti-Jo1 ILD lady last year with good effect. different pt now: 74M IPF (UIP on "
                "CT, myositis panel neg) acute exacerbation on HFNO. ivig for AE-IPF?")
    assert _answer(core, question).kind is AnswerKind.not_found
    assert "ILD" not in core.matcher.find(question).not_found


def test_a_condition_told_before_the_turn_is_not_offered(core):
    answer = _answer(core, "our adult acquired amegakaryocytic thrombocytopenia pt did well on ciclosporin. different "
                           "case: 3 mo infant, plt 12 since birth, absent megakaryocytes, biallelic MPL. ivig for the "
                           "plts, any point?")
    assert not answer.conditions and not answer.suggestions


def test_a_condition_named_after_the_turn_is_asked_about(core):
    answer = _answer(core, "our ITP lady did well on ivig. different pt now: 40M with CIDP, is ivig first line?")
    assert [c.id for c in answer.conditions] == ["chronic-inflammatory-demyelinating-polyneuropathy"]


def test_the_words_inside_a_clause_turn_to_no_one(core):
    """"in a different patient" opens no clause: the CIDP told before is still asked about."""
    answer = _answer(core, "CIDP, would ivig work the same in a different patient with diabetes?")
    assert [c.id for c in answer.conditions] == ["chronic-inflammatory-demyelinating-polyneuropathy"]


def test_a_turn_to_another_family_after_now_ends_the_story_told_before(core):
    """"now" may open the clause before the turn ("now another family ..."): the Kawasaki child was someone else's."""
    answer = _answer(core, "our kawasaki boy settled fast with ivig, now another family are asking for it for their "
                           "toddler with croup. any evidence?")
    assert not answer.conditions and not answer.suggestions


def test_a_separate_question_from_another_clinic_turns_to_another_patient(core):
    """"separate q" opens a case of its own: the Guillain-Barré man told first is not what is asked."""
    answer = _answer(core, "our GBS man did well on ivig last month. separate q from chest clinic: 50F with pulmonary "
                           "sarcoidosis, any ivig evidence?")
    assert not answer.conditions and not answer.suggestions


def test_a_word_before_the_turn_may_open_its_clause(core):
    """"completely different case" and "a different patient" turn to someone else as "different case" does: the
    MMN man was not the patient asked about."""
    for question in ("our MMN man did well on ivig. completely different case: 40F, tetanus after a garden wound, ivig?",
                     "our MMN man did well on ivig; a different patient has tetanus after a garden wound, ivig?"):
        answer = _answer(core, question)
        assert answer.kind is AnswerKind.not_found and not answer.suggestions, question
