"""Uncovered diseases named by their eponym alone, where a message names its diagnosis ("IVIG for her Lyme?")."""

import pytest

from bot.models import Question



def test_the_table_holds_eponyms_of_uncovered_names_only(core):
    """Derived from the data: "Lyme disease", "Pompe disease", "Huntington disease" (and "huntingtons", typed without
    its apostrophe); never a covered condition's word, an everyday word the rules keep from standing alone, nor a
    word some name writes in lower case after its first word (a part of the body, not a person)."""
    table = core.matcher.eponyms.table
    lexicon, rules = core.matcher.lexicon, core.matcher.rules
    assert {"lyme", "pompe", "huntington", "huntingtons", "fabry"} <= table.keys()
    assert table["pompe"].lower().startswith("pompe")
    assert table.keys().isdisjoint(lexicon.condition_words)  # "kawasaki", "behcet" are covered
    assert table.keys().isdisjoint(rules.never_alone)  # "down", "sweet", "still"
    assert "bladder" not in table and "bladderdisease" in lexicon.uncovered  # "urinary bladder cancer"


def test_an_everyday_eponym_is_one_only_as_a_possessive(core):
    """"Sweet syndrome" is uncovered but "sweet" is an everyday word: "sweet's", typed with its apostrophe, names it;
    "sweet" alone names nothing."""
    possessed, never_alone = core.matcher.eponyms.possessed, core.matcher.rules.never_alone
    assert "sweet" in possessed and possessed.keys() <= never_alone
    assert core.matcher.find("ivig for sweet's?").not_found == ["sweet"]
    # typed without its apostrophe, only where a diagnosis is stated: "she likes sweets" names nothing
    assert "sweets" in core.matcher.eponyms.possessed_plain
    assert not core.matcher.find("she likes sweets. ivig for CIDP?").not_found
    result = core.matcher.find("CIDP in a sweet old lady - ivig?")
    assert [h.condition_id for h in result.matches] == ["chronic-inflammatory-demyelinating-polyneuropathy"]
    assert not result.not_found


@pytest.mark.parametrize(("question", "named"), [
    # after the treatment's asking word, maybe with "her": a condition told before it is background
    ("Known ME/CFS since 2015, tick bite this summer, erythema migrans, now a swollen knee. IVIG for her Lyme?",
     "Lyme"),
    # a clause of its own ending a sentence, maybe after words describing its course: the past label gives way
    ("CK 3000, treated as polymyositis for 2 years without response, now low GAA activity - late-onset Pompe. IVIG?",
     "Pompe"),
    ("labelled polymyositis for years; HTT shows 42 CAG repeats - Huntingtons. IVIG?", "Huntingtons"),
    # after words stating a diagnosis, ending its clause
    ("painful red feet labelled erythromelalgia for years; alpha-galactosidase low, so Fabry. ivig?", "Fabry"),
    # after an arrow that follows a measurement: the number is the test's, not a word of the eponym's course
    ("chorea, referred as sydenham's, ASO neg, ceruloplasmin 0.05 -> wilsons. any evidence for ivig?", "wilsons"),
])
def test_an_eponym_where_a_diagnosis_is_named_is_a_disease_not_found(not_found_naming, question, named):
    assert not_found_naming(question, named)


@pytest.mark.parametrize(("question", "named"), [
    ("pmh: pyoderma gangrenosum on the shin, healed on ciclo -> now fever, tender plaques, bx dense dermal neutrophils, "
     "no vasculitis = sweet's. ivig?", "sweet"),
    ("pmh: pyoderma gangrenosum, HTN -> huntington's. ivig?", "huntington"),
    # batch 147's dev part: an everyday eponym typed without its apostrophe, stated as the diagnosis
    ("61F known pyoderma gangrenosum of both legs, stable on dapsone -> now fever, tender plaques, bx dense dermal "
     "neutrophils no vasculitis = sweets. ivig?", "sweets"),
])
def test_an_eponym_an_arrow_concludes_turns_the_condition_told_before_into_an_offer(core, question, named):
    """The work-up concluded a disease the bot does not cover: the condition told before it is background, offered."""
    answer = core.answer(Question(text=question))
    assert not answer.conditions and [c.id for c in answer.suggestions] == ["pyoderma-gangrenosum"]
    assert named in core.matcher.find(question).not_found


@pytest.mark.parametrize("question", [
    "Wilson, 45, with CIDP - ivig?",  # the message's first clause: a name, maybe the patient's
    "CIDP - ivig? Dr Wilson asks",  # not a clause of its own
    "ivig for CIDP, referred by Wilson",
])
def test_an_eponym_elsewhere_names_nothing(core, question):
    result = core.matcher.find(question)
    assert [h.condition_id for h in result.matches] == ["chronic-inflammatory-demyelinating-polyneuropathy"]
    assert not result.not_found


def test_an_eponym_asked_alone_is_named_in_the_answer(core):
    """Before, "ivig for lyme?" was not found without saying what: now the answer names it."""
    result = core.matcher.find("ivig for lyme?")
    assert result.not_found == ["lyme"] and not result.matches
