"""Names an answer itself uses, such as trial acronyms ("GAP"): a follow-up naming one asks about that answer."""

from __future__ import annotations

from collections.abc import Callable

from bot.knowledge import KnowledgeBase
from bot.match.roles import STUDY_WORDS, capitalised  # a capitalised word before a study word names a study or a body
from bot.text import Token, tokenize


def _study_names(text: str) -> set[str]:
    tokens = tokenize(text)
    return {t.original for k, t in enumerate(tokens)
            if capitalised(t) and any(n.canonical in STUDY_WORDS for n in tokens[k + 1: k + 3])}


class CitedNames:
    """Per condition, the names of the studies and bodies its summary and findings cite, written in capitals ("GAP
    trial", "AAN guideline"); worked out when a follow-up first needs them."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self._by_condition: dict[str, frozenset[str]] = {}

    def of(self, condition_id: str) -> frozenset[str]:
        found = self._by_condition.get(condition_id)
        if found is None:
            cond = self.kb.conditions[condition_id]
            texts = [cond.evidence_summary, cond.headline or "", *(t.text for t in cond.ambiguous_terms)]
            for f in cond.findings:
                texts += [f.statement, f.population or "", f.subgroup or "", f.key_figure or "", f.grade or "",
                          f.caveat or "", f.figures or ""]
            found = frozenset(name for text in texts for name in _study_names(text))
            self._by_condition[condition_id] = found
        return found

    def only_these(self, words: str, previous: list[str], plain: Callable[[Token], bool],
                   uncovered: Callable[[str], bool]) -> bool:
        """True when every word of `words` that is no plain follow-up word is written in capitals as the previous
        answer writes it, and is no uncovered disease's name: "how many pts in GAP" asks about the GAP trial."""
        cited = frozenset().union(*(self.of(cid) for cid in previous if cid in self.kb.conditions))
        rest = [t for t in tokenize(words) if not plain(t) and not t.canonical.isdigit()]
        return bool(rest) and all(capitalised(t) and t.original in cited and not uncovered(t.canonical) for t in rest)

    def drop_offers(self, result, previous: list[str]) -> bool:
        """Drop the terms asked back about or offered that are typed exactly as a name the previous answer cites
        ("AHA" after a Kawasaki answer quoting the AHA statement, not acquired haemophilia); whether any was."""
        cited = frozenset().union(*(self.of(cid) for cid in previous if cid in self.kb.conditions))
        tokens, dropped = result.tokens, False
        for offered in (result.ambiguous, result.suggestions):
            kept = [h for h in offered if not all(t.original in cited for t in tokens[h.start_token:h.end_token])]
            dropped |= len(kept) < len(offered)
            offered[:] = kept
        return dropped
