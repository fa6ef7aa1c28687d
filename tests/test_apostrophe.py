"""A person's name in a covered condition's name, typed as a possessive without its apostrophe ("sjogrens")."""

import pytest

from bot.match.apostrophe import proper_words


def test_proper_words_are_those_the_names_write_only_with_a_capital():
    words = proper_words(["Sjögren sensory neuronopathy", "ataxic neuropathy with Sjogren syndrome", "Bullous pemphigoid",
                          "bullous pemphigoid steroid-resistant", "Still's disease", "IgA"])
    assert "sjogren" in words and "still" not in words  # "Still's" is read as "still" already: a possessive
    assert "bullous" not in words  # another name writes it in lower case


@pytest.mark.parametrize(("question", "expected"), [
    ("sjogrens neuronopathy ivig", ["sjogren-sensory-neuronopathy"]),
    ("behcets with refractory uveitis, ivig evidence?", ["behcet-disease"]),  # as "behcet's with ...": Behcet's uveitis
])
def test_a_possessive_without_its_apostrophe_reads_as_the_possessive(core, question, expected):
    assert sorted({h.condition_id for h in core.matcher.find(question).matches}) == expected


def test_a_word_of_a_name_or_a_question_keeps_its_s(core):
    """"evans" is Evans syndrome's own word; "graves" ends in "s" as the name does."""
    assert [h.condition_id for h in core.matcher.find("IVIG in Evans?").matches] == ["evans-syndrome"]
    assert [h.condition_id for h in core.matcher.find("graves orbitopathy ivig").matches] == ["graves-ophthalmopathy"]
