"""The sound key: the spellings of one sound fold together, and vowels still tell words apart."""

import pytest

from bot.match.phonetic import sound_key
from bot.models import Question


@pytest.mark.parametrize(("heard", "written"), [
    ("pemfigus", "pemphigus"), ("eritromelalgia", "erythromelalgia"), ("skitzophrenia", "schizophrenia"),
    ("rasmusen", "rasmussen"), ("cronic", "chronic"), ("sistemic", "systemic"), ("kawasacki", "kawasaki"),
    ("landow", "landau"), ("akwisita", "acquisita"), ("bodie", "body"),
    ("showgren", "sjogren"), ("shogren", "sjogren"),  # Swedish "sj" is said "sh"
])
def test_spellings_of_one_sound_share_a_key(heard, written):
    assert sound_key(heard) == sound_key(written)


@pytest.mark.parametrize(("one", "other"), [("lupus", "lipase"), ("myositis", "myelitis"), ("chorea", "cholera"),
                                            ("die", "di")])  # a final "ie" only folds in a longer word
def test_different_words_keep_different_keys(one, other):
    assert sound_key(one) != sound_key(other)


def test_a_name_typed_as_it_is_said_is_read(core):
    answer = core.answer(Question(text="showgren ataxic neuronopathy, ivig evidence?"))
    assert [c.id for c in answer.conditions] == ["sjogren-sensory-neuronopathy"]


def test_a_name_typed_as_it_is_said_with_a_possessive_s_is_read(core):
    """"showgrens": as "sjogrens" is Sjogren's, a word that sounds like a person's name and an "s" is that name's."""
    answer = core.answer(Question(text="showgrens ataxic neuronopathy - any ivig data"))
    assert [c.id for c in answer.conditions] == ["sjogren-sensory-neuronopathy"]
