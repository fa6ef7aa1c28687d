"""An uncovered disease typed with a slip in the words around a covered name inside it ("pemphigus noenatorum" is
pemphigus neonatorum, "paraneeplastic pemphigus" paraneoplastic pemphigus): that disease, never the covered name."""

from __future__ import annotations

from collections.abc import Callable

from rapidfuzz.distance import OSA

from bot.match.fuzzy import word_budget
from bot.match.lexicon import AliasEntry
from bot.match.result import MatchResult
from bot.models import MatchMethod

MAX_EXTRA_WORDS = 2  # words an uncovered name holds beyond the covered name inside it
MIN_SLIPPED_LETTERS = 5  # shorter words are too often another word ("acne", "acute")
READ_EXACTLY = frozenset({MatchMethod.exact, MatchMethod.abbreviation, MatchMethod.ambiguous})


def slip_of(typed: str, word: str) -> bool:
    """`typed` is `word` with a slip within the word's typo budget (`word_budget`; a swap counts once)."""
    if len(word) < MIN_SLIPPED_LETTERS or not typed.isalpha():
        return False
    budget = word_budget(word)
    return OSA.distance(typed, word, score_cutoff=budget) <= budget


class UncoveredAround:
    """Per covered name (its words run together), the uncovered diseases' names that hold it whole with one or two
    words more before or after it: ("pemphigus" -> [((), ("neonatorum",), "Pemphigus neonatorum"), ...])."""

    def __init__(self, exact: dict[str, tuple[AliasEntry, ...]], uncovered: dict[str, list]):
        around: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for names in uncovered.values():
            for name in names:
                words = name.key.split()
                n = len(words)
                for left in range(min(MAX_EXTRA_WORDS, n - 1) + 1):
                    for right in range(min(MAX_EXTRA_WORDS, n - 1) - left + 1):
                        if not left and not right or n - left - right < 1:
                            continue
                        inside = "".join(words[left:n - right])
                        if any(e.condition_id is not None for e in exact.get(inside, ())):
                            found = around.setdefault(inside, [])
                            extra = (tuple(words[:left]), tuple(words[n - right:]))
                            if extra not in found:
                                found.append(extra)
        self._around = around

    def read(self, result: MatchResult, taken: list[bool], is_known: Callable[[str], bool]) -> None:
        """Withdraw a covered name read exactly when the words around it, one of them slipped, make it an uncovered
        disease's name; that disease is then not found. A slipped word is one no name or question uses: "acute" or
        "chronic" beside a name is said of it, not a slip."""
        if not self._around:
            return
        canonical = [t.canonical for t in result.tokens]
        for hits in (result.matches, result.ambiguous):
            for hit in list(hits):
                if hit.method not in READ_EXACTLY or hit.start_token >= hit.end_token:
                    continue
                start, end = hit.start_token, hit.end_token
                beside = canonical[max(0, start - MAX_EXTRA_WORDS):start] + canonical[end:end + MAX_EXTRA_WORDS]
                if all(map(is_known, beside)):  # no word beside it that could be a slip: nothing to look at
                    continue
                span = self._slipped_span(canonical, hit.start_token, hit.end_token, taken, is_known)
                if span is None:
                    continue
                start, end = span
                for others in (result.matches, result.ambiguous):  # every reading of these words gives way
                    others[:] = [h for h in others if not (h.start_token < end and start < h.end_token)]
                taken[start:end] = [True] * (end - start)
                tokens = result.tokens
                result.not_found.append(" ".join(t.original for t in tokens[start:end]))
                result.uncovered_spans.append((start, end))

    def _slipped_span(self, canonical: list[str], start: int, end: int, taken: list[bool],
                      is_known: Callable[[str], bool]) -> tuple[int, int] | None:
        for left, right in self._around.get("".join(canonical[start:end]), ()):
            begin, finish = start - len(left), end + len(right)
            if begin < 0 or finish > len(canonical) or any(taken[begin:start]) or any(taken[end:finish]):
                continue
            typed = canonical[begin:start] + canonical[end:finish]
            wanted = (*left, *right)
            slipped = [t != w for t, w in zip(typed, wanted)]
            if any(slipped) and all(not s or not is_known(t) and slip_of(t, w)
                                    for t, w, s in zip(typed, wanted, slipped)):
                return begin, finish
        return None
