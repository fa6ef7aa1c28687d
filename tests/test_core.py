"""The answer core: seed findings with their figures and citations, kinds, ordering, determinism."""

import pytest

from bot.models import DESIGN_RANK, AnswerKind, Direction, Question


def test_myasthenia_answer_carries_the_2007_trial_with_51_patients(ask):
    answer = ask("does IVIG work in myasthenia gravis?")
    (cond,) = answer.conditions
    trial = next(f for f in cond.findings if f.design.value == "randomized controlled trial")
    assert trial.patients == 51
    citation = next(c for c in answer.citations if c.number in trial.citations)
    assert (citation.first_author, citation.year, citation.reference_number) == ("Zinman L", 2007, 23)
    assert citation.doi == "10.1212/01.wnl.0000256698.69121.45"
    assert len(cond.findings) == 7


def test_capillary_leak_answer_carries_the_69_patient_cohort_and_hazard_ratio(ask):
    answer = ask("IVIG for systemic capillary leak syndrome")
    (cond,) = answer.conditions
    cohort = next(f for f in cond.findings if f.patients == 69)
    assert "0.27" in cohort.figures and "0.10" in cohort.figures and "0.70" in cohort.figures
    assert "0.007" in cohort.figures
    citation = next(c for c in answer.citations if c.number in cohort.citations)
    assert citation.first_author == "de Chambrun" and citation.verified is False


@pytest.mark.parametrize(
    "question, reference_number, direction",
    [
        ("miller fisher syndrome", 21, Direction.not_effective),
        ("scleromyxedema", 22, Direction.possibly_effective),
        ("pyoderma gangrenosum", 24, Direction.possibly_effective),
        ("pityriasis rubra pilaris", 25, Direction.possibly_effective),
        ("febrile ulceronecrotic mucha-habermann disease", 26, Direction.possibly_effective),
        ("churg-strauss syndrome", 27, Direction.possibly_effective),
    ],
)
def test_each_seed_condition_carries_the_seed_finding(ask, question, reference_number, direction):
    answer = ask(question)
    (cond,) = answer.conditions
    seed = [c for c in answer.citations if c.reference_number == reference_number and "Medscape" in (c.source or "")]
    assert seed, [c.key for c in answer.citations]
    finding = next(f for f in cond.findings if seed[0].number in f.citations)
    assert finding.direction is direction


def test_atopic_dermatitis_shows_both_sides(ask):
    answer = ask("atopic dermatitis")
    (cond,) = answer.conditions
    directions = {f.direction for f in cond.findings}
    assert {Direction.not_recommended, Direction.possibly_effective} <= directions
    assert cond.favourable and cond.unfavourable


def test_findings_are_ordered_by_strength_of_design(ask):
    for question in ["myasthenia gravis", "pyoderma gangrenosum", "kawasaki disease", "CIDP"]:
        (cond,) = ask(question).conditions
        ranks = [DESIGN_RANK[f.design] for f in cond.findings]
        assert ranks == sorted(ranks)


def test_citations_are_numbered_once_in_order_of_use(ask):
    answer = ask("compare GBS and CIDP and myasthenia gravis")
    numbers = [c.number for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    used = [n for cond in answer.conditions for f in cond.findings for n in f.citations]
    assert set(used) == set(numbers)
    assert len({c.key for c in answer.citations}) == len(answer.citations)


def test_unverified_references_are_marked(ask):
    answer = ask("pyoderma gangrenosum")
    assert any(not c.verified for c in answer.citations)
    assert any(c.verified for c in answer.citations)


def test_out_of_scope_question_with_a_condition_still_gives_the_evidence(ask):
    answer = ask("what dose of IVIG for Kawasaki disease?")
    assert answer.intent == "out_of_scope" and answer.kind is AnswerKind.answer
    assert [c.id for c in answer.conditions] == ["kawasaki-disease"]
    assert [ref.key for ref in answer.note_refs] == ["out_of_scope_with_condition"]


def test_out_of_scope_question_about_an_uncovered_disease_says_the_disease_is_not_covered(ask):
    """"What IVIG dose for CMT?" was told only that dosing is out of scope, as if no disease had been named."""
    answer = ask("What IVIG dose would you try in Charcot-Marie-Tooth type 1A?")
    assert answer.kind is AnswerKind.not_found and answer.not_found == ["Charcot Marie Tooth type 1A"]
    assert [ref.key for ref in answer.note_refs] == ["out_of_scope"]


def test_out_of_scope_without_condition(ask):
    answer = ask("what are the side effects of IVIG?")
    assert answer.kind is AnswerKind.out_of_scope and answer.message_ref.key == "out_of_scope_alone"


@pytest.mark.parametrize(
    "question, kind",
    [
        ("hello", AnswerKind.greeting),
        ("thanks!", AnswerKind.greeting),
        ("help", AnswerKind.help),
        ("who are you?", AnswerKind.about),
        ("list all conditions", AnswerKind.list),
        ("where is IVIG not recommended?", AnswerKind.list),
        ("what are your sources?", AnswerKind.sources),
        ("", AnswerKind.empty),
        ("does IVIG help in sarcoidosis?", AnswerKind.not_found),
        ("thanks!", AnswerKind.greeting),
    ],
)
def test_intents(ask, question, kind):
    assert ask(question).kind is kind


def test_list_filters_by_direction_and_specialty(ask, core):
    answer = ask("where is IVIG not recommended in neurology?")
    assert answer.filters == {"specialty": "neurology", "direction": "not_recommended"}
    assert answer.listing
    for entry in answer.listing:
        cond = core.kb.conditions[entry.id]
        assert cond.specialty == "neurology"
        assert any(f.direction is Direction.not_recommended for f in cond.findings)


@pytest.mark.parametrize(("question", "specialty"), [
    ("list neuro conditions", "neurology"), ("list haem conditions", "haematology"), ("list derm", "dermatology"),
    ("which neurological conditions are covered", "neurology"), ("list ID conditions", "infectious disease"),
    ("what skin conditions do you cover", "dermatology"),
])
def test_list_filters_by_other_words_for_a_specialty(ask, core, question, specialty):
    """"list neuro conditions" listed all 134: only the specialty's own name filtered."""
    answer = ask(question)
    assert answer.filters == {"specialty": specialty}
    assert len(answer.listing) == sum(c.specialty == specialty for c in core.kb.conditions.values())


def test_list_all_covers_every_condition(ask, core):
    assert len(ask("list", intent="list_conditions").listing) == len(core.kb.conditions)


def test_unknown_specialty_is_explained(ask):
    answer = ask("", intent="list_conditions", specialty="astrology")
    assert [(ref.key, ref.params["specialty"]) for ref in answer.note_refs] == [("list_no_specialty", "astrology")]


def test_answer_for_chosen_condition_ids(core):
    answer = core.answer(Question(text="1", condition_ids=("dermatomyositis", "no-such-id")))
    assert [c.id for c in answer.conditions] == ["dermatomyositis"]


def test_same_question_same_answer(ask):
    first = ask("IVIG for CIDP and MMN?").model_dump()
    assert all(ask("IVIG for CIDP and MMN?").model_dump() == first for _ in range(3))


def test_every_answer_carries_the_disclaimer(ask):
    for question in ["myasthenia gravis", "hello", "", "nonsense words"]:
        assert "not medical advice" in ask(question).disclaimer


def test_about_inside_a_clinical_question_is_no_question_about_the_bot(ask):
    answer = ask("parents asking about ivig for their autistic son, is there any evidence?")
    assert answer.kind is AnswerKind.answer and [c.id for c in answer.conditions] == ["autism-spectrum-disorder"]
    assert ask("about").kind is AnswerKind.about


def test_a_disease_named_twice_is_not_found_once(core):
    answer = core.answer(Question(text="new diagnosis of psoriasis - would ivig help the Psoriasis?"))
    assert answer.not_found == ["psoriasis"]
    assert answer.message_ref.params["names"] == "“psoriasis”"


@pytest.mark.parametrize(("question", "named"), [("IVIG for TTP?", ["TTP"]), ("ivig in blorgitis?", ["blorgitis"]),
                                                  # up to the clause's end: not "blorgitis, anything worthwhile"
                                                  ("ivig in blorgitis, anything worthwhile?", ["blorgitis"])])
def test_a_name_the_bot_does_not_know_after_the_treatment_is_named_back(core, question, named):
    """"IVIG for TTP?" said "no evidence summary for that": the user is told what was not found."""
    answer = core.answer(Question(text=question))
    assert answer.kind is AnswerKind.not_found and answer.not_found == named


@pytest.mark.parametrize("question", ["does ivig help my patient with a weird rash on her legs", "what is ivig",
                                      "ivig in kids?"])
def test_a_description_or_a_patient_group_is_not_quoted_as_a_disease(core, question):
    assert core.answer(Question(text=question)).not_found == []


def test_a_condition_set_aside_is_neither_answered_nor_quoted_as_a_disease_not_found(core):
    """After "worked up for", a contrast sets the condition aside; the words after "for" are no disease the bot lacks."""
    answer = core.answer(Question(text="worked up for CIDP but NCS normal, ivig?"))
    assert answer.kind is AnswerKind.not_found and answer.not_found == []


def test_a_second_reading_of_a_condition_named_outright_adds_no_note(ask):
    """"EGPA with residual neuropathy": "neuropathy" is read as EGPA too, which says nothing the answer does not."""
    answer = ask("EGPA with residual neuropathy, is ivig supported")
    assert [c.id for c in answer.conditions] == ["eosinophilic-granulomatosis-with-polyangiitis"]
    assert not any(n.key in ("read_with_note", "read_as_form") for n in answer.note_refs)


@pytest.mark.parametrize(("question", "expected"), [
    ("ivig for mg, any rct?", "answer"), ("ivig in ms?", "clarify"), ("ivig in ts", "clarify")])
def test_a_two_letter_abbreviation_right_after_the_treatment_and_its_asking_word_is_read(core, question, expected):
    """Typed in lower case, two letters right after "ivig for" or "ivig in" are the abbreviation: answered, or asked
    back where it has other meanings; never a disease not found ("ivig in ms?" had said "no evidence summary for
    ms"). An everyday word there still needs a word the data names for it ("ivig for hit" is no HIT)."""
    answer = core.answer(Question(text=question))
    assert answer.kind.value == expected and answer.not_found == []
