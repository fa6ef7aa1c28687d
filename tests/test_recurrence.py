"""Recurrence said without the word "recurrent": a count before a plural, or a word such as "repeated" or "keeps",
reads a name whose defining word is "recurrent"; a count of days or weeks does not."""

import pytest

from bot.match.lexicon import Rules
from bot.text import tokenize


def _words(text: str) -> list[str]:
    return [t.canonical for t in tokenize(text)]


@pytest.mark.parametrize(("text", "places"), [
    ("3 miscarriages", {0}), ("three miscarriages in a row", {0}), ("repeated miscarriages", {0}),
    ("kid keeps getting ear infections", {1}), ("frequent ear infections", {0}),
    ("8 chest infections", {0}), ("nine ear infections this year", {0}),  # one word between count and plural
    ("5 days of fever", set()),  # a time unit: it counts days, not episodes
    ("2 weeks after chickenpox", set()),
    ("2 weeks fevers", set()),  # nor a time unit between
    ("1 miscarriage", set()),  # one is no recurrence
    ("400 mg", set()), ("3 ivig", set()),  # no plural after the number
    ("24/40, previous fetal loss", set()), ("2 serious infection", set()),  # an "s" no plural ends in
])
def test_words_and_counts_that_say_a_disease_came_back(text, places):
    assert Rules.load().recurrent_at(_words(text)) == frozenset(places)


@pytest.mark.parametrize(("question", "expected"), [
    ("five miscarriages in a row, all investigations normal, would IVIG help?", "recurrent-pregnancy-loss"),
    ("3 miscarriages, ivig?", "recurrent-pregnancy-loss"),
    ("repeated miscarriages ivig", "recurrent-pregnancy-loss"),
    ("kid keeps getting ear infections, IgG normal - ivig?", "recurrent-respiratory-infections-children"),
    ("frequent ear infections in a toddler, ivig?", "recurrent-respiratory-infections-children"),
    ("3yo with 8 chest infections this winter, immunoglobulins normal. would IVIG cut them down?",
     "recurrent-respiratory-infections-children"),
])
def test_recurrence_said_otherwise_reads_the_recurrent_name(core, question, expected):
    assert [h.condition_id for h in core.matcher.find(question).matches] == [expected]


@pytest.mark.parametrize("question", [
    "one miscarriage at 8 weeks, ivig?",  # a single loss is not recurrent pregnancy loss
    "miscarriage at 10 weeks - ivig?",
    "5 days of fever and a rash - ivig?",
    "anti-D titre 1:256 at 24/40, previous fetal loss from hydrops. ivig to delay IUT?",  # a gestation, not a count
])
def test_no_recurrence_no_recurrent_name(core, question):
    assert not core.matcher.find(question).matches
