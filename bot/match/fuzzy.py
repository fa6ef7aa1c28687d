"""Typo readings: word windows scored against names with rapidfuzz, each word checked against its counterpart."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein

from bot.match.lexicon import FILLER, AliasEntry
from bot.match.shortlist import Deletions, Shortlist
from bot.models import MatchMethod
from bot.text import Token

SCORER = fuzz.ratio  # normalised Indel similarity, 0-100; scores whole windows, not substrings
ACCEPT_SCORE = 88.0
SUGGEST_SCORE = 80.0
MARGIN = 6.0  # points the best condition must lead the runner-up by
WORD_SCORE = 60.0  # every word of a multi-word window must resemble its counterpart this much
JOINED_ACCEPT_SCORE = 92.0  # windows of another word count are compared without spaces and need more
MIN_FUZZY_CHARS = 6  # shorter names are matched exactly only: "lupus" vs "lupin" is not a typo
EDITS_PER_CHAR = 0.2  # and a typo is at most one edit per five letters: "dermatitis" is not "dermatomyositis"
WORD_EDITS_PER_CHAR = 0.25  # per word of a multi-word window (swapped letters count as one edit)
_NUMERALS = frozenset({"i", "ii", "iii", "iv", "v", "vi"})
_NONE: frozenset[str] = frozenset()  # shared by every name without a negation word


@dataclass(frozen=True)
class Scored:
    entry: AliasEntry
    score: float  # 0-100
    start: int
    end: int


class FuzzyIndex:
    """The names typos are checked against: covered names and synonyms (not abbreviations: "MG" is never a typo).
    Uncovered diseases compete in the exact and loose passes instead; a correctly spelt word of theirs is never
    taken for a typo of a covered name's word."""

    def __init__(self, entries: list[AliasEntry], negations: frozenset[str], known: frozenset[str] = frozenset(),
                 deletions: Deletions | None = None):
        self.entries = [e for e in entries
                        if not e.blocks and not e.match_case and e.method is not MatchMethod.abbreviation
                        and len("".join(e.words)) >= MIN_FUZZY_CHARS
                        and e.condition_id is not None]
        self.negations = negations
        self.known = known  # every word of every name: a correctly spelt word is not a typo of another one
        self.shortlist = Shortlist([e.words for e in self.entries], deletions)
        # Each name's forms and its negation words, once: a window checks about 17 names, and most fail on these.
        # Worked out when a window first shortlists the name: at 100,000 conditions most names never are, and
        # forming them all took a third of the build and of the core's memory.
        self.forms: list[_Form | None] = [None] * len(self.entries)

    def score_window(self, window: list[Token], start: int, end: int, near: dict[str, frozenset[int]]) -> list[Scored]:
        """Score the shortlisted names against one window: same word count spaced, one more or less joined."""
        words = [t.canonical for t in window]
        spaced, joined = " ".join(words), "".join(words)
        candidates: set[int] = set(self.shortlist.near(joined))
        for word in words:
            if word not in FILLER:
                if word not in near:
                    near[word] = self.shortlist.near(word)
                candidates |= near[word]
        hits: list[Scored] = []
        count, negations = len(words), frozenset(words) & self.negations
        single_known = count == 1 and words[0] in self.known
        forms = self.forms
        for index in candidates:  # in the set's own order: equal scores keep the order they were found in
            form = forms[index] or self._form(forms, index)
            if form.count == count:
                alias, typed, cutoff = form.spaced, spaced, SUGGEST_SCORE
            elif form.count in (count - 1, count + 1) and len(joined) >= MIN_FUZZY_CHARS:
                alias, typed, cutoff = form.joined, joined, JOINED_ACCEPT_SCORE
            else:
                continue
            if form.negations != negations:
                continue  # "non-streptococcal" is another disease, however close the letters
            if single_known and form.count == 1 and form.stem != words[0].rstrip("s"):
                continue  # "myasthenic" is a word of other names, not a misspelt "myasthenia"
            if not _may_score(len(typed), len(alias), cutoff):
                continue
            entry = self.entries[index]
            score = SCORER(typed, alias, score_cutoff=cutoff)
            if not score or not few_edits(typed, alias):
                continue
            if form.count == count > 1 and not all(word_is_typo_of(a, b) for a, b in zip(words, entry.words)):
                continue
            hits.append(Scored(entry, score, start, end))
        return hits

    def _form(self, forms: list[_Form | None], index: int) -> _Form:
        # Idempotent: two threads forming one name store equal values, so no lock is needed.
        form = forms[index] = _Form.of(self.entries[index], self.negations)
        return form


@dataclass(slots=True)  # never changed once made; not frozen, as that took three times as long inside a question
class _Form:
    """A name as windows are compared with it: spaced (same word count) and joined (one word more or fewer)."""

    count: int  # words
    spaced: str
    joined: str
    negations: frozenset[str]
    stem: str  # a one-word name without its plural "s"

    @classmethod
    def of(cls, entry: AliasEntry, negations: frozenset[str]) -> _Form:
        return cls(len(entry.words), " ".join(entry.words), "".join(entry.words),
                   negations.intersection(entry.words) or _NONE, entry.words[0].rstrip("s") if entry.words else "")


def _may_score(typed: int, alias: int, cutoff: float) -> bool:
    """False when the lengths alone rule a name out, before rapidfuzz is called: fuzz.ratio is at most
    200 * shorter / (typed + alias), and `few_edits` allows at most a fifth of the name's letters in edits (never
    fewer than the length difference). A small tolerance keeps the bound on the safe side of float rounding."""
    if 200 * min(typed, alias) / (typed + alias) < cutoff - 1e-6:
        return False
    return abs(typed - alias) <= max(1, round(alias * EDITS_PER_CHAR))


def word_is_typo_of(typed: str, word: str) -> bool:
    """Each word of a multi-word window must itself pass for a typo of its counterpart, so one long exact word
    cannot lend its edit budget to a different word ("paraneoplastic salpingoitis" is not "... spinocolitis")."""
    if typed == word:
        return True
    if typed.isdigit() or word.isdigit() or typed in _NUMERALS or word in _NUMERALS:
        return False  # "type 1" is not "type 2"
    budget = max(1, round(len(word) * WORD_EDITS_PER_CHAR))  # swaps count once: "gillian" is "guillain"
    return SCORER(typed, word) >= WORD_SCORE and OSA.distance(typed, word, score_cutoff=budget) <= budget


def few_edits(typed: str, alias: str) -> bool:
    return Levenshtein.distance(typed, alias) <= max(1, round(len(alias) * EDITS_PER_CHAR))


def word_budget(word: str) -> int:
    """Typos a single word may hold to be corrected: none below four letters, one up to seven, then two."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2
