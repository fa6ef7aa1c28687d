"""Which word windows of a question could spell a known name: a scan that stops once no name begins so."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable


class NameWindows:
    """Every name's joined words, sorted, so "does some name begin with these letters?" is one binary search.

    Joining every window of a long question was the matcher's largest single cost; from each start, a window only
    grows while some name still begins with its letters, and one-word windows are always kept (a plural "RRTIs" is
    read without its s by the caller)."""

    def __init__(self, keys: Iterable[str]):
        self._sorted = sorted(keys)  # a name in both lists twice: no matter to a binary search

    def begins_a_name(self, letters: str) -> bool:
        at = bisect_left(self._sorted, letters)
        return at < len(self._sorted) and self._sorted[at].startswith(letters)

    def spans(self, canonical: list[str], max_words: int,
              ages: set[int] | frozenset[int] = frozenset()) -> list[tuple[int, int, str]]:
        """(start, end, joined letters) of each window worth a look, longest first, then earlier. A word of an age
        (`ages`: "ASD - 5 yo") joins no other: the 5 is the child's, not the number of the uncovered ASD5."""
        found: list[tuple[int, int, str]] = []
        for i in range(len(canonical)):
            joined = canonical[i]
            found.append((i, i + 1, joined))
            for end in range(i + 2, min(i + max_words, len(canonical)) + 1):
                joined += canonical[end - 1]
                if not self.begins_a_name(joined) or ages and (i in ages or end - 1 in ages):
                    break
                found.append((i, end, joined))
        found.sort(key=lambda w: (w[0] - w[1], w[0]))
        return found
