"""Loose readings: a name in any word order, without its head word, with one word more or (if long) one less.

"ophthalmopathy, graves", "myositis, inclusion body", "stiff person", "purpura after transfusion" and
"opsoclonous myoclonus" (after typo correction) all name a covered condition, though no window of the question
equals one of its names. Each name's words are weighted by how informative they are (inverse frequency over the
covered conditions; head words such as "syndrome" weigh nothing), and a reading carries the share of the name's
weight its words cover. A generic word never carries a match, a negation ("non", "anti") never goes missing, and
the best reading must clearly beat the best other condition's.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

from bot.match.lexicon import FILLER, AliasEntry, Lexicon, Rules
from bot.models import MatchMethod

MAX_ANCHOR_ALIASES = 500  # a word in more names than this starts no reading on its own (it still counts in one)


@dataclass(frozen=True)
class Reading:
    entry_index: int  # in LooseIndex.entries
    condition_id: str | None  # None: an uncovered disease
    score: float  # 0-1: the share of the name's information this reading carries, less penalties
    start: int
    end: int  # exclusive
    weight: float = 0.0  # the information of the question's words it reads: a longer reading beats one inside it


class LooseIndex:
    """Multi-word names by word, for the words that can anchor a reading: covered names at once, uncovered
    diseases' names (rivals: "myasthenic congenital syndrom" is an uncovered disease) on first need."""

    def __init__(self, lexicon: Lexicon, rules: Rules):
        self.lexicon = lexicon
        self.rules = rules
        self.entries: list[AliasEntry] = [e for e in lexicon.entries if self._usable(e)]
        self._covered = len(self.entries)
        self.by_word = self._index(self.entries, 0)
        self._rivals: dict[str, tuple[int, ...]] | None = None
        self._lock = threading.Lock()

    @staticmethod
    def _usable(entry: AliasEntry) -> bool:
        return (entry.condition_id is not None and not entry.blocks and not entry.match_case
                and len(entry.words) > 1 and entry.method is not MatchMethod.abbreviation)

    def _index(self, entries: list[AliasEntry], offset: int) -> dict[str, tuple[int, ...]]:
        by_word: dict[str, list[int]] = defaultdict(list)
        for index, entry in enumerate(entries, offset):
            for word in set(entry.words):
                if self.lexicon.weight(word) > 0:
                    by_word[word].append(index)
        return {w: tuple(ids) for w, ids in by_word.items() if len(ids) <= MAX_ANCHOR_ALIASES}

    def _uncovered_index(self) -> dict[str, tuple[int, ...]]:
        if self._rivals is None:
            with self._lock:
                if self._rivals is None:
                    rivals = self.lexicon.uncovered_entries()
                    index = self._index(rivals, len(self.entries))
                    self.entries = self.entries + rivals  # a new list: readers of the old one are not disturbed
                    self._rivals = index
        return self._rivals

    def __getstate__(self) -> dict:  # cached between runs (bot.startup): the lock is rebuilt, the rivals on demand
        state = dict(self.__dict__)
        state.update(_lock=None, _rivals=None, entries=self.entries[:self._covered])
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def entry(self, index: int) -> AliasEntry:
        return self.entries[index]

    def readings(self, words: list[str], offset: int) -> list[Reading]:
        """Every acceptable reading inside one run of unclaimed words (`offset`: the run's first token)."""
        informative = {w for w in words if self.lexicon.weight(w) > 0}
        if not informative:
            return []
        rivals = self._uncovered_index()
        candidates = {i for w in informative for i in (*self.by_word.get(w, ()), *rivals.get(w, ()))}
        found = []
        for index in candidates:
            reading = self._read(index, words, offset)
            if reading is not None:
                found.append(reading)
        return found

    def _read(self, index: int, words: list[str], offset: int) -> Reading | None:
        entry: AliasEntry = self.entries[index]
        weight = self.lexicon.weight
        name_words = [w for w in dict.fromkeys(entry.words) if w not in FILLER]
        total = sum(weight(w) for w in name_words)
        if total <= 0:
            return None
        positions = {w: [i for i, typed in enumerate(words) if typed == w] for w in name_words}
        present = [w for w in name_words if positions[w]]
        informative = [w for w in name_words if weight(w) > 0]
        missing = [w for w in informative if not positions[w]]
        if any(w in self.rules.negations for w in name_words if not positions[w]):
            return None  # "streptococcal toxic shock" is not "non-streptococcal toxic shock"
        if len(missing) > 1 or (missing and len(informative) < 3) or len(present) < 2:
            return None  # one word alone is never a loose reading ("still" is not Still disease)
        anchor = max(present, key=weight)
        best: Reading | None = None
        for at in positions[anchor]:
            chosen = [min(positions[w], key=lambda p: abs(p - at)) for w in present]
            start, end = min(chosen), max(chosen) + 1
            inside = words[start:end]
            extra = [w for w in inside if w not in FILLER and w not in name_words]
            if len(extra) > self.rules.thresholds.max_extra_words:
                continue
            if any(w in self.rules.negations and w not in name_words for w in inside):
                continue
            covered = sum(weight(w) for w in present)
            score = covered / total - 0.05 * len(extra) - (0.03 if chosen != sorted(chosen) else 0.0)
            if best is None or score > best.score:
                best = Reading(index, entry.condition_id, score, offset + start, offset + end, covered)
        return best
