"""Uncovered diseases typed with a slip around a covered name inside them (bot/match/uncovered_around.py), and halves
of double-barrelled names that are no typo of a covered eponym (bot/match/typo_pass.py)."""

import pytest

from bot.match.uncovered_around import MIN_SLIPPED_LETTERS, slip_of
from bot.models import AnswerKind, Question


@pytest.mark.parametrize("question", [
    "ivig for pemphigus noenatorum?",  # pemphigus neonatorum, an infection of the newborn's skin
    "ivig for paraneeplastic pemphigus",
    "ivig for smoledring myeloma",
    "ivig for chronic indcuible urticaria",
    "ivig for tummefactive multiple sclerosis",
])
def test_an_uncovered_disease_with_a_slip_around_a_covered_name_is_not_that_name(ask, question):
    answer = ask(question)
    assert answer.kind is AnswerKind.not_found and not answer.conditions and answer.not_found


def _slipped(word: str) -> str:
    middle = len(word) // 2
    return word[:middle - 1] + word[middle] + word[middle - 1] + word[middle + 1:]  # two letters swapped


def test_a_slip_around_a_covered_name_reads_as_the_name_typed_correctly_does(core):
    """Derived from the data: an uncovered two-word name that is a covered name and one word more (of five letters
    or more) gets, with two letters of that word swapped, the answer it gets typed correctly (over 200 names; without the
    rule, about one in ten were answered as the covered name)."""
    matcher = core.matcher
    checked = mismatched = 0
    for names in matcher.lexicon.uncovered.values():
        for name in names:
            words = name.key.split()
            if len(words) != 2:
                continue
            for k, extra in enumerate(words):
                other = words[1 - k]
                if len(extra) < MIN_SLIPPED_LETTERS or not extra.isalpha() or not any(
                        e.condition_id for e in matcher._exact.get(other, ())):
                    continue
                slipped = _slipped(extra)
                if matcher.is_known(slipped) or slipped == extra:
                    continue
                typed = [slipped, other] if k == 0 else [other, slipped]
                right = core.answer(Question(text=f"ivig for {name.key}?"))
                wrong = core.answer(Question(text=f"ivig for {' '.join(typed)}?"))
                checked += 1
                mismatched += [c.id for c in right.conditions] != [c.id for c in wrong.conditions]
    assert checked > 100
    assert mismatched <= checked // 100, f"{mismatched} of {checked} slipped names answered otherwise"


@pytest.mark.parametrize(("typed", "word", "slipped"), [
    ("noenatorum", "neonatorum", True),  # two letters swapped: one edit
    ("smoledring", "smouldering", True),  # two edits in a long word
    ("acne", "acute", False),  # too short to be a slip
    ("chronik", "chronic", True),
    ("chromic", "chronic", True),  # a slip by letters; the known-word rule keeps real words apart
    ("type2", "typed", False),
])
def test_what_counts_as_a_slip(typed, word, slipped):
    assert slip_of(typed, word) is slipped


def test_a_known_word_beside_a_covered_name_is_never_a_slip(ask):
    """"acute" and "chronic" say something of the name they stand by; they are no misspelt word of a longer name."""
    assert [c.id for c in ask("ivig in chronic pemphigus").conditions] == ["pemphigus"]


@pytest.mark.parametrize("question", ["ivig for Pyle-Coohn syndrome?", "ivig for Melnick-Faser syndrome?"])
def test_half_of_a_double_barrelled_name_is_no_typo_of_a_covered_eponym(ask, question):
    """"Coohn" is one slip from Crohn and "Faser syndrome" two from "Fisher syndrome", but each is joined to a name
    no covered condition has: another disease."""
    assert not ask(question).conditions


@pytest.mark.parametrize(("question", "expected"), [
    ("Gullain-Barre syndrome ivig", "guillain-barre-syndrome"),  # both halves covered words
    ("lambert-eatn ivig", "lambert-eaton-myasthenic-syndrome"),
    ("miler-fisher ivig", "miller-fisher-syndrome"),
    ("post-polio syndrom ivig", "post-polio-syndrome"),
])
def test_a_covered_double_name_with_a_typo_is_still_read(ask, question, expected):
    assert [c.id for c in ask(question).conditions] == [expected]
