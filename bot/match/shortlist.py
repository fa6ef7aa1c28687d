"""Which known words or names a typed word could be a typo of, without scanning every name (a deletion index)."""

from __future__ import annotations

from collections import defaultdict

from rapidfuzz.distance import OSA, Levenshtein


class Shortlist:
    """An index that finds, without scanning every alias, the aliases a typed word could be a typo of.

    Two words within two edits of each other share a form with at most one letter deleted (the idea behind
    SymSpell), so each alias word is filed under itself and its one-letter deletions. A multi-word alias is also
    filed, as it is, under its words run together, for "postpolio syndrome" or "covid19". A word shared by very
    many aliases ("syndrome") shortlists nothing on its own.
    """

    MAX_EDITS = 2
    MAX_SHARED = 2000  # aliases per word above which a word is too common to shortlist on
    MIN_CHARS = 4  # shorter words are looked up as they are, without deletions

    def __init__(self, aliases: list[tuple[str, ...]]):
        by_word: dict[str, list[int]] = defaultdict(list)
        by_joined: dict[str, list[int]] = defaultdict(list)
        for index, words in enumerate(aliases):
            for word in set(words):
                by_word[word].append(index)
            if len(words) > 1:
                by_joined["".join(words)].append(index)
        # Tuples, not sets: most keys hold one or two items, and at 100,000 conditions there are millions of keys.
        self._by_word = {w: tuple(ids) for w, ids in by_word.items() if len(ids) <= self.MAX_SHARED}
        self._by_joined = {w: tuple(ids) for w, ids in by_joined.items()}
        # A deletion form most often belongs to one word: it maps to that word itself, and only a form shared by
        # several words to a tuple of them (millions of one-word tuples were most of this index's memory and time).
        by_deletion: dict[str, str | tuple[str, ...]] = {}
        shared: dict[str, list[str]] = {}
        for word in self._by_word:
            for form in self._deletions(word):
                first = by_deletion.setdefault(form, word)
                if first is not word:
                    shared.setdefault(form, [first]).append(word)
        for form, words in shared.items():
            by_deletion[form] = tuple(words)
        self._by_deletion = by_deletion
        # A typed form is looked up as itself and with one letter deleted, a word's as itself and one shorter: a
        # form more than one letter longer than the longest word can meet none (see `near` and `correct`).
        self._longest = max(map(len, self._by_word), default=0)
        # Each filed form's length and first three letters: a typed form whose one-letter deletions past its third
        # letter all start as it does can meet a filed form only if this pair is here (see `_meets_none`).
        self._heads = frozenset((len(form), form[:3]) for form in by_deletion)

    def _words_for(self, form: str) -> tuple[str, ...]:
        words = self._by_deletion.get(form, ())
        return (words,) if words.__class__ is str else words

    def _deletions(self, word: str) -> set[str]:
        if len(word) < self.MIN_CHARS:
            return {word}
        return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}

    def _meets_none(self, word: str) -> bool:
        """True when none of `word`'s forms is filed: the word itself, its deletions of one of the first three
        letters (looked up), and its deletions of a later letter (all of its length less one and starting with its
        first three letters: ruled out together by `_heads`). Then `near` finds nothing but run-together names, in
        whatever order the forms would have been tried."""
        if len(word) < self.MIN_CHARS:
            return word not in self._by_deletion
        by_deletion = self._by_deletion
        return ((len(word) - 1, word[:3]) not in self._heads and word not in by_deletion
                and word[1:] not in by_deletion and word[0] + word[2:] not in by_deletion
                and word[:2] + word[3:] not in by_deletion)

    def near(self, word: str) -> frozenset[int]:
        """Indices of the aliases with a word within MAX_EDITS of `word`, or whose words run together are `word`."""
        found: set[int] = set(self._by_joined.get(word, ()))
        if len(word) > self._longest + 1 or self._meets_none(word):  # mostly a multi-word window run together
            return frozenset(found)
        for form in self._deletions(word):
            for candidate in self._words_for(form):
                if Levenshtein.distance(word, candidate, score_cutoff=self.MAX_EDITS) <= self.MAX_EDITS:
                    found.update(self._by_word[candidate])
        return frozenset(found)

    def correct(self, word: str, budget: int) -> list[str]:
        """Known words within `budget` edits of `word` (a swap of two letters is one edit), nearest first."""
        found: dict[str, int] = {}
        if len(word) > self._longest + 1:
            return []
        for form in self._deletions(word):
            for candidate in self._words_for(form):
                if candidate not in found:
                    distance = OSA.distance(word, candidate, score_cutoff=budget)
                    if distance <= budget:
                        found[candidate] = distance
        return sorted(found, key=lambda w: (found[w], w))
