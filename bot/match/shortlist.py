"""Which known words or names a typed word could be a typo of, without scanning every name (a deletion index)."""

from __future__ import annotations

import zlib
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz.distance import OSA, Levenshtein

MIN_CHARS = 4  # shorter words are looked up as they are, without deletions
PACK_ABOVE = 100_000  # forms (about): a table this large is packed (`PackedDeletions`), a smaller one is a dict


def deletion_forms(word: str) -> set[str]:
    """The word and, from four letters on, every form of it with one letter deleted."""
    if len(word) < MIN_CHARS:
        return {word}
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


class Deletions:
    """Known words filed under their deletion forms: two words within two edits of each other share a form with at
    most one letter deleted (the idea behind SymSpell). One table serves every shortlist of a matcher, each keeping
    only its own words of what it finds: at 100,000 conditions a table is tens of megabytes and seconds to build."""

    def __init__(self, words: Iterable[str]):
        # A deletion form most often belongs to one word: it maps to that word itself, and only a form shared by
        # several words to a tuple of them (millions of one-word tuples were most of this index's memory and time).
        by_deletion: dict[str, str | tuple[str, ...]] = {}
        shared: dict[str, list[str]] = {}
        # The forms of `deletion_forms`, made here without a set each: a form one word makes twice ("ll") is filed
        # once for it.
        for word in words:
            first = by_deletion.setdefault(word, word)
            if first is not word:
                shared.setdefault(word, [first]).append(word)
            if len(word) < MIN_CHARS:
                continue
            for i in range(len(word)):
                form = word[:i] + word[i + 1:]
                first = by_deletion.setdefault(form, word)
                if first is not word:
                    sharing = shared.setdefault(form, [first])
                    if sharing[-1] is not word:  # this word's second making of the form
                        sharing.append(word)
        for form, found in shared.items():
            by_deletion[form] = tuple(found)
        self._by_deletion = by_deletion
        # A typed form is looked up as itself and with one letter deleted, a word's as itself and one shorter: a
        # form more than one letter longer than the longest word can meet none (see `Shortlist.near`).
        self.longest = max((len(form) for form in by_deletion), default=0)
        # Each filed form's length and first three letters: a typed form whose one-letter deletions past its third
        # letter all start as it does can meet a filed form only if this pair is here (see `meets_none`).
        self._heads = frozenset((len(form), form[:3]) for form in by_deletion)

    def words_for(self, form: str) -> tuple[str, ...]:
        words = self._by_deletion.get(form, ())
        return (words,) if words.__class__ is str else words

    def meets_none(self, word: str) -> bool:
        """True when none of `word`'s forms is filed: the word itself, its deletions of one of the first three
        letters (looked up), and its deletions of a later letter (all of its length less one and starting with its
        first three letters: ruled out together by `_heads`). Then a look-up finds no word at all."""
        by_deletion = self._by_deletion
        if len(word) < MIN_CHARS:
            return word not in by_deletion
        return ((len(word) - 1, word[:3]) not in self._heads and word not in by_deletion
                and word[1:] not in by_deletion and word[0] + word[2:] not in by_deletion
                and word[:2] + word[3:] not in by_deletion)


class PackedDeletions:
    """The same table for a large vocabulary, packed into one sorted array of integers, one per word and form: the
    form's CRC-32 and length, then the word's place. At 100,000 conditions the dict held 62 MB in its forms and
    entries, this array 9 (1.1 million pairs). A look-up bisects, which is slower than a dict's, so a small table stays a dict; a
    CRC two forms share is caught by checking that the word found really has the form asked for."""

    _WORD_BITS = 22  # up to four million words (`deletion_table` keeps a dict beyond that)

    def __init__(self, words: Iterable[str]):
        self._words = tuple(words)
        crc, shift = zlib.crc32, self._WORD_BITS
        top = 8 + shift  # a key: CRC, then the form's length (8 bits), then the word's place
        keys: list[int] = []
        heads: set[tuple[int, str]] = set()
        # The forms of `deletion_forms`, made here without a set each (a form a word makes twice is filed twice, and
        # `words_for` passes over the second), an ASCII word's as bytes.
        for place, word in enumerate(self._words):
            n, raw = len(word), word.encode()
            keys.append(crc(raw) << top | (n & 255) << shift | place)
            heads.add((n, word[:3]))
            if n < MIN_CHARS:
                continue
            tail = (n - 1 & 255) << shift | place
            if len(raw) == n:
                keys.extend([crc(raw[:i] + raw[i + 1:]) << top | tail for i in range(n)])
            else:
                keys.extend([crc((word[:i] + word[i + 1:]).encode()) << top | tail for i in range(n)])
            heads.update([(n - 1, word[:3]), (n - 1, word[1:4]), (n - 1, word[0] + word[2:4]), (n - 1, word[:2] + word[3])])
        keys.sort()
        self._keys = array("Q", keys)
        self.longest = max(map(len, self._words), default=0)  # a word is its own longest form
        self._heads = frozenset(heads)

    def words_for(self, form: str) -> tuple[str, ...]:
        key, keys, shift = _form_key(form), self._keys, self._WORD_BITS
        i, found = bisect_left(keys, key << shift), []
        mask = (1 << shift) - 1
        while i < len(keys) and keys[i] >> shift == key:
            word = self._words[keys[i] & mask]  # a word whose two forms share a key comes twice, side by side
            if (word == form or len(word) == len(form) + 1 and _deletes_to(word, form)) and word not in found[-1:]:
                found.append(word)
            i += 1
        return tuple(found)

    def meets_none(self, word: str) -> bool:
        """As `Deletions.meets_none`; a form whose CRC another form shares counts as filed, which only sends the
        word to a look-up that then finds nothing."""
        if len(word) < MIN_CHARS:
            return not self._filed(word)
        return ((len(word) - 1, word[:3]) not in self._heads and not self._filed(word) and not self._filed(word[1:])
                and not self._filed(word[0] + word[2:]) and not self._filed(word[:2] + word[3:]))

    def _filed(self, form: str) -> bool:
        key, keys = _form_key(form) << self._WORD_BITS, self._keys
        i = bisect_left(keys, key)
        return i < len(keys) and keys[i] >> self._WORD_BITS == key >> self._WORD_BITS


def deletion_table(words: Iterable[str]) -> Deletions | PackedDeletions:
    """A dict-backed table for a small vocabulary (the shipped base's is about 10,000 forms), a packed one for a
    large vocabulary."""
    words = list(words)
    forms = sum(len(w) + 1 for w in words)  # a word and its deletions (a shorter word has fewer)
    if forms > PACK_ABOVE and len(words) < 1 << PackedDeletions._WORD_BITS:
        return PackedDeletions(words)
    return Deletions(words)


def _form_key(form: str) -> int:
    return zlib.crc32(form.encode()) << 8 | len(form) & 255  # a length past 255 shares keys: `words_for` checks


def _deletes_to(word: str, form: str) -> bool:
    """Whether deleting one letter of `word` leaves `form` (one letter shorter)."""
    for i, (a, b) in enumerate(zip(form, word)):
        if a != b:
            return word[i + 1:] == form[i:]
    return True  # the last letter


NOTHING: frozenset[int] = frozenset()  # one empty answer shared: most words are near no name, and answers are kept


class Shortlist:
    """An index that finds, without scanning every alias, the aliases a typed word could be a typo of.

    Each alias word is found through its deletion forms (`Deletions`, given when shared with another shortlist:
    it must hold every word of these aliases). A multi-word alias is also filed, as it is, under its words run
    together, for "postpolio syndrome" or "covid19". A word shared by very many aliases ("syndrome") shortlists
    nothing on its own.
    """

    MAX_EDITS = 2
    MAX_SHARED = 2000  # aliases per word above which a word is too common to shortlist on

    def __init__(self, aliases: list[tuple[str, ...]], deletions: Deletions | PackedDeletions | None = None):
        by_word: dict[str, list[int]] = defaultdict(list)
        # Words run together are nearly always one alias's: such a key maps to its index, a shared one to a tuple.
        by_joined: dict[str, int | tuple[int, ...]] = {}
        for index, words in enumerate(aliases):
            for word in set(words):
                by_word[word].append(index)
            if len(words) > 1:
                key = "".join(words)
                first = by_joined.setdefault(key, index)
                if first is not index:
                    by_joined[key] = (*((first,) if first.__class__ is int else first), index)
        # Tuples, not sets: most keys hold one or two items, and at 100,000 conditions there are millions of keys.
        self._by_word = {w: tuple(ids) for w, ids in by_word.items() if len(ids) <= self.MAX_SHARED}
        self._by_joined = by_joined
        self._deletions = deletions if deletions is not None else deletion_table(self._by_word)

    def near(self, word: str) -> frozenset[int]:
        """Indices of the aliases with a word within MAX_EDITS of `word`, or whose words run together are `word`."""
        joined = self._by_joined.get(word, ())
        found: set[int] = {joined} if joined.__class__ is int else set(joined)
        deletions = self._deletions
        if len(word) > deletions.longest + 1 or deletions.meets_none(word):  # mostly a window run together
            return frozenset(found) if found else NOTHING
        by_word, words_for = self._by_word, deletions.words_for
        for form in deletion_forms(word):
            for candidate in words_for(form):
                ids = by_word.get(candidate)  # None: a word of another shortlist sharing the table, or too common
                if ids is not None and Levenshtein.distance(word, candidate, score_cutoff=self.MAX_EDITS) <= self.MAX_EDITS:
                    found.update(ids)
        return frozenset(found) if found else NOTHING

    def holding(self, word: str) -> tuple[int, ...]:
        """Indices of the aliases with this very word (none for a word too common to shortlist on)."""
        return self._by_word.get(word, ())

    def words(self):
        """Every word these aliases are found by (words too common to shortlist on aside)."""
        return self._by_word.keys()

    def correct(self, word: str, budget: int) -> list[str]:
        """Known words within `budget` edits of `word` (a swap of two letters is one edit), nearest first."""
        found: dict[str, int] = {}
        if len(word) > self._deletions.longest + 1 or self._deletions.meets_none(word):
            return []  # no known word shares a deletion form with it: none within two edits
        by_word, words_for = self._by_word, self._deletions.words_for
        for form in deletion_forms(word):
            for candidate in words_for(form):
                if candidate not in found and candidate in by_word:
                    distance = OSA.distance(word, candidate, score_cutoff=budget)
                    if distance <= budget:
                        found[candidate] = distance
        return sorted(found, key=lambda w: (found[w], w))
