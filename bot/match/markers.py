"""An antibody a vignette reports as found ("anti-HMGCR+", "AQP4-IgG positive") reads the one condition named by it."""

from __future__ import annotations

from dataclasses import replace

from bot.match.lexicon import FILLER, AliasEntry
from bot.match.resolve import LATE_CUE_SCORE
from bot.match.result import Hit, MatchResult
from bot.models import MatchMethod
from bot.text import Token, canonical_word, tokenize

# Words that, right after a marker in a name or a question, say it is an antibody found ("GQ1b antibody syndrome",
# "AQP4-IgG positive").
ANTIBODY_WORDS = frozenset({"antibody", "antibodies", "ab", "abs", "igg", "igm", "positive", "pos", "seropositive",
                            "titre", "titer", "titres", "titers", "elisa"})
ANTI = "anti"
LOOK_AHEAD = 2  # "anti-MAG very high": the antibody word may come a word or two after the marker


class Markers:
    """Each marker word of the covered names ("hmgcr" of "anti-HMGCR myopathy", "aqp4" of "AQP4-IgG NMOSD"): the
    conditions whose names have it."""

    def __init__(self, entries: list[AliasEntry]):
        self._entries = entries
        self._owners: dict[str, frozenset[str]] | None = None  # made on first need: 0.2 s at 100,000 conditions

    @property
    def owners(self) -> dict[str, frozenset[str]]:
        if self._owners is None:
            self._owners = self._collect(self._entries)
        return self._owners

    @staticmethod
    def _collect(entries: list[AliasEntry]) -> dict[str, frozenset[str]]:
        owners: dict[str, set[str]] = {}
        for entry in entries:
            if entry.condition_id is None or entry.blocks:
                continue
            words = entry.words
            if ANTI not in words and ANTIBODY_WORDS.isdisjoint(words):
                continue  # most names: nothing to tokenise again (half a million of them at 100,000 conditions)
            typed = [t.original for t in tokenize(entry.text)]
            if [canonical_word(t) for t in typed] != list(words):
                typed = list(words)
            for k, word in enumerate(words):
                if word == ANTI or word in ANTIBODY_WORDS or word in FILLER or len(word) < 2 or word.isdigit():
                    continue
                # "anti-Ro"; or a code before an antibody word, written with capitals or digits ("AQP4-IgG"), not
                # a plain word ("primary antibody deficiency")
                coded = any(ch.isdigit() for ch in word) or any(ch.isupper() for ch in typed[k][1:])
                if (k and words[k - 1] == ANTI) or (coded and k + 1 < len(words) and words[k + 1] in ANTIBODY_WORDS):
                    owners.setdefault(word, set()).add(entry.condition_id)
        return {word: frozenset(ids) for word, ids in owners.items()}

    def read(self, result: MatchResult, text: str) -> None:
        """Readings whose typed words hold a marker the question reports as found, a marker only these readings'
        conditions have: an offered reading of one condition is answered ("anti-HMGCR+"); a term the curator marked
        ambiguous is left to its cue words, which may now settle it at any score ("anti-GQ1b positive, drowsy").
        Never beside a condition answered outright."""
        if result.matches:
            return
        tokens = result.tokens
        spans: dict[tuple[int, int], list[Hit]] = {}
        for hit in (*result.suggestions, *result.ambiguous):
            spans.setdefault((hit.start_token, hit.end_token), []).append(hit)
        for (start, end), hits in spans.items():
            ids = {h.condition_id for h in hits}
            marker = next((t for k, t in enumerate(tokens[start:end], start) if t.canonical in self.owners
                           and self.owners[t.canonical] <= ids and reported_found(tokens, text, k)), None)
            if marker is None or any(h.entry is None or marker.canonical not in h.entry.words for h in hits):
                continue
            if len(ids) == 1 and all(h in result.suggestions for h in hits):
                result.suggestions[:] = [h for h in result.suggestions if h not in hits]
                result.matches.append(replace(hits[0], method=MatchMethod.exact, score=max(hits[0].score, LATE_CUE_SCORE),
                                              because=text[marker.start: marker.end]))
            else:
                result.ambiguous[:] = [replace(h, score=max(h.score, LATE_CUE_SCORE)) if h in hits else h
                                       for h in result.ambiguous]


def reported_found(tokens: list[Token], text: str, k: int) -> bool:
    """Whether the question reports the word at k as an antibody found: "anti-X", "X+", "X antibody positive"."""
    if k and tokens[k - 1].canonical == ANTI:
        return True
    if text[tokens[k].end: tokens[k].end + 1] == "+":
        return True
    return any(t.canonical in ANTIBODY_WORDS for t in tokens[k + 1: k + 1 + LOOK_AHEAD])
