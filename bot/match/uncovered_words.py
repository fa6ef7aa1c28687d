"""The words of uncovered diseases' names, asked about by the passes that read a word alone: is it one slip from
an uncovered one-word name, and does it by itself name an uncovered disease."""

from __future__ import annotations

from collections.abc import Callable

from bot.match.fuzzy import word_budget
from bot.match.lexicon import Lexicon
from bot.match.shortlist import Shortlist


class UncoveredWords:
    """`words`: every word of every uncovered name. The shortlists are made on first need: most questions never
    ask."""

    def __init__(self, lexicon: Lexicon, words: set[str], is_known: Callable[[str], bool]):
        self.lexicon, self.words, self._is_known = lexicon, words, is_known
        self._one_word: Shortlist | None = None
        self._theirs_only: Shortlist | None = None
        self._initialled: dict[tuple[str, ...], list] | None = None
        self._by_last_word: dict[str, list[str]] | None = None

    def initialled(self) -> dict[tuple[str, ...], list]:
        """Uncovered names of three words or more by their first words' initials and their last word: ("eb",
        "simplex") is epidermolysis bullosa simplex; and by their first word and the rest's initials, marked "rest":
        ("dystrophic", "eb", "rest") is dystrophic epidermolysis bullosa. Made on first need."""
        if self._initialled is None:
            index: dict[tuple[str, ...], list] = {}
            for names in self.lexicon.uncovered.values():
                for name in names:
                    words = name.key.split()
                    if len(words) >= 3:
                        index.setdefault(("".join(w[0] for w in words[:-1]), words[-1]), []).append(name)
                        index.setdefault((words[0], "".join(w[0] for w in words[1:]), "rest"), []).append(name)
            self._initialled = index
        return self._initialled

    def ends_a_name(self, words: tuple[str, ...]) -> bool:
        """Whether two words or more are an uncovered disease's name or its last words ("lichen sclerosus" ends
        penile lichen sclerosus's). The names of two words or more by their last word, made on first need (every
        ending as a set of tuples would take about 11 MB, for a check few questions reach)."""
        if len(words) < 2:
            return False
        if self._by_last_word is None:
            index: dict[str, list[str]] = {}
            for names in self.lexicon.uncovered.values():
                for name in names:
                    last = name.key.rfind(" ")
                    if last > 0:
                        index.setdefault(name.key[last + 1:], []).append(name.key)
            self._by_last_word = index
        phrase = " ".join(words)
        return any(key == phrase or key.endswith(" " + phrase) for key in self._by_last_word.get(words[-1], ()))

    def one_slip_from_a_name(self, word: str) -> bool:
        """Whether `word` is one edit from an uncovered disease's one-word name."""
        return bool(self.one_slip_names(word))

    def one_slip_names(self, word: str) -> list[str]:
        """The uncovered diseases' one-word names one edit from `word`."""
        if self._one_word is None:
            self._one_word = Shortlist([(k,) for k, names in self.lexicon.uncovered.items()
                                        if all(" " not in n.key for n in names)])
        return self._one_word.correct(word, 1)

    def theirs(self, word: str, typed: str) -> bool:
        """Whether a word belongs to an uncovered disease's name and to no covered one's, at five letters or more, or
        as an abbreviation typed in capitals ("PML", "PFAPA")."""
        return word in self.words and word not in self.lexicon.condition_words and (
            len(word) >= 5 or len(word) >= 3 and typed.isupper())

    def names_a_disease(self, word: str) -> bool:
        """Whether a word of five letters or more belongs to an uncovered disease's name and to no covered one's
        ("castleman", "raynaud"), or is, misspelt, one such word of seven letters or more ("nuerofibromatosis"): in
        a clause of its own, it names that disease."""
        if len(word) < 5:
            return False
        if word in self.words:
            return self.theirs(word, word)
        covered = self.lexicon.condition_words
        if len(word) < 7 or not word.isalpha() or self._is_known(word):
            return False
        if self._theirs_only is None:
            self._theirs_only = Shortlist([(w,) for w in self.words if len(w) >= 7 and w.isalpha() and w not in covered])
        return bool(self._theirs_only.correct(word, word_budget(word)))
