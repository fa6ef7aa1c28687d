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


@pytest.mark.parametrize(("word", "name", "expected"), [
    ("cipd", "copd", True),  # i and o side by side on the keyboard
    ("aods", "apds", True),  # o and p
    ("civd", "cavd", False),  # i and a are far apart
    ("cvdi", "cvd1", False),  # a digit is no letter's neighbour here
    ("copd", "copd", False),  # no slip at all
    ("cipd", "cidp", False),  # two letters differ: a swap, not a key beside
    ("cip", "copd", False),  # lengths differ
])
def test_a_letter_on_the_key_beside_is_one_letter_wrong_with_a_neighbouring_key(word, name, expected):
    assert slips.next_key_for(word, name) is expected
