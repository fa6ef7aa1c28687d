"""Whole-word phrase look-ups: a question's runs of words, of every length some phrase has, in one set."""

from __future__ import annotations

from collections.abc import Iterable


def lengths_of(phrases: Iterable[tuple[str, ...]]) -> tuple[int, ...]:
    """The word counts of `phrases`, an empty phrase left out (it is found nowhere)."""
    return tuple(sorted({len(p) for p in phrases if p}))


def runs_of(words: tuple[str, ...], lengths: tuple[int, ...]) -> set[tuple[str, ...]]:
    """Every run of consecutive words of `words` that is `lengths` long: a phrase of one of those lengths occurs
    in `words` exactly when it is in this set. One set, then a set look-up per phrase, instead of sliding every
    phrase along the question (hundreds of phrases were most of intent detection's time)."""
    count = len(words)
    return {words[i: i + n] for n in lengths for i in range(count - n + 1)}


def contains_phrase(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """True when `phrase` (canonical words) occurs as consecutive whole words in `words`."""
    n = len(phrase)
    return bool(n) and any(words[i: i + n] == phrase for i in range(len(words) - n + 1))
