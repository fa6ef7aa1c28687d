"""Conditions the data tells apart by patient group (ITP in adults and in children): switching and comparing."""

from __future__ import annotations

from dataclasses import replace

from bot.match.cues import Cues
from bot.match.lexicon import FILLER, AliasEntry
from bot.match.resolve import context_groups
from bot.match.result import MatchResult
from bot.models import MatchMethod
from bot.text import Token

SURE = 90.0  # a "did you mean" of a sibling scoring this much is answered when its group is compared


class PatientGroups:
    """From the ambiguous terms whose covered readings each carry cue groups ("ITP": adults by @adult, children by
    @child): each such condition's groups, and the conditions it shares a term with (its siblings).

    `joins`: words that put two groups side by side ("and", "vs"); only these and filler may stand between the
    groups a question compares ("ITP in adults and in children", "sepsis in neonates vs adults")."""

    def __init__(self, entries: list[AliasEntry], cues: Cues, joins: frozenset[str]):
        by_term: dict[tuple[str, ...], dict[str, set[str]]] = {}
        for entry in entries:
            if entry.method is MatchMethod.ambiguous and entry.condition_id and entry.cue_groups:
                by_term.setdefault(entry.words, {}).setdefault(entry.condition_id, set()).update(entry.cue_groups)
        groups: dict[str, set[str]] = {}
        siblings: dict[str, set[str]] = {}
        for readings in by_term.values():
            if len(readings) > 1:
                for cid, found in readings.items():
                    groups.setdefault(cid, set()).update(found)
                    siblings.setdefault(cid, set()).update(readings.keys() - {cid})
        self.groups_of = {cid: frozenset(g) for cid, g in groups.items()}
        self.siblings = {cid: frozenset(s) for cid, s in siblings.items()}
        self.cues = cues
        self.joins = joins

    def switch(self, previous: list[str], tokens: list[Token], text: str) -> tuple[str, str] | None:
        """The sibling a message after an answer about one names only the group of ("and in children?" after ITP in
        adults): its id, and the words that name the group as typed (the whole message for an age)."""
        if len(previous) != 1 or previous[0] not in self.siblings:
            return None
        words = tuple(t.canonical for t in tokens)
        groups = context_groups(words, text, self.cues)
        if not groups or groups & self.groups_of[previous[0]]:
            return None
        found = {other for other in self.siblings[previous[0]] if groups & self.groups_of[other]}
        if len(found) != 1:
            return None
        other = found.pop()
        spans = self._spans(words, groups & self.groups_of[other])
        return other, (text[tokens[spans[0][0]].start: tokens[spans[0][1] - 1].end] if spans else text.strip(" ?!."))

    def compare(self, result: MatchResult) -> None:
        """Answer every sibling whose group the question names side by side with another's: "ITP in adults and in
        children", "ITP adults vs kids", "sepsis in neonates and adults" ask about both. A group named apart from
        the others ("ITP in a 30 year old mother of two children") compares nothing."""
        family = self._family(result)
        if family is None:
            return
        words = tuple(t.canonical for t in result.tokens)
        named = sorted((span, cid) for cid in sorted(family) for span in self._spans(words, self.groups_of[cid]))
        if len({cid for _, cid in named}) < 2:
            return
        for ((_, end), first), ((start, _), second) in zip(named, named[1:]):
            between = words[end:start]
            if first != second and not (any(w in self.joins for w in between)
                                        and all(w in self.joins or w in FILLER for w in between)):
                return
        compared = {cid for _, cid in named}
        kept = [h for h in result.matches if h.condition_id not in compared]
        answered = {h.condition_id: h for h in result.matches if h.condition_id in compared}
        for hit in result.ambiguous + result.suggestions:
            if hit.condition_id in compared and hit.condition_id not in answered:
                answered[hit.condition_id] = replace(hit, method=MatchMethod.exact, note_others=())
        anchor = next(iter(answered.values()))
        first = {cid: span for span, cid in reversed(named)}  # where the question first names each group
        for cid in sorted(compared - answered.keys()):
            start, end = first[cid]
            typed = " ".join(t.original for t in result.tokens[start:end])  # "children", not the adults' words
            answered[cid] = replace(anchor, condition_id=cid, method=MatchMethod.exact, note_others=(), entry=None,
                                    because="", start_token=start, end_token=end, alias=typed, matched_text=typed)
        result.matches[:] = kept + sorted(answered.values(), key=lambda h: (h.start_token, h.condition_id))
        result.ambiguous[:] = [h for h in result.ambiguous if h.condition_id not in compared]
        result.suggestions[:] = [h for h in result.suggestions if h.condition_id not in compared]

    def _family(self, result: MatchResult) -> set[str] | None:
        """The siblings one read condition belongs to, when no other condition is read and any "did you mean" of
        theirs is a near-certain reading ("ITP adults" for ITP in adults)."""
        read = {h.condition_id for h in (*result.matches, *result.ambiguous, *result.suggestions)}
        member = min((cid for cid in read if cid in self.siblings), default=None)
        if member is None or any(h.score < SURE for h in result.suggestions):
            return None
        family = {member} | self.siblings[member]
        return family if read <= family else None

    def _spans(self, words: tuple[str, ...], groups: frozenset[str] | set[str]) -> list[tuple[int, int]]:
        """Where the question names any of `groups` by its words, longest phrase first at each place."""
        phrases = set().union(*(self.cues.group_sets.get(g, ()) for g in groups))
        longest = max(map(len, phrases), default=0)
        spans, i = [], 0
        while i < len(words):
            n = next((n for n in range(min(longest, len(words) - i), 0, -1) if words[i:i + n] in phrases), 0)
            if n:
                spans.append((i, i + n))
            i += n or 1
        return spans
