"""Typo readings: word windows scored against names with rapidfuzz, each word checked against its counterpart."""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from itertools import compress

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein

from bot.match.lexicon import FILLER, AliasEntry
from bot.match.phonetic import sound_key
from bot.match.shortlist import NOTHING, Deletions, PackedDeletions, Shortlist, deletion_forms, deletion_table
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
SHORT_WORD = 5  # letters: a word this short keeps its first letter in a typo
_NUMERALS = frozenset({"i", "ii", "iii", "iv", "v", "vi"})
_KEY_STRIDE = 1 << 20  # above any name's length: a name's key is its word count and spaced length in one int
# Letters a typed word needs before its sound may also be one slip from a name word's ("scleromixidema": the
# sound of "scleromyxedema" but for an "i" for an "e"); shorter words sound alike too easily.
SOUND_SLIP_LETTERS = 8
MAX_ALLOWED_MEMO = 4096  # (word count, letters) pairs of windows kept; others are worked out each time
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
                 generic: frozenset[str] = frozenset(), deletions: Deletions | PackedDeletions | None = None):
        self.entries = [e for e in entries
                        if not e.blocks and not e.match_case and e.method is not MatchMethod.abbreviation
                        and not e.eponym  # an eponym alone is read only as typed
                        and len("".join(e.words)) >= MIN_FUZZY_CHARS
                        and e.condition_id is not None]
        self.negations = negations
        self.known = known  # every word of every name: a correctly spelt word is not a typo of another one
        self.generic = generic  # head words and filler: never the word that carries a reading
        self.shortlist = Shortlist([e.words for e in self.entries], deletions)
        # Each name's forms and its negation words, worked out when a window first shortlists the name: at 100,000
        # conditions most names never are, and forming them all took a third of the build and of the core's memory.
        self.forms: list[_Form | None] = [None] * len(self.entries)
        # Each name's word count and spaced length as one number, kept compact: a window keeps, in C, only the
        # shortlisted names whose count and length allow a score (`_allowed`); of about 18 per window, about 2.
        spaced = [sum(map(len, e.words)) + len(e.words) - 1 for e in self.entries]
        self._keys = array("q", (_key(len(e.words), n) for e, n in zip(self.entries, spaced)))
        self._allowed_memo: dict[tuple[int, int], frozenset[int]] = {}
        self._present = frozenset(self._keys)
        self._longest = max(spaced, default=0)
        self._sounds: dict[str, tuple[str, ...]] | None = None  # sound key -> name words; made on first need
        self._sound_slips: Deletions | PackedDeletions | None = None  # the longer sound keys' deletion index

    def score_window(self, window: list[Token], start: int, end: int, near: dict[str, frozenset[int]]) -> list[Scored]:
        """Score the shortlisted names against one window: same word count spaced, another count joined."""
        words = [t.canonical for t in window]
        joined = "".join(words)
        allowed = self._allowed(len(words), len(joined))
        if not allowed:  # no name has a word count and length this window could score against
            return []
        if len(words) == 1 and joined in near:  # a one-word window's joined form is its word, already looked up
            candidates: set[int] = set(near[joined])
        else:
            candidates = set(self.shortlist.near(joined))
        sounding: set[int] = set()  # names with a word that sounds like a misspelt typed word ("pemfigus")
        misspelt = False
        for word in words:
            if word not in FILLER:
                if word not in near:
                    near[word] = self.shortlist.near(word)
                candidates |= near[word]
                if word not in self.known:
                    misspelt = True
                    if len(word) >= SHORT_WORD:
                        sounding |= self._sounding_like(word, near)
        if misspelt and len(words) == 2 and len(joined) >= MIN_FUZZY_CHARS:  # "poly myocitis": "polymyositis"
            sounding |= self._sounding_like(joined, near)
        candidates |= sounding
        heard = [sound_key(w) for w in words] if sounding or misspelt else []  # the window as it sounds, once
        hits: list[Scored] = []
        count, negations = len(words), frozenset(words) & self.negations
        single_known = count == 1 and words[0] in self.known
        # In the set's own order (equal scores keep the order they were found in), less the names whose count or
        # length rule them out: exactly those the checks below used to refuse one by one.
        forms = self.forms
        for index in compress(candidates, map(allowed.__contains__, map(self._keys.__getitem__, candidates))):
            form = forms[index] or self._form(forms, index)
            if form.negations != negations:
                continue  # "non-streptococcal" is another disease, however close the letters
            if single_known and form.count == 1 and form.stem != words[0].rstrip("s"):
                continue  # "myasthenic" is a word of other names, not a misspelt "myasthenia"
            entry = self.entries[index]
            score = self._score(words, entry.words, form.count)
            # The same checks on the words as they sound, for a name with a word that sounds like a typed one, and
            # for any name a misspelt window starting with its sound missed as written ("sidnams chorea", "soo
            # sack"); a longer window keeps its lead.
            if index in sounding or heard and not score:
                if form.heard is None:
                    form.heard = tuple(map(sound_key, entry.words))
                if index in sounding or form.heard[0][:1] == heard[0][:1]:  # a name heard keeps its first sound
                    score = max(score, self._score(heard, form.heard, form.count))
            if score and (form.count != count or count == 1 or self._carried(words, entry.words)):
                hits.append(Scored(entry, score, start, end))
        return hits

    @staticmethod
    def _score(words: list[str], name: tuple[str, ...], name_count: int) -> float:
        """The window's score against one name (0: no typo reading): the whole within its budget, and every word of
        a same-length name a typo of its counterpart, or every word of a one-longer name typed."""
        count = len(words)
        if name_count == count:
            typed, alias, cutoff = " ".join(words), " ".join(name), SUGGEST_SCORE
        else:  # one word more or fewer, or two more, the window long enough (`_allowed`)
            typed, alias, cutoff = "".join(words), "".join(name), JOINED_ACCEPT_SCORE
        score = SCORER(typed, alias, score_cutoff=cutoff)
        if not score or not few_edits(typed, alias):
            return 0.0
        if name_count == count > 1 and not all(word_is_typo_of(a, b) for a, b in zip(words, name)):
            return 0.0
        if name_count == count + 1 and not all_words_typed(words, name):
            return 0.0
        if name_count == count - 2 and Levenshtein.distance(typed, alias, score_cutoff=1) > 1:
            return 0.0  # a name typed in three pieces ("sclero mix edema") holds one slip at most, not a word more
        return score

    def words_sounding_like(self, word: str) -> tuple[str, ...]:
        """The words of these names that sound like `word` ("lymphocytic" for "limfocytic"); for a long word none
        sounds like, those whose sound is one slip from its sound ("erithromelaljia": "erythromelalgia" heard with a
        "j" for the "g"), as a typed word is one slip from a name's (`Shortlist`)."""
        if self._sounds is None:
            sounds: dict[str, list[str]] = {}
            for known in self.shortlist.words():
                sounds.setdefault(sound_key(known), []).append(known)
            self._sounds = {key: tuple(found) for key, found in sounds.items()}
        key = sound_key(word)
        found = self._sounds.get(key, ())
        if found or len(word) < SOUND_SLIP_LETTERS:
            return found
        if self._sound_slips is None:  # made on first need, as the sounds are
            self._sound_slips = deletion_table(k for k in self._sounds if len(k) >= SOUND_SLIP_LETTERS - 1)
        near = {k for form in deletion_forms(key) for k in self._sound_slips.words_for(form)
                if Levenshtein.distance(key, k, score_cutoff=1) <= 1}
        return tuple(w for k in sorted(near) for w in self._sounds[k])

    def _sounding_like(self, word: str, near: dict[str, frozenset[int]]) -> frozenset[int]:
        """The names with a word that sounds like `word`, kept in the question's `near` under "~word" (no typed
        word holds a "~"), as a word is in several windows."""
        found = near.get("~" + word)
        if found is None:
            found = near["~" + word] = frozenset(
                i for known in self.words_sounding_like(word) for i in self.shortlist.holding(known)) or NOTHING
        return found

    def _form(self, forms: list[_Form | None], index: int) -> _Form:
        # Idempotent: two threads forming one name store equal values, so no lock is needed.
        form = forms[index] = _Form.of(self.entries[index], self.negations)
        return form

    def _allowed(self, count: int, joined: int) -> frozenset[int]:
        """The `_key`s of the names a window of `count` words and `joined` letters may score against: the same
        count with a spaced length `_may_score` allows, or one word more or fewer (or two more) with such a joined
        length (a name's joined length is its spaced one less its spaces). A pure function of two small numbers,
        memoised."""
        found = self._allowed_memo.get((count, joined))
        if found is None:
            spaced = joined + count - 1
            lengths = range(1, min(2 * spaced + 3, self._longest + 1))  # no name is longer; _may_score stops at 1.25x
            keys = {_key(count, a) for a in lengths if _may_score(spaced, a, SUGGEST_SCORE)}
            if joined >= MIN_FUZZY_CHARS:
                for other in (count - 2, count - 1, count + 1):
                    keys.update(_key(other, a + other - 1) for a in lengths
                                if other > 0 and _may_score(joined, a, JOINED_ACCEPT_SCORE))
            found = self._present.intersection(keys)  # empty when no name has such a key: nothing to shortlist
            if len(self._allowed_memo) < MAX_ALLOWED_MEMO:
                self._allowed_memo[(count, joined)] = found
        return found

    def _carried(self, words: list[str], name: tuple[str, ...]) -> bool:
        """A correctly spelt word read as another word ("usher" as "fisher") needs a distinctive word of the name
        typed beside it, exactly or as a typo that is no word of its own: "mucus membrane pemphigoid" and "guillan
        bare" are typos; "usher syndrom" is another disease."""
        if not any(a != b and a.rstrip("s") != b.rstrip("s") and a in self.known and b not in self.generic
                   for a, b in zip(words, name)):
            return True
        return any(b not in self.generic and (a == b or a not in self.known) for a, b in zip(words, name))


def _key(count: int, spaced: int) -> int:
    return count * _KEY_STRIDE + spaced


@dataclass(slots=True)  # never changed once made; not frozen, as that took three times as long inside a question
class _Form:
    """A name as windows are compared with it: spaced (same word count) and joined (another word count), and
    as it sounds."""

    count: int  # words
    spaced: str
    joined: str
    negations: frozenset[str]
    stem: str  # a one-word name without its plural "s"
    heard: tuple[str, ...] | None = None  # its words as they sound (bot.match.phonetic), made on first need

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
    if len(word) <= SHORT_WORD and typed[:1] != word[:1]:
        return False  # a short word's first letter is rarely the slip: "AChR antibody" is not "gAChR antibody"
    budget = max(1, round(len(word) * WORD_EDITS_PER_CHAR))  # swaps count once: "gillian" is "guillain"
    return SCORER(typed, word) >= WORD_SCORE and OSA.distance(typed, word, score_cutoff=budget) <= budget


def all_words_typed(words: list[str], name: tuple[str, ...]) -> bool:
    """A window one word shorter than a name still types every word of it, two run together or one misspelt:
    "guillainbarre syndrome" is Guillain-Barre syndrome; "recurrent infections" lacks the "ear" of "recurrent ear
    infections", and that missing word is the one that says which infections."""
    return all(w in words or any(w in t or word_is_typo_of(t, w) for t in words) for w in name)


def few_edits(typed: str, alias: str) -> bool:
    return Levenshtein.distance(typed, alias) <= max(1, round(len(alias) * EDITS_PER_CHAR))


def word_budget(word: str) -> int:
    """Typos a single word may hold to be corrected: none below four letters, one up to seven, then two."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2
