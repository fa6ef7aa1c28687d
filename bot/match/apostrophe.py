"""A person's name in a covered condition's name, typed as a possessive without its apostrophe ("sjogrens")."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.match.phonetic import sound_key
from bot.text import Token, strip_accents

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

# A word of four letters or more, not a possessive's: "Sjogren" in "... associated with Sjogren syndrome", "bullous".
WORD = re.compile(r"(?<![\w'’-])([A-Za-z][a-z]{3,})(?![\w'’])")


def proper_words(names: Iterable[str]) -> frozenset[str]:
    """The words the covered names write only with a capital, as a person's name is ("Sjogren", "Bickerstaff"; not
    "Bullous", which another name writes in lower case), in lower case."""
    words: set[str] = set()
    for text in names:  # one pass of one pattern: at 100,000 conditions this sees half a million names
        words.update(WORD.findall(text if text.isascii() else strip_accents(text)))  # "Sjögren", "Behçet"
    return frozenset(w.lower() for w in words if w[0].isupper()) - words


@lru_cache(maxsize=4)  # one set of names per knowledge base
def _sounds(proper: frozenset[str]) -> frozenset[str]:
    return frozenset(map(sound_key, proper))


def without_apostrophe(tokens: list[Token], proper: frozenset[str], known: Callable[[str], bool]) -> list[Token]:
    """The tokens, with a word that no name or question has and that is such a person's name and an "s" ("sjogrens",
    "behcets") read as the name itself, as "Sjogren's" is read; or that sounds like one ("showgrens"), read without
    its "s", for the typo pass to hear."""
    if not proper:
        return tokens
    out = tokens
    for k, token in enumerate(tokens):
        word = token.canonical
        stem = word[:-1]  # the set lookups first: `known` is the costlier test, and most words pass no lookup
        if len(word) > 4 and word[-1] == "s" and (stem in proper or sound_key(stem) in _sounds(proper)) and not known(
                word) and (stem in proper or not known(stem)):
            if out is tokens:
                out = list(tokens)
            out[k] = Token(token.original, stem, token.start, token.end)
    return out
