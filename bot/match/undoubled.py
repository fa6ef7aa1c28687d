"""A short word of a name typed with a doubled letter once ("c dif colitis": C diff), too short for a typo score."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.match.result import Hit
from bot.models import MatchMethod

if TYPE_CHECKING:
    from bot.match.matcher import Matcher
    from bot.match.result import MatchResult

SHORT_LETTERS = range(3, 5)  # longer words are the typo pass's, which scores a missing letter
MAX_WORDS = 3  # the name around the word: "c dif", "c dif colitis"
UNDOUBLED_SCORE = 90.0  # read, as a whole name: every other word of it typed as written


def undoubled_names(matcher: "Matcher", result: "MatchResult", taken: list[bool]) -> None:
    """Read a name when one short word no pass read, typed in lower case and no word of any name or question, is one
    of the name's words with a doubled letter typed once, the only such word, and the name then is one covered
    condition's exactly (its other words as typed). Not when an uncovered disease's name reads so too."""
    tokens = result.tokens
    words = [t.canonical for t in tokens]
    for i, token in enumerate(tokens):
        word = words[i]
        if (taken[i] or len(word) not in SHORT_LETTERS or not word.isalpha() or not token.original.islower()
                or matcher.is_known(word)):
            continue
        doubled = {word[:k + 1] + word[k:] for k in range(len(word))}
        found = {w for w in doubled if w in matcher.lexicon.condition_words}
        if len(found) != 1:
            continue
        whole = found.pop()
        readings = []
        for start in range(max(0, i - MAX_WORDS + 1), i + 1):
            for end in range(i + 1, min(len(tokens), start + MAX_WORDS) + 1):
                if end - start < 2 or any(taken[k] for k in range(start, end) if k != i):
                    continue
                key = "".join(whole if k == i else words[k] for k in range(start, end))
                if key in matcher.lexicon.uncovered:
                    readings.append((start, end, None))
                for entry in matcher.exact_entries(key):
                    if not entry.blocks and not entry.match_case:
                        readings.append((start, end, entry))
        if not readings or any(entry is None for *_, entry in readings):
            continue
        owners = {entry.condition_id for *_, entry in readings}
        if len(owners) != 1 or any(entry.method is MatchMethod.ambiguous for *_, entry in readings):
            continue
        start, end, entry = max(readings, key=lambda r: r[1] - r[0])  # the longest: "c dif colitis"
        result.matches.append(Hit(entry.condition_id, UNDOUBLED_SCORE, MatchMethod.fuzzy, entry.text, start, end,
                                  entry.other_meanings, entry=entry, subtype=entry.subtype))
        taken[start:end] = [True] * (end - start)
