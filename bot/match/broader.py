"""A wider name for a condition named before it refers back to it: after EBA, "IVIG for the skin disease?" asks about
EBA, not about "skin disease", an uncovered disease of the Disease Ontology of which EBA is a kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.match.result import MatchResult


def refer_back(result: "MatchResult", text: str, uncovered: dict[str, list], broader: dict[str, frozenset[str]],
               referring: frozenset[str]) -> None:
    """Drop the uncovered names that follow a referring word ("the", "her") and are, in the ontology, wider terms
    of a condition named before them. Their words stay claimed: "the skin disease" is read as no other disease
    either."""
    if not broader or not result.uncovered_spans:
        return
    words = [t.canonical for t in result.tokens]
    tokens = result.tokens
    kept = []
    for start, end in result.uncovered_spans:
        before = {h.condition_id for h in (*result.matches, *result.ambiguous) if h.end_token <= start}
        doids = {name.doid for name in uncovered.get("".join(words[start:end]), ())}
        if start > 0 and words[start - 1] in referring and before and any(
                broader.get(doid, frozenset()) & before for doid in doids):
            typed = text[tokens[start].start: tokens[end - 1].end]
            if typed in result.not_found:
                result.not_found.remove(typed)
            continue
        kept.append((start, end))
    result.uncovered_spans[:] = kept


def kinds_of(vocabulary, conditions) -> dict[str, frozenset[str]]:
    """DOID of a wider uncovered term -> the covered conditions that are kinds of it (the import's `broader`)."""
    kinds: dict[str, set[str]] = {}
    for cid, entry in vocabulary.covered.items():
        if cid in conditions:
            for doid in entry.broader:
                kinds.setdefault(doid, set()).add(cid)
    return {doid: frozenset(cids) for doid, cids in kinds.items()}
