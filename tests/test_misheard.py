"""Names with one word misheard as another real word: read when the rest of the name is there as written."""

import pytest

from bot.match.misheard import heard_alike
from bot.models import Question


@pytest.mark.parametrize(("typed", "said"), [("church", "churg"), ("fissure", "fisher")])
def test_a_real_word_said_like_a_name_s_word_is_heard_alike(typed, said):
    assert heard_alike(typed, said)


@pytest.mark.parametrize(("typed", "said"), [
    ("neuropathy", "neuritis"),  # same start, but another word altogether
    ("fisher", "fisher"),  # the same word is no slip
    ("lipase", "lupus"),  # a name's short word is too easily another word
    ("witch", "churg"),  # another first sound
    ("myastenia", "myasthenia"),  # a typo, for the typo passes to read or refuse
])
def test_words_that_only_share_letters_are_not_heard_alike(typed, said):
    assert not heard_alike(typed, said)


@pytest.mark.parametrize(("question", "expected"), [
    ("church strauss syndrome, is immunoglobulin used?", "eosinophilic-granulomatosis-with-polyangiitis"),
    # the longer name wins over the ambiguous "neuropathy" inside it
    ("church strauss neuropathy - ivig?", "eosinophilic-granulomatosis-with-polyangiitis"),
    # "Miller syndrome" with a word added is no better reading than the name with every word accounted for
    ("miller fissure syndrome - worth giving immunoglobulin?", "miller-fisher-syndrome"),
])
def test_a_name_with_one_word_misheard_is_answered(core, question, expected):
    answer = core.answer(Question(text=question))
    assert [c.id for c in answer.conditions] == [expected]
    assert answer.kind.value == "answer"


@pytest.mark.parametrize(("question", "not_found"), [
    ("anal fissure - ivig?", "anal fissure"),  # an uncovered disease's own name stands
    ("miller syndrome ivig", "miller syndrome"),
])
def test_an_uncovered_disease_named_exactly_is_not_misheard(core, question, not_found):
    answer = core.answer(Question(text=question))
    assert answer.kind.value == "not_found"
    assert answer.not_found == [not_found]


def test_a_head_word_alone_beside_a_real_word_reads_nothing(core):
    """"strauss" is the informative word: "church syndrome" keeps only a head word of Churg-Strauss syndrome."""
    assert core.answer(Question(text="church syndrome ivig")).kind.value != "answer"



def test_no_misheard_reading_after_a_turning_word(core):
    """"pseudo" makes it another disease, as it does for a misspelt name (tests/test_matcher_readings.py)."""
    assert core.answer(Question(text="pseudo church strauss syndrome ivig")).kind.value != "answer"
