"""Shapes of a one-letter slip between a typed word and a term, for the typo passes (bot/match/typo_pass.py)."""

from __future__ import annotations


def _differing(word: str, term: str) -> list[int]:
    """The places where two words of one length differ (none for words of different lengths: no such slip)."""
    return [k for k in range(len(word)) if word[k] != term[k]] if len(word) == len(term) else []


def swapped(word: str, term: str) -> bool:
    """`word` is `term` with two letters side by side typed the other way round ("cipd")."""
    diff = _differing(word, term)
    return len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == term[diff[1]] and word[diff[1]] == term[diff[0]]


def left_out_inside(word: str, term: str) -> bool:
    """`word` is a five-letter `term` with one letter left out inside it, neither its first nor its last ("covd"),
    not a shorter word the term may be the plural or a longer form of ("hive")."""
    return len(word) == 4 and len(term) == 5 and any(term[:k] + term[k + 1:] == word for k in range(1, 4))


def doubled(word: str, term: str) -> bool:
    """`word` is `term` with one of its letters typed twice ("pandass", "lemss")."""
    return len(word) == len(term) + 1 and any(word[k] == word[k + 1] and word[:k] + word[k + 1:] == term
                                              for k in range(len(word) - 1))


def doubling_moved(word: str, term: str) -> bool:
    """`word` is `term` with its doubled letter typed twice on the letter beside it instead ("viit" for VITT, "MNN"
    for MMN): one letter differs, the typed one repeating its neighbour on one side, the term's on the other."""
    diff = _differing(word, term)
    if len(diff) != 1:
        return False
    k = diff[0]
    return (0 < k < len(word) - 1 and (word[k] == word[k - 1] and term[k] == term[k + 1]
                                       or word[k] == word[k + 1] and term[k] == term[k - 1]))


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEYS = {ch: (r, c) for r, row in enumerate(_ROWS) for c, ch in enumerate(row)}


def next_key_for(word: str, name: str) -> bool:
    """`word` is `name` with one letter typed on a key beside the right one ("cipd" for COPD): a slip as likely as
    two letters swapped, so such a name is as near as a term those letters spell."""
    diff = _differing(word, name)
    if len(diff) != 1 or word[diff[0]] not in _KEYS or name[diff[0]] not in _KEYS:
        return False
    (r1, c1), (r2, c2) = _KEYS[word[diff[0]]], _KEYS[name[diff[0]]]
    return abs(r1 - r2) <= 1 and abs(c1 - c2) <= 1 and (r1, c1) != (r2, c2)
