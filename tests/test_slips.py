"""Shapes of a one-letter slip between a typed word and a term (bot/match/slips.py)."""

import pytest

from bot.match import slips


@pytest.mark.parametrize(("word", "term", "shape"), [
    ("cipd", "cidp", slips.swapped),
    ("covd", "covid", slips.left_out_inside),
    ("pandass", "pandas", slips.doubled),
    ("viit", "vitt", slips.doubling_moved),  # the doubled t typed on the i before it
    ("mnn", "mmn", slips.doubling_moved),  # the doubled m typed on the n after it
    ("stts", "stss", slips.doubling_moved),
])
def test_each_shape_reads_its_slip(word, term, shape):
    assert shape(word, term)


@pytest.mark.parametrize(("word", "term"), [
    ("vitt", "vitt"),  # no slip at all
    ("vixt", "vitt"),  # a letter wrong that repeats no neighbour
    ("vtit", "vitt"),  # two letters swapped is another shape
    ("itpp", "iitp"),  # two letters differ
    ("aab", "bab"),  # the first letter: no neighbour before it to repeat
    ("vit", "vitt"),  # lengths differ
])
def test_a_doubling_moved_is_one_letter_repeating_a_neighbour_where_the_term_repeats_the_other(word, term):
    assert not slips.doubling_moved(word, term)
