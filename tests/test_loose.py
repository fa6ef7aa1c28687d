"""Loose readings: names read in any order, without their head word, with a word more (bot/match/loose.py)."""

from bot.models import Question


def test_little_words_do_not_stretch_a_name_across_a_clause(core):
    """"worth ... syndrome" with four words between is no Worth syndrome."""
    result = core.matcher.find("paraneoplastic cerebellar degeneration - is ivig worth it for the cerebellar syndrome?")
    assert not any("worth" in name for name in result.not_found)


def test_an_uncovered_name_the_ontology_writes_in_capitals_is_read_without_its_head_word(core, not_found_naming):
    """The DO writes "PARRY-ROMBERG SYNDROME" in capitals; that is no abbreviation read only by its case."""
    assert not_found_naming("rasmussen's as a child, now hemifacial atrophy ?parry-romberg. anything on ivig?",
                            "parry romberg")


def test_words_saying_only_how_a_disease_stands_offer_no_term_they_open(core):
    """"newly diagnosed" are two of the three words of "newly diagnosed ITP", but say nothing of which disease."""
    for text in ("newly diagnosed type 1 diabetes - ivig?", "newly diagnosed, ivig?"):
        answer = core.answer(Question(text=text))
        assert not answer.conditions and not any(s.id.startswith("immune-thrombocytopenia") for s in answer.suggestions)
    assert {s.id for s in core.answer(Question(text="ivig in newly diagnosed ITP?")).suggestions} == {
        "immune-thrombocytopenia-adults", "immune-thrombocytopenia-children"}


def test_a_word_typed_twice_is_read_at_its_place_on_the_names_side_of_the_anchor(core):
    """"... z-score 2.6, SARS-CoV-2 serology neg": the "2" after "cov" is the name's, so the reading ends right before
    "serology neg", which rules the infection out; the "2" of "2.6" would have put a word between them."""
    result = core.matcher.find("LAD z-score 2.6, SARS-CoV-2 serology neg - incomplete kawasaki, ivig?")
    assert [h.condition_id for h in result.matches] == ["kawasaki-disease"]


def test_the_treatment_named_in_words_carries_no_loose_reading(core):
    """Batch 219's dev part: "immune globulin" names the treatment, so "botulism immune globulin in adults?" offers no
    immune thrombocytopenia in adults; "hyperimmune globulin" no CMV hyperimmune globulin (`treatment_names`)."""
    for text in ("foodborne botulism. anything on ivig / botulism immune globulin in adults?",
                 "MERS-CoV PCR +. any data for IVIG or hyperimmune globulin in MERS?"):
        answer = core.answer(Question(text=text))
        assert not answer.conditions and not answer.suggestions
    # A guard: the disease named in full beside them is still read.
    answer = core.answer(Question(text="immune thrombocytopenia in adults - immune globulin?"))
    assert [c.id for c in answer.conditions] == ["immune-thrombocytopenia-adults"]


def test_a_rival_reading_only_words_of_how_a_disease_runs_is_not_offered(core):
    """Batch 219's dev part: "late-onset" are the only words late-onset neonatal sepsis's reading has of
    "late-onset still's", and they say how a disease runs: the Still disease is offered, the sepsis is not."""
    answer = core.answer(Question(text="late-onset still's - ivig?"))
    assert [s.id for s in answer.suggestions] == ["systemic-jia-and-adult-onset-still-disease"]
