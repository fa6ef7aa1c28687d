"""What the names in a question describe: here, what the treatment is compared with (bot/match/described.py)."""

import pytest

from bot.models import Question


def test_a_condition_the_treatment_is_compared_with_is_not_asked(core):
    """"like it does for PV": the pemphigus is the comparison, and the sister's pemphigus is hers; Hailey-Hailey
    disease is asked, which the bot does not cover."""
    answer = core.answer(Question(text="32F, biopsy-proven hailey-hailey disease, failed topicals. her sister has "
                                       "pemphigus vulgaris on rituximab; could ivig help her hailey-hailey like it "
                                       "does for PV?"))
    assert answer.kind.value == "not_found" and not answer.conditions


def test_the_way_it_does_names_a_comparison_too(core):
    """"the way it does in scleromyxedema": the comparison, not what is asked, beside the scleredema asked about (a
    near miss the curator blocked), and beside a covered condition asked about."""
    answer = core.answer(Question(text="sent to us as scleromyxoedema but no paraprotein -> scleredema diabeticorum "
                                       "(buschke). does ivig work for scleredema the way it does in scleromyxedema?"))
    assert answer.kind.value == "not_found" and not answer.conditions
    answer = core.answer(Question(text="would ivig help her CIDP the way it did for her MMN?"))
    assert [c.id for c in answer.conditions] == ["chronic-inflammatory-demyelinating-polyneuropathy"]


def test_a_comparison_alone_is_still_the_question(core):
    """With nothing else named, the condition after "like it does for" is still what the message is about."""
    answer = core.answer(Question(text="would ivig help like it does for CIDP?"))
    assert [c.id for c in answer.conditions] == ["chronic-inflammatory-demyelinating-polyneuropathy"]


def test_like_its_used_for_and_like_the_patient_name_comparisons_too(core):
    """"like it's used for" ("it's" reads as "it") and "like the MMN patient" (another patient's condition, a person
    word after it) are comparisons beside a condition asked about; with nothing else named, one is still the
    question."""
    for question in ("would ivig help her CIDP like it's used for her MMN?", "would ivig help her CIDP like the MMN "
                                                                             "patient?"):
        answer = core.answer(Question(text=question))
        assert [c.id for c in answer.conditions] == ["chronic-inflammatory-demyelinating-polyneuropathy"], question
    answer = core.answer(Question(text="should we give ivig like the MMN patient?"))
    assert [c.id for c in answer.conditions] == ["multifocal-motor-neuropathy"]


@pytest.mark.parametrize(("question", "expected"), [
    ("he has kennedy disease (SBMA), bulbar weakness. asking if ivig could help like it was tried for ALS",
     ("not_found", [])),
    ("would ivig help her CIDP as it has been given for her MMN?",
     ("answer", ["chronic-inflammatory-demyelinating-polyneuropathy"])),
    ("could ivig help his CIDP the way it worked in his GBS?",
     ("answer", ["chronic-inflammatory-demyelinating-polyneuropathy"])),
])
def test_a_comparison_told_with_a_verb_of_its_own_names_one_too(core, question, expected):
    """"like it was tried for ALS": a trial elsewhere is the comparison, beside the disease asked about."""
    assert _read(core, question) == expected


def test_like_there_is_for_names_a_comparison(core):
    """"like there is for flu": influenza is the comparison, beside the parainfluenza asked about (uncovered)."""
    answer = core.answer(Question(text="72M COPD with pneumonia, paraflu 3 pos on panel. any hyperimmune/ivig approach "
                                       "for severe parainfluenza like there is for flu?"))
    assert answer.kind.value == "not_found" and not answer.conditions


def _read(core, question: str) -> tuple[str, list[str]]:
    answer = core.answer(Question(text=question))
    return answer.kind.value, [c.id for c in answer.conditions]


NOT_FOUND = ("not_found", [])


@pytest.mark.parametrize(("question", "expected"), [
    ("shingles 3 months ago, burning pain since = postherpetic neuralgia. heard IVIG helps CRPS, anything for PHN?",
     NOT_FOUND),
    ("bx-proven necrobiosis lipoidica, ulcerated. saw IVIG works in necrobiotic xanthogranuloma, anything for NL?",
     NOT_FOUND),  # seen, as heard
    # guards: the condition asked beside the one heard of is answered; not heard, or nothing else named, the
    # condition is still the question
    ("heard that ivig works for CIDP, does it help MMN?", ("answer", ["multifocal-motor-neuropathy"])),
    ("lupus with low plts, has hypertension. any evidence IVIG works in SLE?",
     ("answer", ["systemic-lupus-erythematosus"])),
    ("heard ivig works in CIDP?", ("answer", ["chronic-inflammatory-demyelinating-polyneuropathy"])),
])
def test_what_the_treatment_is_heard_to_help_is_a_comparison_beside_another_disease(core, question, expected):
    """"heard IVIG helps CRPS, anything for PHN?": CRPS is what IVIG is heard to help; postherpetic neuralgia, which
    the bot does not cover, is asked."""
    assert _read(core, question) == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("on monthly ivig since 2022 for sjogren's ataxic sensory neuronopathy (stable). now HRCT shows NSIP pattern. "
     "does ivig do anything for sjogren ILD?", NOT_FOUND),
    ("sjogren's with ataxic sensory ganglionopathy on ivig since 2021, stable. now kidney bx tubulointerstitial "
     "nephritis. any evidence for ivig in sjogren TIN?", NOT_FOUND),  # an abbreviation in capitals no name has
    # guards: settled by the words after it, or by a cue with the condition named nowhere before
    ("IVIG in ASS ILD?", ("answer", ["antisynthetase-syndrome-interstitial-lung-disease"])),
    ("and for a newborn with disseminated coxsackie / enterovirus hepatitis",
     ("answer", ["neonatal-enterovirus-infection"])),
])
def test_a_term_settled_elsewhere_right_before_an_uncovered_disease_says_which_kind_of_it(core, question, expected):
    """"... for sjogren's ataxic sensory neuronopathy (stable). now NSIP ... anything for sjogren ILD?": "sjogren",
    settled as the neuronopathy by a cue told before, with the neuronopathy named before, says which ILD is asked;
    the ILD is not covered."""
    assert _read(core, question) == expected


def test_a_condition_also_named_by_a_name_of_its_own_stays_beside_the_one_whose_name_holds_it(core):
    """"hypogammaglobulinaemia in CLL and in myeloma": the term read as CLL's is held by a name of the myeloma entry
    ("hypogammaglobulinaemia in myeloma"), but CLL is named outright too, and stays."""
    answer = core.answer(Question(text="hypogammaglobulinaemia in CLL and in myeloma - ivig replacement evidence"))
    assert sorted(c.id for c in answer.conditions) == ["chronic-lymphocytic-leukemia",
                                                        "secondary-hypogammaglobulinaemia-myeloma"]


@pytest.mark.parametrize("question", [
    "Crow-Fukase syndrome, lambda paraprotein: is ivig any use for the neuropathy?",
    "pomes syndrome, lambda paraprotein - ivig for the neuropathy?",  # POEMS read through a typo
])
def test_a_term_that_a_named_condition_s_name_holds_beside_its_own_word_is_how_that_one_shows(core, question):
    """"POEMS neuropathy" is a name of POEMS syndrome and "POEMS" alone names it: named by another of its names,
    the neuropathy the paraprotein would settle as IgM paraproteinaemic neuropathy is POEMS syndrome's own."""
    assert [c.id for c in core.answer(Question(text=question)).conditions] == ["poems-syndrome"]


def test_a_term_named_apart_by_a_name_of_its_own_stays_beside_the_condition(core):
    """A guard: IgM paraproteinaemic neuropathy named by its own name is asked about too."""
    answer = core.answer(Question(text="crow-fukase syndrome and an IgM paraproteinaemic neuropathy - ivig?"))
    assert [c.id for c in answer.conditions] == ["poems-syndrome", "igm-paraproteinemic-neuropathy"]
