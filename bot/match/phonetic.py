"""A word as it sounds: the spellings English gives one sound fold together, so a name typed as heard compares.

"pemfigus" and "pemphigus", "eritromelalgia" and "erythromelalgia", "skitzophrenia" and "schizophrenia" get one
key. The key is compared with the same scores and edit budgets as the written word (bot.match.fuzzy), so it only
forgives what a listener cannot hear; vowels are kept, as they tell names apart ("lupus" is not "lipase").
"""

from __future__ import annotations

import re
from functools import lru_cache

# In order: each rule works on what the rules before it left.
_RULES = (
    (re.compile(r"sch"), "sk"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"ck|ch|q"), "k"),
    (re.compile(r"th"), "t"),
    (re.compile(r"tz"), "z"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"c"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"z"), "s"),
    (re.compile(r"y"), "i"),
    (re.compile(r"(?<=.)h"), ""),  # silent after the first letter: "rheumatoid", "behcet"
    (re.compile(r"(.)\1+"), r"\1"),  # a doubled letter sounds single: "rasmusen"
)


@lru_cache(maxsize=8192)  # pure; a question's words and the names they are compared with recur
def sound_key(word: str) -> str:
    """The key of one lower-case word; a word with none of the letters that fold is its own key, less doubles."""
    for pattern, replacement in _RULES:
        word = pattern.sub(replacement, word)
    return word
