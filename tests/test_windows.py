"""The exact pass looks only at windows some name begins with, and still sees every window that is a name."""

import random

from bot.match.windows import NameWindows
from bot.models import Question
from bot.text import tokenize


def test_a_window_grows_only_while_some_name_begins_with_its_letters():
    windows = NameWindows(["guillainbarresyndrome", "kawasakidisease"])
    spans = windows.spans(["ivig", "for", "guillain", "barre", "kawasaki"], max_words=5)
    assert (2, 4, "guillainbarre") in spans
    assert (2, 5, "guillainbarrekawasaki") not in spans  # no name begins so: the window stopped growing
    assert not any(start == 0 and end > 1 for start, end, _ in spans)  # "ivig..." begins no name
    assert {(s, e) for s, e, _ in spans if e - s == 1} == {(i, i + 1) for i in range(5)}  # one word: always


def test_windows_come_longest_first_then_earlier():
    spans = NameWindows(["ab", "bc", "abc"]).spans(["a", "b", "c"], max_words=3)
    assert [(s, e) for s, e, _ in spans] == [(0, 3), (0, 2), (1, 3), (0, 1), (1, 2), (2, 3)]


def test_every_window_that_spells_a_known_name_is_looked_at(core):
    """Against joining every window, on questions built from the shipped names with words around them."""
    matcher = core.matcher
    names = sorted({*matcher._exact, *matcher.lexicon.uncovered})
    entries = [e for e in matcher.lexicon.entries if e.words]
    rng = random.Random(7)
    width = max(matcher._max_words, matcher._max_uncovered_words)
    for _ in range(300):
        words = [rng.choice(["ivig", "for", "a", "with", "and", "the"])
                 for _ in range(rng.randint(0, 4))]
        for entry in rng.sample(entries, 2):
            words += [*entry.words, rng.choice(["in", "or", "disease", "syndrome"])]
        canonical = [t.canonical for t in tokenize(" ".join(words))]
        seen = {(s, e) for s, e, _ in matcher._windows.spans(canonical, width)}
        spelt = {(s, e) for s in range(len(canonical)) for e in range(s + 1, min(s + width, len(canonical)) + 1)
                 if "".join(canonical[s:e]) in matcher._exact or "".join(canonical[s:e]) in matcher.lexicon.uncovered}
        assert spelt and spelt <= seen, (words, spelt - seen)
    assert len(names) > 1000  # the uncovered names are in the scan too


def test_a_word_of_an_age_joins_no_window():
    windows = NameWindows(["asd5", "asd"])
    canonical = ["asd", "5", "yo", "boy"]
    assert (0, 2, "asd5") in windows.spans(canonical, max_words=3)
    assert (0, 2, "asd5") not in windows.spans(canonical, max_words=3, ages={1, 2})


def test_an_age_after_an_abbreviation_is_no_number_of_an_uncovered_name(core):
    """"ASD5" is an uncovered atrial septal defect; "ASD - 5 yo" is autism in a five-year-old."""
    answer = core.answer(Question(text="ASD - 5 yo boy, nonverbal, repetitive behaviours, regression at 2, evidence?"))
    assert [c.id for c in answer.conditions] == ["autism-spectrum-disorder"]
