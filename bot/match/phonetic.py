"""A word as it sounds: the spellings English gives one sound fold together, so a name typed as heard compares.

"pemfigus" and "pemphigus", "eritromelalgia" and "erythromelalgia", "skitzophrenia" and "schizophrenia", "showgren"
and "sjogren" (the Swedish "sj" said "sh") get one key. The key is compared with the same scores and edit budgets as
the written word (bot.match.fuzzy), so it only forgives what a listener cannot hear; vowels are kept, as they tell
names apart ("lupus" is not "lipase"), but for "au" and "ow" said as "o" ("landow" for Landau), "qu" is "kw"
("akwisita" for acquisita) and a final "ie" is "y" ("inclusion bodie myositis").
"""

from __future__ import annotations

import re
from functools import lru_cache

# In order: each rule works on what the rules before it left. Plain replacements, in C: every unknown word of a
# long clinical message is keyed, so a chain of regular expressions cost a millisecond on such a message.
_REPLACEMENTS = (("sj", "s"), ("au", "o"), ("ow", "o"), ("sch", "sk"), ("ph", "f"), ("ck", "k"), ("ch", "k"),
                 ("qu", "kw"), ("q", "k"), ("th", "t"), ("tz", "z"), ("ce", "se"), ("ci", "si"), ("cy", "si"), ("c", "k"),
                 ("x", "ks"), ("z", "s"), ("y", "i"))
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=8192)  # pure; a question's words and the names they are compared with recur
def sound_key(word: str) -> str:
    """The key of one lower-case word; a word with none of the letters that fold is its own key, less doubles."""
    for spelling, sound in _REPLACEMENTS:
        if spelling in word:
            word = word.replace(spelling, sound)
    if "h" in word[1:]:  # silent after the first letter: "rheumatoid", "behcet"
        word = word[0] + word[1:].replace("h", "")
    if word.endswith("ie") and len(word) > 3:  # a final "ie" is said as "y", which folded to "i": "bodie", "body"
        word = word[:-1]
    return _DOUBLE.sub(r"\1", word)  # a doubled letter sounds single: "rasmusen"
