"""With nothing answered and an uncovered disease named, offers read without a key word of theirs give way (used by
bot/match/background.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.match.result import MatchResult


def drop_incomplete_offers(result: "MatchResult", generic: frozenset[str]) -> None:
    """With nothing answered and an uncovered disease named, words offered as several conditions' names, each read
    without a key word of it, give way: the disease named is the missing word ("rabies post exposure prophylaxis" is
    rabies PEP, not measles or varicella PEP). Offered as one condition's, they stay ("ganglionic AChR" beside
    "gastroparesis"), unless the disease named is a near miss the curator blocked for that condition: then the
    words describe it ("primary lateral sclerosis, pure upper motor neurone" is not "did you mean ALS?")."""
    if result.matches or not result.uncovered_named:
        return
    if result.blocked:  # "primary lateral sclerosis, pure upper motor neurone": the curator's "not ALS" stands
        refused = {cid for _, cid in result.blocked}
        for offered in (result.suggestions, result.ambiguous):
            offered[:] = [h for h in offered if h.condition_id not in refused]
    if len(result.suggestions) < 2:
        return
    tokens = result.tokens
    owners: dict[tuple[int, int], set[str]] = {}
    for hit in result.suggestions:
        owners.setdefault((hit.start_token, hit.end_token), set()).add(hit.condition_id)

    def incomplete(hit) -> bool:
        typed = {t.canonical for t in tokens[hit.start_token: hit.end_token]}
        return (len(owners[hit.start_token, hit.end_token]) > 1 and hit.entry is not None
                and any(w not in typed and w not in generic for w in hit.entry.words))

    result.suggestions[:] = [h for h in result.suggestions if not incomplete(h)]
