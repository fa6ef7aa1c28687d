"""Names an answer itself uses, such as trial acronyms ("GAP"), and its condition's antibodies ("MuSK"): a follow-up
naming only these asks about that answer."""

from __future__ import annotations

from collections.abc import Callable

from bot.knowledge import KnowledgeBase
from bot.match.markers import ANTI, ANTIBODY_WORDS
from bot.match.studies import STUDY_WORDS, capitalised  # a capitalised word before a study word names a study or a body
from bot.text import Token, canonical_phrase, tokenize

# Words said of an antibody ("AChR negative", "GM1 antibody positive"): with it, still about the answer's condition.
SEROLOGY = ANTIBODY_WORDS | {ANTI, "negative", "neg", "seronegative"}


def _study_names(text: str) -> set[str]:
    tokens = tokenize(text)
    return {t.original for k, t in enumerate(tokens)
            if capitalised(t) and any(n.canonical in STUDY_WORDS for n in tokens[k + 1: k + 3])}


class CitedNames:
    """Per condition, the names of the studies and bodies its summary and findings cite, written in capitals ("GAP
    trial", "AAN guideline"), and the words of its antibodies; worked out when a follow-up first needs them."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self._by_condition: dict[str, frozenset[str]] = {}
        self._antibodies: dict[str, frozenset[str]] = {}

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

    def antibodies(self, condition_id: str) -> frozenset[str]:
        """The words of the condition's antibodies ("musk", "achr" of myasthenia gravis), as canonical words; worked
        out when a follow-up first needs them."""
        found = self._antibodies.get(condition_id)
        if found is None:
            found = frozenset(w for p in self.kb.conditions[condition_id].antibodies for w in canonical_phrase(p))
            self._antibodies[condition_id] = found
        return found

    def only_its_antibodies(self, words: str, previous: list[str], plain: Callable[[Token], bool]) -> bool:
        """True when every word of `words` that is no plain follow-up word is one the previous condition's data tells
        it by, its antibodies, with words said of them: "does it work in MuSK?" and "and in AChR negative patients?"
        after myasthenia gravis ask about that answer, not about a disease the bot lacks. (Cue words would not do:
        some are diseases themselves, "Raynaud's" of systemic sclerosis.)"""
        own = frozenset().union(*(self.antibodies(cid) for cid in previous if cid in self.kb.conditions))
        rest = [t.canonical for t in tokenize(words) if not plain(t) and not t.canonical.isdigit()]
        return any(w in own for w in rest) and all(w in own or w in SEROLOGY for w in rest)

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
