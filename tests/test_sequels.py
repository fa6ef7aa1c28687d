"""A condition told as the one that follows it (`follows:`): COVID-19 "8 months on, still brain fog" is long COVID."""

import pytest

from bot.match.sequels import sequels_of
from bot.models import Question


def _sequels(core) -> list[tuple[str, str]]:
    return [(cid, cond.follows.condition) for cid, cond in sorted(core.kb.conditions.items()) if cond.follows]


def test_the_curator_lists_a_sequel(core):
    assert ("long-covid", "covid-19") in _sequels(core)
    assert core.matcher.sequels == sequels_of(core.kb.conditions.values())


@pytest.mark.parametrize(("text", "told"), [
    ("covid back in march, 8 months on still brain fog, breathless. 45F, nothing has helped. ivig evidence?", "brain fog"),
    ("symptoms persisting months after a covid infection - ivig?", "months after"),
    ("had covid in 2022, two years on still exhausted after a short walk. ivig?", "years on"),
    # told as the patient's past with something new after it: what is new is the sequel, not a question to ask back
    ("had covid last winter, now 7 months of exhaustion and brain fog - does ivig help?", "brain fog"),
])
def test_the_earlier_condition_told_by_the_later_ones_words_is_the_later_one(core, text, told):
    answer = core.answer(Question(text=text))
    assert [c.id for c in answer.conditions] == ["long-covid"]
    (note,) = [n for n in answer.note_refs if n.key == "read_as_sequel"]
    assert note.params["because"] == f" (because of “{told}”)" and note.params["others"] == "COVID-19"


@pytest.mark.parametrize("text", ["covid ivig", "ventilated covid ARDS, 3 days on the ICU - ivig?",
                                  "IVIG in long covid after covid pneumonia?"])
def test_without_those_words_or_with_the_later_one_named_nothing_is_reread(core, text):
    answer = core.answer(Question(text=text))
    expected = "long-covid" if "long covid" in text else "covid-19"
    assert [c.id for c in answer.conditions] == [expected]
    assert not any(n.key == "read_as_sequel" for n in answer.note_refs)


def test_each_sequel_is_read_by_each_of_its_own_words(core):
    """From the data: the earlier condition's name with each phrase of the later one's `told_by`."""
    for later, earlier in _sequels(core):
        for phrase in core.kb.conditions[later].follows.told_by:
            text = f"{core.kb.conditions[earlier].name}, {phrase} - is IVIG used?"
            assert [c.id for c in core.answer(Question(text=text)).conditions] == [later], text
