"""Loose readings: names read in any order, without their head word, with a word more (bot/match/loose.py)."""


def test_little_words_do_not_stretch_a_name_across_a_clause(core):
    """"worth ... syndrome" with four words between is no Worth syndrome."""
    result = core.matcher.find("paraneoplastic cerebellar degeneration - is ivig worth it for the cerebellar syndrome?")
    assert not any("worth" in name for name in result.not_found)


def test_an_uncovered_name_the_ontology_writes_in_capitals_is_read_without_its_head_word(core, not_found_naming):
    """The DO writes "PARRY-ROMBERG SYNDROME" in capitals; that is no abbreviation read only by its case."""
    assert not_found_naming("rasmussen's as a child, now hemifacial atrophy ?parry-romberg. anything on ivig?",
                            "parry romberg")
