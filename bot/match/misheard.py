"""Names typed with one word misheard as another real word ("church strauss" for Churg-Strauss, "miller fissure").

The typo passes leave such a word alone: "fissure" is a word of another disease's name ("anal fissure"), and
"church" is two edits from "churg", beyond a six-letter word's budget. Said aloud in a name, though, it is a slip of
the ear: every other word of a covered name is there as written, in its order, and the odd word sounds like the name's.
Read only on words no earlier pass claimed, so an uncovered disease's exact name ("anal fissure") is never read so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA

from bot.match.fuzzy import word_budget
from bot.match.lexicon import AliasEntry
from bot.match.phonetic import sound_key
from bot.match.result import Hit, MatchResult
from bot.models import MatchMethod

if TYPE_CHECKING:
    from bot.match.matcher import Matcher

MISHEARD_SCORE = 85.0  # a reading, not an exact name: below the exact passes, above the offer threshold
MIN_NAME_WORD = 5  # a name's word shorter than this is too easily another word ("lupus", "dose")
MIN_TYPED_WORD = 4
SAME_START = 3  # the two words sound alike from their first three sounds on ("fis-", "kur-")
MAX_SOUND_EDITS = 2  # between the two as they sound: "fisure" and "fiser"
MAX_LETTER_EDITS = 3  # and as written: "fissure" and "fisher"
NAME_WORDS = (2, 3, 4)


def heard_alike(typed: str, said: str) -> bool:
    """Whether `typed` is what a listener may write for the name's word `said`: beyond a typo's edits, as a word
    that sounds alike ("church" for "churg"), often a real word the typo passes leave alone."""
    if typed == said or len(said) < MIN_NAME_WORD or len(typed) < MIN_TYPED_WORD or typed[0] != said[0]:
        return False
    letters = OSA.distance(typed, said)
    if letters <= word_budget(typed):
        return False  # a typo, the typo passes' to read or refuse ("pseudo myastenia gravis")
    typed_sound, said_sound = sound_key(typed), sound_key(said)
    return (typed_sound[:SAME_START] == said_sound[:SAME_START]
            and OSA.distance(typed_sound, said_sound) <= MAX_SOUND_EDITS
            and letters <= MAX_LETTER_EDITS)


def misheard_names(matcher: "Matcher", result: MatchResult, taken: list[bool]) -> None:
    """Read a covered name of two to four words with one informative word misheard (`heard_alike`) and the others
    as written; at least one other informative word must be there too, so a head word ("syndrome") never carries
    the reading. Looked for only when no name is read yet. One condition read so is answered; several are offered;
    the longest reading first, and an ambiguous term inside it ("neuropathy" of "Churg-Strauss neuropathy") is a word
    of that name. An uncovered disease read with a word added ("Miller syndrome" in "miller fissure syndrome") gives
    way to a reading that accounts for every word."""
    if result.matches or result.suggestions:
        return  # a name is read already: a misheard one beside it is rare, and looking costs every long question
    words = [t.canonical for t in result.tokens]
    busy = list(taken)
    loose_uncovered = [(s, e) for s, e in result.uncovered_spans if "".join(words[s:e]) not in matcher.lexicon.uncovered]
    for s, e in loose_uncovered:
        busy[s:e] = [False] * (e - s)
    generic = matcher.rules.generic
    condition_words = matcher.lexicon.condition_words
    slips = [k for k, w in enumerate(words) if not busy[k] and len(w) >= MIN_TYPED_WORD and w.isalpha()
             and w not in generic and w not in condition_words]
    if not slips:
        return  # most questions: every word left is a name's word, or read already
    entries = matcher.fuzzy.entries
    found: dict[tuple[int, int], dict[str, AliasEntry]] = {}
    for k in slips:
        anchors = {words[m] for m in range(max(0, k - 3), min(len(words), k + 4))
                   if m != k and not busy[m] and words[m] not in generic and words[m] in condition_words}
        for index in {i for anchor in anchors for i in matcher.fuzzy.shortlist.holding(anchor)}:
            entry = entries[index]
            span = _fitting_span(entry, words, busy, k, generic)
            if span is not None:
                found.setdefault(span, {}).setdefault(entry.condition_id, entry)
    for (start, end), readings in sorted(found.items(), key=lambda item: (item[0][0] - item[0][1], item[0][0])):
        if any(busy[start:end]) or start and words[start - 1] in matcher.rules.turning:
            continue  # read already, or another disease ("non-", "pseudo-")
        replaced = [(s, e) for s, e in loose_uncovered if s < end and start < e]
        if any(s < start or e > end for s, e in replaced):
            continue  # an uncovered reading reaching beyond these words stands
        for span in replaced:
            at = result.uncovered_spans.index(span)
            del result.uncovered_spans[at], result.not_found[at]
        busy[start:end] = taken[start:end] = [True] * (end - start)
        result.ambiguous[:] = [h for h in result.ambiguous if not (start <= h.start_token and h.end_token <= end)]
        hits = [Hit(cid, MISHEARD_SCORE, MatchMethod.fuzzy, entry.text, start, end, entry=entry, subtype=entry.subtype)
                for cid, entry in sorted(readings.items())]
        (result.matches if len(hits) == 1 else result.suggestions).extend(hits)


def _fitting_span(entry: AliasEntry, words: list[str], taken: list[bool], k: int,
                  generic: frozenset[str]) -> tuple[int, int] | None:
    """The span of the question that is `entry`'s name with word k misheard, or None."""
    name = entry.words
    if (len(name) not in NAME_WORDS or entry.condition_id is None or entry.blocks or entry.match_case
            or entry.method not in (MatchMethod.exact, MatchMethod.subtype)):
        return None
    for j, said in enumerate(name):
        start = k - j
        end = start + len(name)
        if start < 0 or end > len(words):
            continue
        if said in generic or any(taken[start:end]) or not heard_alike(words[k], said):
            continue
        others = [m for m in range(len(name)) if m != j]
        if all(words[start + m] == name[m] for m in others) and any(name[m] not in generic for m in others):
            return start, end
    return None
