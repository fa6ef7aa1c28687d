"""After an answer, "the streptococcal one": the condition sharing a term with the one answered, by a word of its own."""

from __future__ import annotations

from bot.match.lexicon import FILLER, AliasEntry
from bot.models import MatchMethod
from bot.text import Token

MAX_WORDS = 6  # a longer message is a question of its own, not a pointer to a sibling
SET_ASIDE = frozenset({"than", "not", "instead"})  # "staph rather than strep": the word after one names no choice
MIN_LETTERS = 4  # "strep" still counts; "one", "the" never do


class TermSiblings:
    """Conditions that share an ambiguous term ("TSS": staphylococcal and streptococcal toxic shock syndrome), and
    the words of each condition's own names, less those with a negation ("non-streptococcal" says nothing for it)."""

    def __init__(self, entries: list[AliasEntry], negations: frozenset[str] = frozenset(),
                 generic: frozenset[str] = FILLER):
        self._source = (entries, negations)
        self._generic = generic  # filler and head words: "syndrome" points at no sibling ("Churg-Strauss syndrome")
        self._siblings: dict[str, frozenset[str]] | None = None  # made on first need, as few messages need them
        self._words: dict[str, frozenset[str]] = {}

    @property
    def siblings(self) -> dict[str, frozenset[str]]:
        if self._siblings is None:
            self._collect(*self._source)
        return self._siblings

    @property
    def words(self) -> dict[str, frozenset[str]]:
        if self._siblings is None:
            self._collect(*self._source)
        return self._words

    def _collect(self, entries: list[AliasEntry], negations: frozenset[str]) -> None:
        by_term: dict[tuple[str, ...], set[str]] = {}
        for entry in entries:
            if entry.condition_id is not None and not entry.blocks and entry.method is MatchMethod.ambiguous:
                by_term.setdefault(entry.words, set()).add(entry.condition_id)
        siblings: dict[str, set[str]] = {}
        for ids in by_term.values():
            for cid in ids:
                siblings.setdefault(cid, set()).update(ids - {cid})
        self._siblings = {cid: frozenset(found) for cid, found in siblings.items() if found}
        # Only the conditions with a sibling need their words: at 100,000 conditions a set per condition was 70 MB.
        words: dict[str, set[str]] = {}
        for entry in entries:
            if (entry.condition_id in self._siblings and not entry.blocks and entry.method is not MatchMethod.ambiguous
                    and negations.isdisjoint(entry.words)):
                words.setdefault(entry.condition_id, set()).update(entry.words)
        self._words = {cid: frozenset(found) for cid, found in words.items()}

    def switch(self, previous: list[str], tokens: list[Token], text: str) -> tuple[str, str] | None:
        """The one sibling of the one condition answered that a short message names by a word of its names and of
        none of the answered condition's ("and the streptococcal one?" after staphylococcal toxic shock syndrome):
        its id and that word as typed."""
        if len(previous) != 1 or len(tokens) > MAX_WORDS:
            return None
        before = self.words.get(previous[0], frozenset())
        found: dict[str, Token] = {}
        for other in self.siblings.get(previous[0], ()):
            own = self.words.get(other, frozenset()) - before
            hit = next((t for k, t in enumerate(tokens) if len(t.canonical) >= MIN_LETTERS and t.canonical not in self._generic
                        and t.canonical in own and not (k and tokens[k - 1].canonical in SET_ASIDE)), None)
            if hit is not None:
                found[other] = hit
        if len(found) != 1:
            return None
        (other, token), = found.items()
        return other, text[token.start: token.end]
