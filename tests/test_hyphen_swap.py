"""Two words joined by a hyphen or a slash that spell a covered abbreviation with two letters swapped
(bot/match/hyphen_swap.py)."""

import pytest


def _answered(result):
    return [h.condition_id for h in result.matches]


@pytest.mark.parametrize("question", ["MSI-C ivig vs steroids - evidence?", "ivig in msi-c",
                                      "MSI-C 11 yo, troponin up, ivig evidence"])
def test_a_swap_across_a_hyphenated_abbreviation_is_read(core, question):
    """"MSI-C" was not found: the slip passes read one word, and MIS-C is typed as two joined by a hyphen."""
    assert _answered(core.matcher.find(question)) == ["multisystem-inflammatory-syndrome-in-children"]


@pytest.mark.parametrize("question", ["me/csf, 24yo, mostly bedbound - ivig evidence?", "ivig for ME/CSF?"])
def test_a_swap_across_a_slashed_abbreviation_is_read(core, question):
    """"me/csf" was not found: ME/CFS is typed as two words joined by a slash."""
    assert _answered(core.matcher.find(question)) == ["chronic-fatigue-syndrome"]


@pytest.mark.parametrize("question", [
    "MIS-A after covid - ivig?",  # another letter, not a swap: the curator's blocked near miss stays blocked
    "ivig in SMI-C",  # letters swapped that are not side by side
    "post-covid ivig",  # words, not an abbreviation
    "csf/serum ratio high, ivig?",  # too many letters for an abbreviation
])
def test_other_hyphenated_words_are_not_read_as_a_swap(core, question):
    assert "multisystem-inflammatory-syndrome-in-children" not in _answered(core.matcher.find(question))
