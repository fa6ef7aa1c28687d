"""A condition told as the one that follows it: "covid back in march, 8 months on still brain fog" is long COVID."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.phrases import contains_phrase
from bot.text import canonical_phrase

if TYPE_CHECKING:
    from collections.abc import Iterable

    from bot.match.result import Hit, MatchResult
    from bot.schema import Condition

# earlier condition -> (later condition, the phrases that tell it), in the data's order
Sequels = dict[str, tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]]


def sequels_of(conditions: "Iterable[Condition]") -> Sequels:
    """The `follows:` of every condition, by the condition followed."""
    found: dict[str, list[tuple[str, tuple[tuple[str, ...], ...]]]] = {}
    for cond in conditions:
        if cond.follows is not None:
            phrases = tuple(p for p in map(canonical_phrase, cond.follows.told_by) if p)
            found.setdefault(cond.follows.condition, []).append((cond.id, phrases))
    return {earlier: tuple(later) for earlier, later in found.items()}


def told_sequel(result: "MatchResult", sequels: Sequels, hit: "Hit") -> tuple[str, tuple[str, ...]] | None:
    """The condition that follows the hit's, and the phrase telling it, when the question tells one outside the name
    ("8 months on", "brain fog"); None when it tells none."""
    words = [t.canonical for t in result.tokens]
    outside = (*words[:hit.start_token], "", *words[hit.end_token:])
    for later, phrases in sequels.get(hit.condition_id, ()):
        told = next((p for p in phrases if contains_phrase(outside, p)), None)
        if told is not None:
            return later, told
    return None


def read_sequels(result: "MatchResult", sequels: Sequels) -> None:
    """Read a matched condition as one that follows it when the question tells the later one by one of its words,
    outside the name ("8 months on", "brain fog"). The answer says what it read, why, and what else the name means;
    a later condition named outright too is left to `drop_parts`."""
    if not sequels or not result.matches:
        return
    named = {h.condition_id for h in result.matches}
    for k, hit in enumerate(result.matches):
        found = told_sequel(result, sequels, hit)
        if found is not None and found[0] not in named:
            later, told = found
            result.matches[k] = replace(hit, condition_id=later, because=" ".join(told),
                                        note_others=(hit.condition_id,))
