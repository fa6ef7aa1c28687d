"""Name completion for every adapter: a sorted prefix index over names and synonyms, so a keystroke is a bisect."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from bot.knowledge import KnowledgeBase
from bot.text import canonical_phrase

TAIL_WORDS = 3  # complete at most the last three words typed ("chronic inflammatory dem")
MAX_RESULTS = 25  # Discord shows 25 choices; a terminal menu no more


@dataclass(frozen=True)
class Completion:
    replace: int  # characters at the end of the typed text that the completion replaces
    text: str  # the name or synonym to put there
    condition_id: str


class NameIndex:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb  # the base indexed (the chat service rebuilds the index when it answers from another)
        entries: dict[tuple[str, str], str] = {}
        for cond in kb.conditions.values():
            for kind, term in cond.terms():
                if kind in ("name", "synonyms"):
                    key = " ".join(canonical_phrase(term))
                    if key:
                        entries.setdefault((key, term), cond.id)
        ordered = sorted(entries.items())
        self._keys = [key for (key, _term), _cid in ordered]
        self._terms = [(term, cid) for (_key, term), cid in ordered]
        self._names = sorted(((c.name, c.id) for c in kb.conditions.values()), key=lambda pair: pair[0].lower())

    def starting(self, prefix: str, limit: int = MAX_RESULTS) -> list[tuple[str, str]]:
        """(term, condition id) for names and synonyms starting with `prefix` (canonical words), name order."""
        key = " ".join(canonical_phrase(prefix))
        if not key:
            return []
        if prefix[-1:].isspace():
            key += " "  # "myasthenia " completes the next word, not "myastheniac"
        found: list[tuple[str, str]] = []
        start = bisect.bisect_left(self._keys, key)
        for i in range(start, len(self._keys)):
            if not self._keys[i].startswith(key) or len(found) >= limit:
                break
            found.append(self._terms[i])
        return found

    def complete(self, typed: str, limit: int = MAX_RESULTS) -> list[Completion]:
        """Completions of the longest typed tail (up to three words) that begins a name or synonym."""
        if not typed.strip():
            return [Completion(0, name, cid) for name, cid in self._names[:limit]]
        words = typed.split(" ")
        for size in range(min(TAIL_WORDS, len(words)), 0, -1):
            tail = " ".join(words[-size:])
            if not tail.strip():
                continue
            found = self.starting(tail, limit)
            if found:
                return [Completion(len(tail), term, cid) for term, cid in found]
        return []
